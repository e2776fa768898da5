"""Move the track record forward: mark every hour whose candles are stored since the last one,
taking in the decisions the audit trail recorded meanwhile, in one transaction.

Decisions: each audit row (a change of members or target weights) is traded at the first
hourly close at or after it; rows trading at the same hour are one decision (the last state
holds). A row recorded after its hour was marked (a race with this job) trades at the next
hour. The baselines decide at the same hours from the history stored up to that hour.

Exactly once: the record moves by a compare-and-set on its last hour, and every hour's row has
a primary key, so two replicas (or a retry after a crash) can never count an hour twice; a
transaction that loses raises `LostRace` and keeps nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.db.repositories.trackrecord import TrackRecordRepository
from app.portfolio.timeline import held
from app.replay.config import ReplayParams, policy_hash
from app.services.replay.db_source import history_of
from app.services.replay.service import deployment_policy
from app.services.system.runtime_settings import read_settings
from app.trackrecord.baselines import LiveUniverse, Weights, named_targets
from app.trackrecord.tracker import BOOKS, Decision, TrackState

HOUR = timedelta(hours=1)
MAX_HOURS_PER_UPDATE = 24 * 31  # a long catch-up moves a month per transaction
BASELINE = ReplayParams(0, 0, 1)  # the replay's baseline parameters: momentum, random draws
TURNOVER_HOURS = 24  # top_volume's window (`app.replay.inputs.quote_turnover`)


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def ceil_hour(moment: datetime) -> datetime:
    floored = floor_hour(moment)
    return floored if floored == moment else floored + HOUR


@dataclass(frozen=True)
class PolicyChange:
    at: datetime  # the hour it trades at
    audit_id: int
    reason: str
    weights: Weights  # fractions


@dataclass(frozen=True)
class Updated:
    marked_from: datetime | None  # the first hour marked (None: nothing to mark)
    marked_to: datetime | None
    hours: int
    decisions: int
    gaps: int

    def to_json(self) -> dict[str, Any]:
        iso = [None if m is None else m.isoformat() for m in (self.marked_from, self.marked_to)]
        return {"from": iso[0], "to": iso[1], "hours": self.hours, "decisions": self.decisions,
                "gap_hours": self.gaps}  # fmt: skip


NOTHING = Updated(None, None, 0, 0, 0)


@dataclass(frozen=True)
class Marked:
    hours: int
    gaps: int
    hour_rows: list[dict[str, Any]]
    decision_rows: list[dict[str, Any]]


def policy_changes(
    rows: list[tuple[int, datetime, str, str]], after: datetime, until: datetime
) -> list[PolicyChange]:
    """The audit rows as decisions trading in (after, until], one per hour (the last row of
    the hour holds, the reasons joined); rows after them wait for a later update."""
    by_hour: dict[datetime, PolicyChange] = {}
    for audit_id, at, reason, members in rows:
        hour = max(ceil_hour(at), after + HOUR)
        if hour > until:
            break
        weights = {h.symbol: float(h.weight) / 100.0 for h in held(members)}
        earlier = by_hour.get(hour)
        if earlier is not None:
            reasons = dict.fromkeys((*earlier.reason.split("+"), *reason.split("+")))
            reason = "+".join(reasons)
        by_hour[hour] = PolicyChange(hour, audit_id, reason, weights)
    return list(by_hour.values())


class TrackRecordUpdater:
    """Marks the record forward (the `track_record` job's body)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.records = TrackRecordRepository(session)

    async def update(self, now: datetime | None = None) -> Updated:
        """Mark the hours stored since the last update (at most a month of them)."""
        record = await self.records.get()
        target = await self._markable_until(now or utcnow())
        if target is None:
            return NOTHING
        if record is None:
            first = await self.records.first_audit()
            if first is None or ceil_hour(first[1]) > target:
                return NOTHING
            inception = ceil_hour(first[1])
            state = TrackState.fresh(BASELINE.random_seed, BASELINE.random_draws)
            last, last_audit = inception - HOUR, 0
        else:
            state, last, last_audit = (
                TrackState.of(record.state),
                record.last_hour,
                record.last_audit_id,
            )
        end = min(target, last + HOUR * MAX_HOURS_PER_UPDATE)
        if end <= last:
            return NOTHING
        changes = policy_changes(await self.records.states_after(last_audit), last, end)
        marked = await self._mark(state, last, end, changes)
        taken_in = changes[-1].audit_id if changes else last_audit
        # The record moves first: a replica that lost the race stops here, before writing.
        if record is None:
            await self.records.create(inception, end, taken_in, state.to_json())
        else:
            await self.records.advance(last, end, taken_in, state.to_json())
        await self.records.add_hours(marked.hour_rows)
        await self.records.add_decisions(marked.decision_rows)
        return Updated(last + HOUR, end, marked.hours, len(changes), marked.gaps)

    async def _markable_until(self, now: datetime) -> datetime | None:
        """The last hour to mark: the newest stored candle's close, not after now."""
        last_open = await self.records.last_candle_open()
        if last_open is None:
            return None
        return min(last_open + HOUR, floor_hour(now))

    async def _mark(
        self, state: TrackState, last: datetime, end: datetime, changes: list[PolicyChange]
    ) -> Marked:
        """Move `state` over the hours (last, end]; the rows to store."""
        settings = await read_settings(
            self.session, ["track_record_fee_bps", "track_record_slippage_bps"]
        )
        cost = (
            float(settings["track_record_fee_bps"]) + float(settings["track_record_slippage_bps"])
        ) / 1e4
        policy = await deployment_policy(self.session, None, None)
        config_hash = policy_hash(policy)
        closes: dict[datetime, dict[str, float]] = defaultdict(dict)
        for symbol, opened, close in await self.records.closes(last, end - HOUR):
            if math.isfinite(close):
                closes[opened + HOUR][symbol] = close
        rates: dict[datetime, dict[str, float]] = defaultdict(dict)
        for symbol, at, rate in await self.records.settlements(
            last + HOUR, end + HOUR - timedelta(microseconds=1)
        ):
            hour = floor_hour(at)
            rates[hour][symbol] = rates[hour].get(symbol, 0.0) + rate
        by_hour = {c.at: c for c in changes}
        hour_rows: list[dict[str, Any]] = []
        decision_rows: list[dict[str, Any]] = []
        hours = gaps = 0
        moment = last + HOUR
        while moment <= end:
            change = by_hour.get(moment)
            decision = (
                None
                if change is None
                else await self._decision(state, change, policy.benchmark, policy.max_symbols)
            )
            marked = state.mark(closes.get(moment, {}), rates.get(moment, {}), decision, cost)
            hour_rows.extend(
                {"strategy": name, "at": moment, "equity": value, "gap": marked.gap}
                for name, value in marked.equity.items()
            )
            if change is not None:
                decision_rows.append(
                    {"at": moment, "audit_id": change.audit_id, "reason": change.reason,
                     "config_hash": config_hash, "weights": change.weights,
                     "turnover": marked.turnover, "fees": marked.fees}
                )  # fmt: skip
            hours += 1
            gaps += marked.gap
            moment += HOUR
        return Marked(hours, gaps, hour_rows, decision_rows)

    async def _decision(
        self, state: TrackState, change: PolicyChange, benchmark: str, top: int
    ) -> Decision:
        """Every book's targets at `change`'s hour: the policy's from the audit trail, the
        baselines' from the history stored up to that hour."""
        lookback = HOUR * (BASELINE.momentum_days * 24 + 1)
        eligible = await self.records.eligible_at(change.at)
        # The eligible symbols' last day (top_volume's turnover, the last close) and first
        # candle in the momentum window: a sparse history that answers the baselines as the
        # full one (tests/integration/test_track_record.py).
        bars = await self.records.baseline_bars(
            [*eligible, benchmark],
            change.at - lookback,
            change.at - TURNOVER_HOURS * HOUR,
            change.at - HOUR,
        )
        history = (await history_of(self.session, bars))[0] if bars else None
        first = not state.books["btc_hold"].trades
        if history is None or not eligible:  # nothing eligible: the baselines hold cash
            named: dict[str, Weights | None] = {name: {} for name in BOOKS[1:]}
            named["btc_hold"] = {benchmark: 1.0} if first else None
            draws: list[Weights] = [draw.targets([], top) for draw, _ in state.draws]
        else:
            universe = LiveUniverse.at(history, int(change.at.timestamp() * 1000), eligible)
            named = named_targets(
                universe, benchmark=benchmark, top=top, momentum_days=BASELINE.momentum_days,
                first=first,
            )  # fmt: skip
            names = [history.symbols[i] for i in universe.eligible]
            draws = [draw.targets(names, top) for draw, _ in state.draws]
        return Decision({"policy": change.weights, **named}, draws)
