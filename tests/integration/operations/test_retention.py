"""Retention deletes or thins exactly what is past its window, batch by batch, and nothing else:
never the runs current reads stand on, running or pending work, open alerts, the evidence in
force, candles or the audit trails."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.alerts.models import Alert
from app.callers.idempotency import IdempotencyGuard, StoredAnswer, request_fingerprint
from app.callers.models import IdempotencyKey
from app.lab.models import ReplayRun
from app.lab.repository import ReplayRepository
from app.market.models import Candle, Symbol
from app.operations.retention import RetentionService
from app.platform.core.clock import utcnow
from app.platform.db.models import EventOutbox, JobRun, WebhookDelivery
from app.platform.db.models.system_configuration import ConfigurationChange
from app.portfolio.models import PortfolioHistory
from app.scoring.models import ScoringRun, SymbolScore
from app.signals.models import Signal
from tests.factories import add, make_candles, make_run, make_symbol
from tests.helpers import set_config

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
COMPONENTS = ("technical", "fundamental", "market_structure", "risk")
INPUTS = {"symbols": [{"symbol": "BTCUSDT", "funding_rate": 0.0001}]}


async def scored_run(
    session: AsyncSession, symbols: Sequence[Symbol], started_at: datetime, **overrides: Any
) -> int:
    """A completed run at `started_at` with a composite and four component rows per symbol."""
    scores = {s: 50.0 for s in symbols}
    run = await make_run(
        session,
        scores,
        components=dict.fromkeys(COMPONENTS, scores),
        started_at=started_at,
        inputs=INPUTS,
        **overrides,
    )
    return run.id


async def run_state(session: AsyncSession) -> dict[int, tuple[bool, list[str]]]:
    """Run id -> (inputs kept, its score rows' components sorted)."""
    session.expire_all()
    runs = await session.execute(select(ScoringRun.id, ScoringRun.inputs.is_not(None)))
    rows = await session.execute(select(SymbolScore.run_id, SymbolScore.component))
    components: dict[int, list[str]] = {}
    for run_id, component in rows.all():
        components.setdefault(run_id, []).append(component)
    return {run_id: (kept, sorted(components.get(run_id, []))) for run_id, kept in runs.all()}


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def apply(session: AsyncSession, now: datetime = NOW) -> dict[str, int]:
    # Each batch commits: here the test's savepoint, inside the transaction rolled back at its end.
    return asdict(await RetentionService(session).apply(now))


FULL = sorted(["composite", *COMPONENTS] * 2)
THIN = ["composite", "composite"]


class TestScores:
    async def test_breakdowns_and_runs_go_exactly_past_their_windows(
        self, session: AsyncSession
    ) -> None:
        symbols = [await make_symbol(session), await make_symbol(session)]
        day = timedelta(days=1)
        runs = {
            name: await scored_run(session, symbols, NOW - age)
            for name, age in [
                ("past_scores", 400 * day + SECOND),
                ("at_scores", 400 * day),
                ("past_breakdowns", 30 * day + SECOND),
                ("at_breakdowns", 30 * day),
                ("recent_2", 2 * day),
                ("recent_1", day),
            ]
        }
        report = await apply(session)
        state = await run_state(session)
        assert state == {
            runs["at_scores"]: (False, THIN),
            runs["past_breakdowns"]: (False, THIN),
            runs["at_breakdowns"]: (True, FULL),
            runs["recent_2"]: (True, FULL),
            runs["recent_1"]: (True, FULL),
        }
        assert report["runs_deleted"] == 1 and report["composite_scores_deleted"] == 2
        # The run at 400 days + 1 s is thinned first (past both windows), then deleted.
        assert report["runs_thinned"] == 3 and report["component_scores_deleted"] == 3 * 8
        # The composite keeps every component's score in its breakdown.
        composite = await session.scalar(
            select(SymbolScore).where(
                SymbolScore.run_id == runs["past_breakdowns"], SymbolScore.component == "composite"
            )
        )
        assert composite is not None and composite.score == 50

    async def test_a_second_pass_finds_nothing(self, session: AsyncSession) -> None:
        symbols = [await make_symbol(session)]
        await scored_run(session, symbols, NOW - timedelta(days=31))
        await scored_run(session, symbols, NOW - timedelta(days=401))
        for _ in range(2):
            await scored_run(session, symbols, NOW - timedelta(hours=1))
        await apply(session)
        before = await run_state(session)
        assert set((await apply(session)).values()) == {0}
        assert await run_state(session) == before

    async def test_the_runs_current_reads_stand_on_are_kept_whole(
        self, session: AsyncSession
    ) -> None:
        symbols = [await make_symbol(session)]
        old = [await scored_run(session, symbols, NOW - timedelta(days=d)) for d in (500, 450, 420)]
        unscored = (await make_run(session, {}, started_at=NOW - timedelta(days=410))).id
        running = (
            await make_run(session, {}, status="running", started_at=NOW - timedelta(days=600))
        ).id
        await apply(session)
        state = await run_state(session)
        # The newest completed run, the scored runs back through the first a day before the
        # newest scored one (the replacement hysteresis' 24 h), a running run.
        assert set(state) == {old[1], old[2], unscored, running}
        assert state[old[1]] == state[old[2]] == (True, sorted(["composite", *COMPONENTS]))

    async def test_each_transaction_changes_at_most_the_batch_size(
        self, session: AsyncSession
    ) -> None:
        await set_config(session, "retention_batch_rows", 100)
        symbols = [await make_symbol(session) for _ in range(30)]  # 120 component rows a run
        await scored_run(session, symbols, NOW - timedelta(days=31))
        await scored_run(session, symbols, NOW - timedelta(days=401))
        for hours in (1, 26):  # the hysteresis' day of runs: the older ones are not protected
            await scored_run(session, symbols[:1], NOW - timedelta(hours=hours))
        counts: list[int] = []

        async def after_batch() -> None:
            counts.append(await count(session, SymbolScore))

        start = await count(session, SymbolScore)
        await RetentionService(session, after_batch).apply(NOW)
        changes = [a - b for a, b in zip([start, *counts], counts, strict=False)]
        assert max(changes) <= 100
        assert sum(changes) == 2 * 120 + 30  # both runs thinned, then the oldest deleted
        assert counts[-1] == 30 + 2 * 5


class TestEventsAndJobRuns:
    async def test_events_and_deliveries_go_past_their_window(self, session: AsyncSession) -> None:
        ages = {"past": timedelta(days=14) + SECOND, "at": timedelta(days=14)}
        events = {}
        for name, age in ages.items():
            event = await add(session, EventOutbox(kind="alert", payload={}, created_at=NOW - age))
            events[name] = event.id
            await add(
                session,
                WebhookDelivery(
                    event_id=event.id,
                    url="http://hook",
                    kind="alert",
                    status="delivered",
                    attempts=1,
                    replica="r",
                    created_at=NOW - age,
                ),
            )
        # A fresh delivery of an old event goes with its event (it references it).
        await add(
            session,
            WebhookDelivery(
                event_id=events["past"],
                url="http://other",
                kind="alert",
                status="delivered",
                attempts=1,
                replica="r",
                created_at=NOW,
            ),
        )
        report = await apply(session)
        assert (await session.scalars(select(EventOutbox.id))).all() == [events["at"]]
        left = (await session.execute(select(WebhookDelivery.event_id))).scalars().all()
        assert left == [events["at"]]
        assert (report["events_deleted"], report["webhook_deliveries_deleted"]) == (1, 2)

    async def test_finished_job_runs_go_but_each_jobs_newest_stays(
        self, session: AsyncSession
    ) -> None:
        window = timedelta(days=90)

        async def job_run(job: str, finished_ago: timedelta | None, status: str) -> int:
            started = NOW - (finished_ago or timedelta(0)) - timedelta(minutes=1)
            run = JobRun(
                job=job,
                replica="r",
                status=status,
                started_at=started,
                finished_at=None if finished_ago is None else NOW - finished_ago,
            )
            return (await add(session, run)).id

        past = await job_run("universe_sync", window + SECOND, "succeeded")
        at = await job_run("universe_sync", window, "failed")
        newest = await job_run("universe_sync", timedelta(hours=1), "succeeded")
        older = await job_run("auto_rebalance", window * 3, "skipped")
        only = await job_run("auto_rebalance", window * 2, "succeeded")  # its last: kept
        running = await job_run("score_refresh", None, "running")
        await session.execute(
            JobRun.__table__.update()
            .where(JobRun.id == running)
            .values(started_at=NOW - window * 2)
        )
        await job_run("score_refresh", window * 3, "succeeded")  # newest id, old: job's last
        report = await apply(session)
        left = set((await session.scalars(select(JobRun.id))).all())
        assert past not in left and older not in left
        assert {at, newest, only, running} <= left
        assert report["job_runs_deleted"] == 2


async def idempotency_key(
    session: AsyncSession, key: str, expires_at: datetime, state: str = "completed"
) -> int:
    """A key first used for `POST /signals` with body b"{}", answered 201 unless in progress."""
    completed = state == "completed"
    row = IdempotencyKey(
        key=key,
        principal="bot",
        method="POST",
        path="/signals",
        request_hash=request_fingerprint("POST", "/signals", b"{}"),
        state=state,
        response_status=201 if completed else None,
        response_headers={"content-type": "application/json"} if completed else None,
        response_body=f'{{"key": "{key}"}}'.encode() if completed else None,
        created_at=expires_at - timedelta(hours=24),
        expires_at=expires_at,
    )
    return (await add(session, row)).id


class TestIdempotencyKeys:
    async def test_keys_past_their_expiry_go_and_the_others_stay(
        self, session: AsyncSession
    ) -> None:
        await idempotency_key(session, "past", NOW - SECOND)
        await idempotency_key(session, "at", NOW)  # no longer replayed from this instant on
        await idempotency_key(session, "abandoned", NOW - timedelta(hours=1), "in_progress")
        within = await idempotency_key(session, "within", NOW + SECOND)
        running = await idempotency_key(
            session, "running", NOW + timedelta(hours=24), "in_progress"
        )
        report = await apply(session)
        assert set((await session.scalars(select(IdempotencyKey.id))).all()) == {within, running}
        assert report["idempotency_keys_deleted"] == 3

    async def test_a_batch_smaller_than_the_expired_keys_deletes_them_all(
        self, session: AsyncSession
    ) -> None:
        await set_config(session, "retention_batch_rows", 2)
        for i in range(5):
            await idempotency_key(session, f"old-{i}", NOW - timedelta(hours=i + 1))
        kept = await idempotency_key(session, "new", NOW + timedelta(hours=1))
        counts: list[int] = []

        async def after_batch() -> None:
            counts.append(await count(session, IdempotencyKey))

        report = asdict(await RetentionService(session, after_batch).apply(NOW))
        changes = [a - b for a, b in zip([6, *counts], counts, strict=False)]
        assert sorted(c for c in changes if c) == [1, 2, 2]  # one transaction per batch
        assert (await session.scalars(select(IdempotencyKey.id))).all() == [kept]
        assert report["idempotency_keys_deleted"] == 5

    async def test_a_kept_key_still_replays_its_stored_answer(
        self, session: AsyncSession, connection: AsyncConnection
    ) -> None:
        now = utcnow()  # the guard judges expiry by the clock
        await idempotency_key(session, "expired", now - SECOND)
        await idempotency_key(session, "kept", now + timedelta(hours=1))
        await apply(session, now)
        # The guard's own short transactions, here savepoints of the test's transaction.
        sessions = async_sessionmaker(
            connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        guard = IdempotencyGuard(
            sessions,
            key="kept",
            principal="bot",
            method="POST",
            path="/signals",
            fingerprint=request_fingerprint("POST", "/signals", b"{}"),
        )
        assert await guard.claim() == StoredAnswer(
            201, {"content-type": "application/json"}, b'{"key": "kept"}'
        )


async def ids(
    session: AsyncSession, model: type[Signal] | type[ReplayRun] | type[Alert]
) -> set[int]:
    session.expire_all()
    return set((await session.scalars(select(model.id))).all())


DAY = timedelta(days=1)
WINDOW = 90 * DAY  # the default of retention_signal_days, _replay_days and _alert_days


async def signal(
    session: AsyncSession, status: str, age: timedelta, *, forward_return: float | None = 0.01
) -> int:
    """A one-day BUY posted `age` before NOW; a decided one evaluated then, with its votes and
    `forward_return` (None: not measured yet)."""
    decided = status in ("approved", "rejected")
    settled = status not in ("pending", "processing")
    vote = {"agent": "technical", "decision": "approve", "confidence": 0.8, "reason": ""}
    row = Signal(
        source="bot",
        signal_type="momentum",
        direction="BUY",
        strength=Decimal("0.5"),
        confidence=Decimal("0.5"),
        timeframe="1d",
        payload={},
        status=status,
        votes=[vote] if decided else [],
        consensus={"outcome": status} if decided else {},
        created_at=NOW - age,
        processed_at=NOW - age if settled else None,
        evaluated_at=NOW - age if decided else None,
        forward_return=forward_return if decided else None,
    )
    return (await add(session, row)).id


class TestSignals:
    async def test_settled_signals_go_past_their_window(self, session: AsyncSession) -> None:
        for status in ("approved", "rejected", "expired"):
            await signal(session, status, WINDOW + SECOND)
        kept = {
            await signal(session, "approved", WINDOW),
            await signal(session, "rejected", DAY),
            await signal(session, "pending", 3 * WINDOW),  # never evaluated: still to be
            await signal(session, "processing", 3 * WINDOW),
        }
        report = await apply(session)
        assert await ids(session, Signal) == kept
        assert report["signals_deleted"] == 3

    async def test_an_unmeasured_signal_stays_until_its_longest_horizon_ended_a_window_ago(
        self, session: AsyncSession
    ) -> None:
        await signal(session, "approved", WINDOW + SECOND)  # measured: goes
        kept = {
            # Its one-day horizon ended less than a window ago: measurement still reads it.
            await signal(session, "approved", WINDOW + SECOND, forward_return=None),
            await signal(session, "approved", WINDOW + DAY, forward_return=None),
        }
        # Never measured (its candles never came) though its horizon ended a window ago: goes.
        await signal(session, "rejected", WINDOW + DAY + SECOND, forward_return=None)
        report = await apply(session)
        assert await ids(session, Signal) == kept
        assert report["signals_deleted"] == 2

    async def test_each_transaction_deletes_at_most_the_batch_size(
        self, session: AsyncSession
    ) -> None:
        await set_config(session, "retention_batch_rows", 2)
        for _ in range(5):
            await signal(session, "approved", WINDOW + DAY)
        kept = await signal(session, "approved", DAY)
        counts: list[int] = []

        async def after_batch() -> None:
            counts.append(await count(session, Signal))

        report = asdict(await RetentionService(session, after_batch).apply(NOW))
        changes = [a - b for a, b in zip([6, *counts], counts, strict=False)]
        assert sorted(c for c in changes if c) == [1, 2, 2]
        assert await ids(session, Signal) == {kept}
        assert report["signals_deleted"] == 5


async def replay_run(
    session: AsyncSession,
    kind: str,
    status: str,
    ended_ago: timedelta,
    policy_hash: str | None = None,
) -> int:
    """A `kind` run that ended `ended_ago` before NOW (queued or running: created then), an
    hour after it was created, with its report when it succeeded."""
    pending = status in ("queued", "running")
    created = NOW - ended_ago - (timedelta(0) if pending else timedelta(hours=1))
    row = ReplayRun(
        kind=kind,
        status=status,
        policy_hash=policy_hash,
        requested_by="key-1:desk",
        params={},
        data_from=created - WINDOW,
        data_to=created,
        created_at=created,
        heartbeat_at=NOW if pending else None,
        finished_at=None if pending else NOW - ended_ago,
        report={"summary": {"sharpe": 1.0}} if status == "succeeded" else None,
    )
    return (await add(session, row)).id


class TestReplayRuns:
    async def test_ended_runs_go_past_their_window(self, session: AsyncSession) -> None:
        past = WINDOW + SECOND
        await replay_run(session, "replay", "succeeded", 2 * WINDOW)  # older than the newest
        await replay_run(session, "replay", "failed", past)
        await replay_run(session, "what_if", "cancelled", past)
        await replay_run(session, "calibration", "aborted", past)
        kept = {
            await replay_run(session, "replay", "succeeded", past),  # the kind's newest success
            await replay_run(session, "replay", "failed", WINDOW),
            await replay_run(session, "replay", "queued", 3 * WINDOW),
            await replay_run(session, "calibration", "running", 3 * WINDOW),
        }
        report = await apply(session)
        assert await ids(session, ReplayRun) == kept
        assert report["replay_runs_deleted"] == 4

    async def test_the_evidence_in_force_and_each_kinds_newest_success_stay(
        self, session: AsyncSession
    ) -> None:
        old = 2 * WINDOW

        async def calibration(policy_hash: str, ended_ago: timedelta, status: str) -> int:
            return await replay_run(session, "calibration", status, ended_ago, policy_hash)

        await calibration("a" * 64, old + DAY, "succeeded")  # superseded
        newest_of_a = await calibration("a" * 64, old, "succeeded")
        newest_of_b = await calibration("b" * 64, old, "succeeded")
        await calibration("b" * 64, old - DAY, "failed")  # newer, but no evidence
        what_if = await replay_run(session, "what_if", "succeeded", old)
        report = await apply(session)
        assert await ids(session, ReplayRun) == {newest_of_a, newest_of_b, what_if}
        replays = ReplayRepository(session)
        for policy_hash, run_id in (("a" * 64, newest_of_a), ("b" * 64, newest_of_b)):
            kept = await replays.latest_succeeded("calibration", policy_hash)
            assert kept is not None and kept.id == run_id and kept.report is not None
        assert report["replay_runs_deleted"] == 2

    async def test_a_transaction_deletes_at_most_twenty_runs(self, session: AsyncSession) -> None:
        for _ in range(45):  # a report can be megabytes: fewer than retention_batch_rows
            await replay_run(session, "replay", "failed", 2 * WINDOW)
        counts: list[int] = []

        async def after_batch() -> None:
            counts.append(await count(session, ReplayRun))

        report = asdict(await RetentionService(session, after_batch).apply(NOW))
        changes = [a - b for a, b in zip([45, *counts], counts, strict=False)]
        assert sorted(c for c in changes if c) == [5, 20, 20]
        assert report["replay_runs_deleted"] == 45 and counts[-1] == 0


async def alert(
    session: AsyncSession, status: str, seen_ago: timedelta, resolved_ago: timedelta | None = None
) -> int:
    """An alert first seen `seen_ago` before NOW, resolved `resolved_ago` before NOW if given."""
    row = Alert(
        kind="low_score",
        severity="warning",
        fingerprint=f"low_score:{uuid4().hex}",
        status=status,
        message="low score",
        details={},
        occurrences=1,
        first_seen_at=NOW - seen_ago,
        last_seen_at=NOW - (resolved_ago or seen_ago),
        resolved_at=None if resolved_ago is None else NOW - resolved_ago,
    )
    return (await add(session, row)).id


class TestAlerts:
    async def test_resolved_alerts_go_past_their_window(self, session: AsyncSession) -> None:
        await alert(session, "resolved", 3 * WINDOW, WINDOW + SECOND)
        kept = {
            await alert(session, "resolved", 3 * WINDOW, WINDOW),
            await alert(session, "open", 3 * WINDOW),
            await alert(session, "acknowledged", 3 * WINDOW),
        }
        report = await apply(session)
        assert await ids(session, Alert) == kept
        assert report["alerts_deleted"] == 1

    async def test_a_resolved_alert_stays_while_a_recurrence_would_reopen_it(
        self, session: AsyncSession
    ) -> None:
        await set_config(session, "retention_alert_days", 1)
        await set_config(session, "alert_cooldown_s", 3 * 86_400)
        within_cooldown = await alert(session, "resolved", 4 * DAY, 3 * DAY)
        await alert(session, "resolved", 4 * DAY, 3 * DAY + SECOND)  # past both
        report = await apply(session)
        assert await ids(session, Alert) == {within_cooldown}
        assert report["alerts_deleted"] == 1


class TestKept:
    async def test_candles_and_audit_trails_are_never_touched(self, session: AsyncSession) -> None:
        symbol = await make_symbol(session)
        await make_candles(session, symbol, [100.0] * 5, start=NOW - timedelta(days=900))
        await add(
            session,
            PortfolioHistory(
                occurred_at=NOW - timedelta(days=900),
                action="add",
                symbol=symbol.symbol,
                actor="a",
                details={},
            ),
        )
        await add(
            session,
            ConfigurationChange(
                changed_at=NOW - timedelta(days=900), actor="a", key="k", old_value=1, new_value=2
            ),
        )
        for model in (Candle, PortfolioHistory, ConfigurationChange):
            before = await count(session, model)
            await apply(session)
            assert await count(session, model) == before > 0
