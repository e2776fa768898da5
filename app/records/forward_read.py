"""The forward record as read: every shadow book's figures, each scoring book's skill, and the
default against each registered challenger under the forward rule (`app.lab.calibration.
forward_rule`), from what is stored."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.books.simulation.replay_report import StrategyFigures
from app.books.simulation.strategy_figures import strategy_figures
from app.platform.core.clock import utcnow
from app.platform.core.units import HOUR
from app.records.hours import floor_hour
from app.records.keeping.challengers import CHALLENGERS, Challenger
from app.records.keeping.figures import kept, segments, thinned
from app.records.keeping.forward import POLICY, challenger_book
from app.records.keeping.forward_rule import (
    LEAD_SE,
    MIN_DECISIONS,
    ForwardSeries,
    ForwardVerdict,
    adopt_forward,
    forward_verdicts,
)
from app.records.models import ForwardDay
from app.records.repository.as_run import AsRunRepository
from app.records.repository.forward import ForwardRepository
from app.records.schemas import (
    ChallengersRead,
    ChallengerVerdict,
    ForwardBook,
    ForwardRecordRead,
    ForwardRule,
    Segment,
    SkillIc,
)
from app.stats.hac import mean_hac
from app.stats.rounding import rounded
from app.stats.skill import regression

DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class Verdicts:
    """The forward rule over the stored days: each challenger's verdict, and the one it would
    adopt (None: the default stays)."""

    verdicts: list[ForwardVerdict]
    adopt: str | None
    decisions: int  # the default's judged daily decisions


def verdicts_of(
    days: Sequence[ForwardDay], challengers: Sequence[Challenger] = CHALLENGERS
) -> Verdicts:
    """The forward rule on the default's daily decisions (the `policy` book), each challenger
    aligned with them (NaN on a day it had not started)."""
    by_book: dict[str, dict[datetime, ForwardDay]] = defaultdict(dict)
    for day in days:
        by_book[day.book][day.decided_at] = day
    default_days = sorted(by_book[POLICY])

    def series(book: str) -> ForwardSeries:
        mine = by_book.get(book, {})
        return ForwardSeries(
            book,
            [_known(mine[d].skill_ic) if d in mine else math.nan for d in default_days],
            [_known(mine[d].book_return) if d in mine else math.nan for d in default_days],
        )

    universe = [_known(by_book[POLICY][d].universe_return) for d in default_days]
    challenged = [series(challenger_book(c.name)) for c in challengers]
    verdicts = forward_verdicts(series(POLICY), challenged, universe) if challenged else []
    return Verdicts(verdicts, adopt_forward(verdicts), len(default_days))


def _known(value: float | None) -> float:
    return math.nan if value is None else float(value)


class ForwardEvidenceService:
    """The `forward` section of `GET /evidence/live`, and `GET /evidence/live/challengers`."""

    def __init__(self, session: AsyncSession) -> None:
        self.records = ForwardRepository(session)

    async def section(self, now: datetime | None = None) -> ForwardRecordRead | None:
        """None before the record exists (the first `forward_record` job creates it)."""
        record = await self.records.get()
        if record is None:
            return None
        last_open = await AsRunRepository(self.records.session).last_candle_open()
        markable = None if last_open is None else min(last_open + HOUR, floor_hour(now or utcnow()))
        hours_to_mark = 0 if markable is None else max(0, (markable - record.last_hour) // HOUR)
        days = list(await self.records.days())
        marked = record.last_hour
        curves = await self._curves()
        trades = defaultdict(list)
        for trade in await self.records.trades():
            trades[trade.book].append(trade)
        books = {}
        for book, (times, equity) in curves.items():
            figures = strategy_figures(
                equity,
                int(times[0].timestamp() * 1000),
                turnovers=[t.turnover for t in trades[book]],
                fees=sum(t.fees for t in trades[book]),
                funding=math.nan,
                sample_h=24,
            )
            mine = [d for d in days if d.book == book]
            books[book] = _book(figures, times[0], len(trades[book]), mine, marked)
        return ForwardRecordRead(
            inception=record.inception_at,
            marked_to=marked if marked >= record.inception_at else None,
            hours_to_mark=hours_to_mark,
            books=books,
            challengers=challengers_read(days, record.inception_at),
            equity={
                book: thinned(np.array([int(t.timestamp() * 1000) for t in times]), equity)
                for book, (times, equity) in curves.items()
            },
        )

    async def challengers(self) -> ChallengersRead:
        """The registered challengers against the default under the forward rule."""
        record = await self.records.get()
        days = list(await self.records.days())
        return challengers_read(days, None if record is None else record.inception_at)

    async def _curves(self) -> dict[str, tuple[list[datetime], np.ndarray]]:
        rows: dict[str, tuple[list[datetime], list[float]]] = defaultdict(lambda: ([], []))
        for book, at, equity in await self.records.hours():
            rows[book][0].append(at)
            rows[book][1].append(equity)
        return {book: (times, np.array(values)) for book, (times, values) in rows.items()}


def challengers_read(days: Sequence[ForwardDay], inception: datetime | None) -> ChallengersRead:
    """The forward rule over the stored days, every registered challenger's verdict (as an
    adoption stores it: `model_dump(mode="json")`)."""
    judged = verdicts_of(days)
    by_name = {challenger_book(c.name): c for c in CHALLENGERS}
    return ChallengersRead(
        rule=ForwardRule(min_decisions=MIN_DECISIONS, lead_se=LEAD_SE, correction="holm"),
        default_book=POLICY,
        decisions=judged.decisions,
        inception=inception,
        adopt=None if judged.adopt is None else by_name[judged.adopt].name,
        verdicts=[challenger_verdict(by_name[v.challenger], v) for v in judged.verdicts],
    )


def _book(
    figures: StrategyFigures,
    start: datetime,
    trades: int,
    days: Sequence[ForwardDay],
    last: datetime,
) -> ForwardBook:
    """A shadow book's figures; a scoring book's (one with daily decisions) with its daily skill
    IC (mean and HAC t), its alpha against the universe (per day, annualised over 365 days) and
    its spans of one configuration and costs."""
    if not days:  # a baseline
        return ForwardBook(**kept(figures), from_=start, trades=trades)
    ics = np.array([_known(d.skill_ic) for d in days])
    known = ics[np.isfinite(ics)]
    mean, se = mean_hac(known) if known.size else (math.nan, math.nan)
    returns = np.array([_known(d.book_return) for d in days])
    universe = np.array([_known(d.universe_return) for d in days])
    return ForwardBook(
        **kept(figures),
        from_=start,
        trades=trades,
        skill_ic=SkillIc(
            mean=rounded(mean), t_hac=rounded(mean / se) if se > 0 else None, n=int(known.size)
        ),
        against_universe=regression(returns, universe, DAYS_PER_YEAR),
        segments=[Segment.of(s) for s in segments(days, last, at=lambda d: d.decided_at)],
    )


def challenger_verdict(challenger: Challenger, verdict: ForwardVerdict) -> ChallengerVerdict:
    """A challenger's verdict as the API shows it and an alert and an adoption store it."""
    return ChallengerVerdict(
        name=challenger.name,
        book=verdict.challenger,
        source=challenger.source,
        hypothesis=challenger.hypothesis,
        registered_at=challenger.registered_at,
        decisions=verdict.decisions,
        ic_lead=rounded(verdict.ic_lead),
        ic_lead_se=rounded(verdict.ic_lead_se),
        ic_lead_t=rounded(verdict.ic_lead_t),
        p_value=rounded(verdict.p_value),
        holm_threshold=None if verdict.holm_threshold is None else rounded(verdict.holm_threshold),
        alpha_lead=rounded(verdict.alpha_lead),
        alpha_lead_t=rounded(verdict.alpha_lead_t),
        qualifies=verdict.qualifies,
        reasons=verdict.reasons,
    )


# The fields of a verdict naming its challenger: an alert names it in its own words.
NAMING = {"name", "book", "source", "hypothesis", "registered_at"}


def verdict_evidence(challenger: Challenger, verdict: ForwardVerdict) -> dict[str, Any]:
    """A verdict's evidence as a `challenger_qualified` alert stores it: the API's verdict
    without the fields naming its challenger."""
    return challenger_verdict(challenger, verdict).model_dump(mode="json", exclude=NAMING)
