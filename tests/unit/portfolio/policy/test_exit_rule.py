"""The exit rule on plain facts: which members must leave now and why, the grace, the healing
exclusions that never force a member out, and the newcomer the correlation limit allows."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from app.market.service import DELISTED as UNIVERSE_DELISTED
from app.portfolio.policy.exit_rule import (
    CATEGORY,
    DELISTED,
    EXPIRING,
    GONE,
    NOT_OPEN,
    STALE,
    DueExit,
    Exit,
    ExitFact,
    choose_replacements,
    due_exits,
    exit_outsiders,
    exit_reason,
)
from app.portfolio.policy.replacement_facts import CorrelationTable, OutsiderFact
from app.portfolio.policy.replacement_rule import OUTSIDERS_TRIED
from app.scoring.scorers.gate import CANDLE_GAPS, EXTREME_MOVE, STALE_TICKER, ZERO_VOLUME

GRACE = 24.0


def fact(**kw: Any) -> ExitFact:
    """A member with fresh candles, open, listed and scored, but for `kw`."""
    return ExitFact(
        **{"id": 1, "symbol": "AUSDT", "gate_reason": None, "candle_age_hours": 0.5, **kw}
    )


class TestExitReason:
    def test_an_open_listed_fresh_member_stays(self) -> None:
        assert exit_reason(fact(), GRACE) is None

    def test_a_contract_gone_from_the_list_is_delisted(self) -> None:
        assert exit_reason(fact(listed=False, gate_reason="NOT_OPEN"), GRACE) == DELISTED
        assert exit_reason(fact(status=GONE), GRACE) == DELISTED  # the service's own marker
        assert GONE == UNIVERSE_DELISTED

    @pytest.mark.parametrize("status", ["Closed", "BeingSettled", "Settled", "CancelOnly"])
    def test_a_contract_neither_open_nor_paused_is_not_open(self, status: str) -> None:
        assert exit_reason(fact(status=status, gate_reason="NOT_OPEN"), GRACE) == NOT_OPEN

    def test_a_delivery_or_expiry_date_is_expiring_even_while_scored(self) -> None:
        assert exit_reason(fact(expiring=True), GRACE) == EXPIRING

    @pytest.mark.parametrize("category", ["stablecoin", "commodity", "equity"])
    def test_an_excluded_category_exits_at_once_with_fresh_candles(self, category: str) -> None:
        """What a contract is does not heal: no grace, no hysteresis."""
        reason = f"excluded:category:{category}"
        assert exit_reason(fact(gate_reason=reason, candle_age_hours=0.5), GRACE) == CATEGORY

    def test_a_pause_within_the_grace_stays_and_beyond_it_exits(self) -> None:
        paused = {"status": "Paused", "gate_reason": "NOT_OPEN"}
        assert exit_reason(fact(paused_hours=23.9, **paused), GRACE) is None
        assert exit_reason(fact(paused_hours=24.0, **paused), GRACE) is None
        assert exit_reason(fact(paused_hours=24.1, **paused), GRACE) == NOT_OPEN
        assert exit_reason(fact(paused_hours=24.1, **paused), 48.0) is None

    def test_candles_older_than_the_grace_are_stale_and_within_it_stay(self) -> None:
        excluded = {"gate_reason": STALE_TICKER}
        assert exit_reason(fact(candle_age_hours=24.0, **excluded), GRACE) is None
        assert exit_reason(fact(candle_age_hours=25.0, **excluded), GRACE) == STALE
        assert exit_reason(fact(candle_age_hours=math.inf, **excluded), GRACE) == STALE

    def test_old_candles_of_a_scored_member_are_the_services_lag_not_an_exit(self) -> None:
        assert exit_reason(fact(candle_age_hours=100.0, gate_reason=None), GRACE) is None

    @pytest.mark.parametrize("reason", [CANDLE_GAPS, EXTREME_MOVE, ZERO_VOLUME, STALE_TICKER])
    def test_an_exclusion_that_can_heal_never_forces_a_member_out(self, reason: str) -> None:
        assert exit_reason(fact(gate_reason=reason, candle_age_hours=3.0), GRACE) is None

    def test_the_gone_contract_is_named_first_when_several_hold(self) -> None:
        everything = fact(
            listed=False,
            status="Closed",
            expiring=True,
            gate_reason=CANDLE_GAPS,
            candle_age_hours=99.0,
        )
        assert exit_reason(everything, GRACE) == DELISTED
        assert exit_reason(fact(status="Closed", expiring=True), GRACE) == NOT_OPEN


class TestDueExits:
    def test_only_members_that_must_leave_in_the_order_given(self) -> None:
        members = [
            fact(id=1, symbol="AUSDT"),
            fact(id=2, symbol="BUSDT", gate_reason=CANDLE_GAPS, candle_age_hours=30.0),
            fact(id=3, symbol="CUSDT", gate_reason=EXTREME_MOVE),
            fact(id=4, symbol="DUSDT", listed=False),
        ]
        due = due_exits(members, GRACE)
        assert [(d.member.symbol, d.reason) for d in due] == [("BUSDT", STALE), ("DUSDT", DELISTED)]


def table(
    ids: list[int], corr: dict[tuple[int, int], float], default: float = 0.2
) -> CorrelationTable:
    """Correlations of `ids`: `default` but for the pairs in `corr`."""
    matrix = np.full((len(ids), len(ids)), default)
    np.fill_diagonal(matrix, 1.0)
    at = {i: k for k, i in enumerate(ids)}
    for (a, b), c in corr.items():
        matrix[at[a], at[b]] = matrix[at[b], at[a]] = c
    return CorrelationTable(ids, matrix)


def due(member_id: int, symbol: str, reason: str = STALE) -> DueExit:
    return DueExit(fact(id=member_id, symbol=symbol), reason)


class TestExitOutsiders:
    def test_the_scored_best_first_ties_by_symbol_enough_for_every_exit(self) -> None:
        outsiders = [OutsiderFact(i, f"S{i:02d}USDT") for i in range(10, 30)]
        composite = {i: 50.0 + (i % 7) for i in range(10, 30) if i != 16}  # 16 unscored
        ranked = exit_outsiders(outsiders, composite, 2)
        assert len(ranked) == OUTSIDERS_TRIED + 2
        assert [o.id for o in ranked[:4]] == [13, 20, 27, 12]
        assert 16 not in {o.id for o in ranked}
        assert exit_outsiders(outsiders, composite, 0) == []


class TestChooseReplacements:
    outsiders = [OutsiderFact(7, "GUSDT"), OutsiderFact(8, "HUSDT"), OutsiderFact(9, "IUSDT")]

    def test_the_best_outsider_takes_the_exit(self) -> None:
        ids = [1, 2, 7, 8, 9]
        [e] = choose_replacements([due(3, "CUSDT")], [1, 2], self.outsiders, table(ids, {}), 0.85)
        assert e == Exit(3, "CUSDT", STALE, 7, "GUSDT")

    def test_a_better_scored_but_too_correlated_outsider_is_skipped(self) -> None:
        corr = table([1, 2, 7, 8, 9], {(7, 2): 0.9})
        [e] = choose_replacements([due(3, "CUSDT")], [1, 2], self.outsiders, corr, 0.85)
        assert (e.outsider_id, e.outsider) == (8, "HUSDT")

    def test_the_leaving_member_itself_does_not_block_a_newcomer(self) -> None:
        corr = table([1, 2, 3, 7, 8, 9], {(7, 3): 0.99})
        [e] = choose_replacements([due(3, "CUSDT")], [1, 2], self.outsiders, corr, 0.85)
        assert e.outsider == "GUSDT"

    def test_newcomers_are_checked_against_each_other_the_first_exit_gets_the_best(self) -> None:
        corr = table([1, 7, 8, 9], {(7, 8): 0.95})
        exits = choose_replacements(
            [due(3, "CUSDT"), due(4, "DUSDT", DELISTED)], [1], self.outsiders, corr, 0.85
        )
        assert [(e.member, e.reason, e.outsider) for e in exits] == [
            ("CUSDT", STALE, "GUSDT"),
            ("DUSDT", DELISTED, "IUSDT"),
        ]

    def test_no_outsider_passing_the_limit_drops_the_member(self) -> None:
        corr = table([1, 2, 7, 8, 9], {}, default=0.9)
        [e] = choose_replacements([due(3, "CUSDT")], [1, 2], self.outsiders, corr, 0.85)
        assert e == Exit(3, "CUSDT", STALE, None, None)
        [e] = choose_replacements([due(3, "CUSDT")], [1, 2], [], table([1, 2], {}), 0.85)
        assert e.outsider is None

    def test_an_unknown_correlation_blocks_as_it_blocks_a_replacement(self) -> None:
        corr = table([1, 7, 8], {(1, 7): np.nan})
        [e] = choose_replacements([due(3, "CUSDT")], [1], self.outsiders[:2], corr, 0.85)
        assert e.outsider == "HUSDT"

    def test_when_every_member_leaves_the_best_outsider_needs_no_check(self) -> None:
        corr = table([7, 8, 9], {}, default=0.99)
        exits = choose_replacements(
            [due(1, "AUSDT"), due(2, "BUSDT")], [], self.outsiders, corr, 0.85
        )
        assert [e.outsider for e in exits] == ["GUSDT", None]
