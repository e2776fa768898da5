"""Move the as-run record forward: mark every hour whose candles are stored since the last one,
taking in the decisions the audit trail recorded meanwhile, in one transaction.

The `as_run` book is the real portfolio, whoever changed it (an API key's name, `scheduler`,
`autopilot`). Decisions: each audit row (a change of members or target weights) is traded at the
first hourly close at or after it; rows trading at the same hour are one decision (the last state
holds; their distinct actors and reasons joined with "+"). A row recorded after its hour was
marked (a race with this job) trades at the next hour. Each decision keeps the fee and slippage
in force when it was marked.

Exactly once: the record moves by a compare-and-set on its last hour, and every hour's row has
a primary key, so two replicas (or a retry after a crash) can never count an hour twice; a
transaction that loses raises `LostRace` and keeps nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.books.replay_config import deployment_policy
from app.books.simulation.replay_params import policy_hash
from app.platform.core.clock import utcnow
from app.platform.core.units import HOUR
from app.platform.settings_store.declaration import between
from app.platform.settings_store.fields import setting
from app.platform.settings_store.reader import read_typed
from app.portfolio.maths.membership_intervals import held
from app.records.hours import ceil_hour, floor_hour, markable_until
from app.records.keeping.as_run import TrackState, Weights
from app.records.repository.as_run import (
    AsRunRepository,
    TrackRecordDecisionRow,
    TrackRecordHourRow,
)

MAX_HOURS_PER_UPDATE = 24 * 31  # a long catch-up moves a month per transaction


@dataclass(frozen=True)
class RecordCosts:
    """What the records pay on traded notional (bps): the as-run and the forward record's."""

    fee_bps: float = field(
        metadata=setting(
            "track_record_fee_bps",
            6.0,
            "Taker fee the track record pays on traded notional (bps).",
            between(0, 1000),
        )
    )
    slippage_bps: float = field(
        metadata=setting(
            "track_record_slippage_bps",
            0.0,
            "Slippage the track record pays on traded notional (bps).",
            between(0, 1000),
        )
    )


def joined(earlier: str, later: str) -> str:
    """Two "+"-joined lists of names as one, each name once, in order."""
    return "+".join(dict.fromkeys((*earlier.split("+"), *later.split("+"))))


@dataclass(frozen=True)
class Change:
    at: datetime  # the hour it trades at
    audit_id: int
    actor: str
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
        return {
            "from": iso[0],
            "to": iso[1],
            "hours": self.hours,
            "decisions": self.decisions,
            "gap_hours": self.gaps,
        }


NOTHING = Updated(None, None, 0, 0, 0)


@dataclass(frozen=True)
class Marked:
    hours: int
    gaps: int
    hour_rows: list[TrackRecordHourRow]
    decision_rows: list[TrackRecordDecisionRow]


def as_run_changes(
    rows: list[tuple[int, datetime, str, str, str]], after: datetime, until: datetime
) -> list[Change]:
    """The audit rows as decisions trading in (after, until], one per hour (the last row of
    the hour holds, the actors and reasons joined); rows after them wait for a later update."""
    by_hour: dict[datetime, Change] = {}
    for audit_id, at, actor, reason, members in rows:
        hour = max(ceil_hour(at), after + HOUR)
        if hour > until:
            break
        weights = {h.symbol: float(h.weight) / 100.0 for h in held(members)}
        earlier = by_hour.get(hour)
        if earlier is not None:
            actor, reason = joined(earlier.actor, actor), joined(earlier.reason, reason)
        by_hour[hour] = Change(hour, audit_id, actor, reason, weights)
    return list(by_hour.values())


class AsRunService:
    """Marks the record forward (the `track_record` job's body)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.records = AsRunRepository(session)

    async def update(self, now: datetime | None = None) -> Updated:
        """Mark the hours stored since the last update (at most a month of them)."""
        record = await self.records.get()
        target = await markable_until(self.records, now or utcnow())
        if target is None:
            return NOTHING
        if record is None:
            first = await self.records.first_audit()
            if first is None or ceil_hour(first[1]) > target:
                return NOTHING
            inception = ceil_hour(first[1])
            state = TrackState()
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
        changes = as_run_changes(await self.records.states_after(last_audit), last, end)
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

    async def _mark(
        self, state: TrackState, last: datetime, end: datetime, changes: list[Change]
    ) -> Marked:
        """Move `state` over the hours (last, end]; the rows to store."""
        costs = await read_typed(self.session, RecordCosts)
        cost = (costs.fee_bps + costs.slippage_bps) / 1e4
        config_hash = policy_hash(await deployment_policy(self.session, None, None))
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
        hour_rows: list[TrackRecordHourRow] = []
        decision_rows: list[TrackRecordDecisionRow] = []
        hours = gaps = 0
        moment = last + HOUR
        while moment <= end:
            change = by_hour.get(moment)
            target = None if change is None else change.weights
            marked = state.mark(closes.get(moment, {}), rates.get(moment, {}), target, cost)
            hour_rows.extend(
                {"strategy": name, "at": moment, "equity": value, "gap": marked.gap}
                for name, value in marked.equity.items()
            )
            if change is not None:
                decision_rows.append(
                    {
                        "at": moment,
                        "audit_id": change.audit_id,
                        "actor": change.actor,
                        "reason": change.reason,
                        "config_hash": config_hash,
                        "fee_bps": costs.fee_bps,
                        "slippage_bps": costs.slippage_bps,
                        "weights": change.weights,
                        "turnover": marked.turnover,
                        "fees": marked.fees,
                    }
                )
            hours += 1
            gaps += marked.gap
            moment += HOUR
        return Marked(hours, gaps, hour_rows, decision_rows)
