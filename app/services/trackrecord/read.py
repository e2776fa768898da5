"""`GET /evidence/live`: the track record as stored, since inception and over the last 30 and
90 days, with its configuration segments and the replacements' hit rate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFoundError
from app.db.models import TrackRecordDecision
from app.db.repositories.trackrecord import TrackRecordRepository
from app.replay.skill import outcome_figures
from app.services.trackrecord.update import HOUR, ceil_hour
from app.trackrecord.figures import thinned, window_figures
from app.trackrecord.tracker import STRATEGIES

WINDOWS = {"since_inception": None, "last_30d": 30, "last_90d": 90}
HIT_HORIZON = timedelta(days=7)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass(frozen=True)
class Hours:
    times: list[datetime]
    equity: dict[str, np.ndarray]  # by strategy, aligned with `times`
    gap_hours: int


class LiveEvidence:
    """The track record's document for `GET /evidence/live`, from what is stored."""

    def __init__(self, session: AsyncSession) -> None:
        self.records = TrackRecordRepository(session)

    async def document(self) -> dict[str, Any]:
        record = await self.records.get()
        if record is None:
            raise NotFoundError(
                "no track record yet: it starts at the portfolio's first decision and is marked "
                "once that hour's candles are stored (the track_record job)"
            )
        hours = await self._hours()
        decisions = list(await self.records.decisions())
        times_ms = np.array([_ms(t) for t in hours.times], dtype=np.int64)
        windows = {}
        for name, days in WINDOWS.items():
            start = 0 if days is None else max(0, len(hours.times) - 1 - days * 24)
            since = hours.times[start]
            inside = [d for d in decisions if d.at >= since]
            windows[name] = {
                "from": _iso(since),
                "to": _iso(hours.times[-1]),
                "complete": days is None or len(hours.times) - 1 >= days * 24,
                **window_figures(
                    _ms(since),
                    {s: curve[start:] for s, curve in hours.equity.items()},
                    {s: [d.turnover.get(s, 0.0) for d in inside] for s in STRATEGIES},
                    {s: sum(d.fees.get(s, 0.0) for d in inside) for s in STRATEGIES},
                ),
            }
        return {
            "inception": _iso(record.inception_at),
            "marked_to": _iso(record.last_hour),
            "updated_at": _iso(record.updated_at),
            "hours": len(hours.times),
            "gap_hours": hours.gap_hours,
            "decisions": len(decisions),
            "segments": segments(decisions, record.last_hour),
            "windows": windows,
            "replacements": await self._replacements(record.inception_at, record.last_hour),
            "equity": {s: thinned(times_ms, curve) for s, curve in hours.equity.items()},
        }

    async def _hours(self) -> Hours:
        by_strategy: dict[str, list[float]] = defaultdict(list)
        times: list[datetime] = []
        gaps = 0
        for strategy, at, value, gap in await self.records.hours():
            by_strategy[strategy].append(value)
            if strategy == "policy":
                times.append(at)
                gaps += gap
        equity = {s: np.array(by_strategy[s]) for s in STRATEGIES if s in by_strategy}
        return Hours(times, equity, gaps)

    async def _replacements(self, inception: datetime, last: datetime) -> dict[str, Any]:
        """Each replacement's newcomer return minus the replaced member's over the 7 days
        from the hour it traded at (those whose 7 days have passed, both priced)."""
        edges = []
        for at, newcomer, replaced in await self.records.replacements_since(inception):
            start = ceil_hour(at)
            end = start + HIT_HORIZON
            if end > last:
                continue
            closes = await self.records.closes(start - HOUR, end - HOUR, [newcomer, replaced])
            first = {s: c for s, t, c in closes if t == start - HOUR}
            final = {s: c for s, t, c in closes if t == end - HOUR}
            if all(s in first and s in final for s in (newcomer, replaced)):
                edges.append(final[newcomer] / first[newcomer] - final[replaced] / first[replaced])
        return {"horizon_days": HIT_HORIZON.days, **outcome_figures(np.array(edges))}


def segments(decisions: list[TrackRecordDecision], last: datetime) -> list[dict[str, Any]]:
    """The spans of one configuration: a change of configuration hash starts a new one."""
    out: list[dict[str, Any]] = []
    for decision in decisions:
        if out and out[-1]["config_hash"] == decision.config_hash:
            out[-1]["decisions"] += 1
            continue
        if out:
            out[-1]["to"] = _iso(decision.at)
        out.append({"config_hash": decision.config_hash, "from": _iso(decision.at),
                    "to": _iso(last), "decisions": 1})  # fmt: skip
    return out
