"""The as-run record's pure parts: audit rows as decisions (actors and reasons joined per hour,
a late row at the next hour), the one-book state, and segments keyed by configuration and
costs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.records.as_run_update import as_run_changes
from app.records.keeping.as_run import TrackState
from app.records.keeping.figures import segments
from app.records.models import TrackRecordDecision

HOUR = timedelta(hours=1)
T0 = datetime(2026, 11, 20, 10, tzinfo=UTC)


def decision(at: datetime, config: str = "c", fee: float = 6.0) -> TrackRecordDecision:
    return TrackRecordDecision(
        at=at,
        audit_id=1,
        actor="scheduler",
        reason="r",
        config_hash=config,
        fee_bps=fee,
        slippage_bps=0.0,
        weights={},
        turnover={},
        fees={},
    )


class TestAsRunChanges:
    def test_rows_in_one_hour_are_one_decision_with_their_actors_and_reasons_joined(self) -> None:
        rows = [
            (1, T0 + timedelta(minutes=5), "autopilot", "exit:category", "1,50,AUSDT;2,50,BUSDT"),
            (2, T0 + timedelta(minutes=9), "desk-key", "by hand", "1,100,AUSDT"),
            (3, T0 + timedelta(minutes=30), "autopilot", "exit:category", "1,100,CUSDT"),
        ]
        changes = as_run_changes(rows, T0 - HOUR, T0 + 5 * HOUR)
        assert [(c.at, c.audit_id, c.actor, c.reason, c.weights) for c in changes] == [
            (T0 + HOUR, 3, "autopilot+desk-key", "exit:category+by hand", {"CUSDT": 1.0})
        ]

    def test_a_row_recorded_after_its_hour_was_marked_trades_at_the_next(self) -> None:
        rows = [(7, T0 - timedelta(minutes=10), "scheduler", "rebalance", "1,100,AUSDT")]
        (change,) = as_run_changes(rows, T0, T0 + HOUR)
        assert (change.at, change.actor) == (T0 + HOUR, "scheduler")

    def test_rows_past_the_last_hour_wait(self) -> None:
        rows = [(1, T0 + 2 * HOUR + timedelta(minutes=1), "scheduler", "add", "1,100,AUSDT")]
        assert as_run_changes(rows, T0, T0 + 2 * HOUR) == []


class TestTrackState:
    def test_keeps_the_as_run_book_alone_and_round_trips(self) -> None:
        state = TrackState()
        state.mark({"AUSDT": 10.0}, {}, {"AUSDT": 1.0}, 6e-4)
        marked = state.mark({"AUSDT": 11.0}, {}, None, 6e-4)
        assert list(marked.equity) == ["as_run"]
        assert marked.equity["as_run"] == (1 - 6e-4) * 1.1
        again = TrackState.of(state.to_json())
        assert again.to_json() == state.to_json() and list(again.books) == ["as_run"]


class TestSegments:
    def test_a_change_of_configuration_fee_or_slippage_starts_one(self) -> None:
        rows = [
            decision(T0),
            decision(T0 + HOUR),
            decision(T0 + 2 * HOUR, fee=10.0),
            decision(T0 + 3 * HOUR, config="d", fee=10.0),
        ]
        spans = segments(rows, T0 + 5 * HOUR)
        assert [(s.config_hash, s.fee_bps, s.decisions) for s in spans] == [
            ("c", 6.0, 2),
            ("c", 10.0, 1),
            ("d", 10.0, 1),
        ]
        assert [(s.start, s.end) for s in spans] == [
            (T0, T0 + 2 * HOUR),
            (T0 + 2 * HOUR, T0 + 3 * HOUR),
            (T0 + 3 * HOUR, T0 + 5 * HOUR),
        ]
