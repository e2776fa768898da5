"""`GET /evidence/live`: the as-run record as stored, since inception and over the last 30 and
90 days, with its configuration segments and the replacements' hit rate; from the portfolio's
first decision on, before its first hour is marked too (then with zero figures)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.schemas import MarketDataRead
from app.market.service import market_data_between
from app.platform.core.clock import utcnow
from app.platform.core.errors import NotFoundError
from app.platform.core.units import HOUR, to_epoch_ms
from app.records.forward_read import ForwardEvidenceService
from app.records.hours import ceil_hour, markable_until
from app.records.keeping.as_run import STRATEGIES
from app.records.keeping.figures import segments, thinned, window_figures
from app.records.models import TrackRecordDecision
from app.records.repository.as_run import AsRunRepository
from app.records.schemas import (
    AsRunRecord,
    ForwardRecordRead,
    LiveEvidenceRead,
    LiveFigures,
    LiveWindow,
    ReplacementOutcomes,
    Segment,
)
from app.stats.skill import outcome_figures

WINDOWS = {"since_inception": None, "last_30d": 30, "last_90d": 90}
HIT_HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class Hours:
    times: list[datetime]
    equity: dict[str, np.ndarray]  # by book, aligned with `times`
    gap_hours: int


class LiveEvidenceService:
    """The live record's document for `GET /evidence/live`, from what is stored."""

    def __init__(self, session: AsyncSession) -> None:
        self.records = AsRunRepository(session)

    async def document(self) -> LiveEvidenceRead:
        """`as_run`, the real portfolio's record (null before its first decision), and
        `forward`, the shadow books' (null before the `forward_record` job first ran); 404
        while both are null."""
        as_run = await self.as_run()
        forward = await ForwardEvidenceService(self.records.session).section()
        if as_run is None and forward is None:
            raise NotFoundError(
                "no record yet: the forward record starts at the first forward_record job after "
                "deployment, the as-run record at the portfolio's first decision"
            )
        return LiveEvidenceRead(
            as_run=as_run, forward=forward, market_data=await self.market_data(as_run, forward)
        )

    async def market_data(
        self, as_run: AsRunRecord | None, forward: ForwardRecordRead | None
    ) -> MarketDataRead | None:
        """Where the candles its marks read came from, since the earlier inception; None while
        both start in an hour still to come (no figure yet)."""
        now = utcnow()
        started = min(r.inception for r in (as_run, forward) if r is not None)
        if started > now:
            return None
        return await market_data_between(self.records.session, started, now)

    async def as_run(self) -> AsRunRecord | None:
        """The real portfolio's record; None before its first decision."""
        record = await self.records.get()
        if record is not None:
            inception, last, updated = record.inception_at, record.last_hour, record.updated_at
        else:
            first = await self.records.first_audit()
            if first is None:
                return None
            inception, last, updated = ceil_hour(first[1]), None, None
        hours = await self._hours()
        decisions = list(await self.records.decisions())
        target = await markable_until(self.records, utcnow())
        since = last or inception - HOUR
        times_ms = np.array([to_epoch_ms(t) for t in hours.times], dtype=np.int64)
        return AsRunRecord(
            inception=inception,
            marked_to=last,
            updated_at=updated,
            hours=len(hours.times),
            hours_to_mark=0 if target is None else max(0, int((target - since) / HOUR)),
            gap_hours=hours.gap_hours,
            decisions=len(decisions),
            segments=[Segment.of(span) for span in segments(decisions, last)],
            windows=self._windows(inception, hours, decisions),
            replacements=await self._replacements(inception, last),
            equity={
                name: thinned(times_ms, hours.equity[name]) if name in hours.equity else []
                for name in STRATEGIES
            },
        )

    def _windows(
        self, inception: datetime, hours: Hours, decisions: list[TrackRecordDecision]
    ) -> dict[str, LiveWindow]:
        """Each window's figures by book; before the first mark, a window of the inception
        hour alone (zero return, no volatility or Sharpe)."""
        times = hours.times or [inception]
        equity = hours.equity if hours.times else {s: np.ones(1) for s in STRATEGIES}
        windows: dict[str, LiveWindow] = {}
        for name, days in WINDOWS.items():
            start = 0 if days is None else max(0, len(times) - 1 - days * 24)
            since = times[start]
            inside = [d for d in decisions if d.at >= since]
            figures = window_figures(
                to_epoch_ms(since),
                {s: curve[start:] for s, curve in equity.items()},
                {s: [d.turnover.get(s, 0.0) for d in inside] for s in STRATEGIES},
                {s: sum(d.fees.get(s, 0.0) for d in inside) for s in STRATEGIES},
            )
            windows[name] = LiveWindow(
                from_=since,
                to=times[-1],
                complete=bool(hours.times) and (days is None or len(times) - 1 >= days * 24),
                books={book: LiveFigures(**kept) for book, kept in figures.items()},
            )
        return windows

    async def _hours(self) -> Hours:
        by_book: dict[str, list[float]] = defaultdict(list)
        times: list[datetime] = []
        gaps = 0
        for book, at, value, gap in await self.records.hours():
            by_book[book].append(value)
            if book == STRATEGIES[0]:
                times.append(at)
                gaps += gap
        equity = {s: np.array(by_book[s]) for s in STRATEGIES if s in by_book}
        return Hours(times, equity, gaps)

    async def _replacements(
        self, inception: datetime, last: datetime | None
    ) -> ReplacementOutcomes:
        """Each replacement's newcomer return minus the replaced member's over the 7 days
        from the hour it traded at (those whose 7 days have passed, both priced), clustered by
        decision date with overlapping horizons as the replay's are."""
        edges: list[float] = []
        dates: list[int] = []
        rows = [] if last is None else await self.records.replacements_since(inception)
        for at, newcomer, replaced in rows:
            start = ceil_hour(at)
            end = start + HIT_HORIZON
            if last is None or end > last:
                continue
            closes = await self.records.closes(start - HOUR, end - HOUR, [newcomer, replaced])
            first = {s: c for s, t, c in closes if t == start - HOUR}
            final = {s: c for s, t, c in closes if t == end - HOUR}
            if all(s in first and s in final for s in (newcomer, replaced)):
                edges.append(final[newcomer] / first[newcomer] - final[replaced] / first[replaced])
                dates.append(to_epoch_ms(start.replace(hour=0)))
        figures = outcome_figures(
            np.array(edges), np.array(dates, dtype=np.int64), HIT_HORIZON / HOUR
        )
        return ReplacementOutcomes(horizon_days=HIT_HORIZON.days, **figures)
