"""Replacement hysteresis: an outsider may replace one of the weakest members only after leading
it by `replacement_margin` composite points in every scoring run back to one
`replacement_confirmation_hours` before the newest, and only once the member has been held
`min_holding_hours`. The runs here are an hour apart unless a test says otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import Symbol
from app.portfolio.replacement_advice import ReplacementAdviceService
from app.portfolio.schemas.members import RecommendationRead, ReplacementCandidatesRead
from app.scoring.models import ScoringRun
from tests.factories import make_candles, make_member, make_run, make_symbol
from tests.helpers import set_config

NOW = datetime(2026, 11, 2, 12, 30, tzinfo=UTC)
# A 4-hour correlation window before NOW holds the candles opening 07:00 to 11:00. On them the
# outsider's hourly returns (+, +, -, -) are uncorrelated with the strong member's (+, -, +, -).
CANDLES_FROM = datetime(2026, 11, 2, 7, tzinfo=UTC)
STRONG_PATH = [100.0, 110.0, 100.0, 110.0, 100.0]
OUTSIDER_PATH = [100.0, 110.0, 121.0, 110.0, 100.0]
STRONG, WEAK = 80.0, 50.0  # the members' composites in every run
HELD = timedelta(days=2)
HOUR = timedelta(hours=1)

CANDIDATE = "WEAKUSDT is among the bottom 1 members by composite"
LEADS_IN_1 = "OUTUSDT leads by at least 5 points in every scoring run over the last 0 h"
LEADS_IN_3 = "OUTUSDT leads by at least 5 points in every scoring run over the last 2 h"
UNCORRELATED = "highest correlation with the remaining members 0.000 < 0.85"

Confirmed = tuple[int, float | None, float | None, float | None]


@dataclass(frozen=True)
class Book:
    strong: Symbol
    weak: Symbol
    outsider: Symbol


async def held_portfolio(session: AsyncSession, held: timedelta = HELD) -> Book:
    """Two members held for `held` (STRONG at rank 1, WEAK at rank 2) and one outsider, OUT."""
    strong, weak, outsider = [await make_symbol(session, b) for b in ("STRONG", "WEAK", "OUT")]
    await make_member(session, 1, symbol=strong, included_at=NOW - held)
    await make_member(session, 2, symbol=weak, included_at=NOW - held)
    await make_candles(session, strong, STRONG_PATH, start=CANDLES_FROM)
    await make_candles(session, outsider, OUTSIDER_PATH, start=CANDLES_FROM)
    return Book(strong, weak, outsider)


async def configure(session: AsyncSession, *, hours: int, candidates: int = 1) -> None:
    """A 5-point margin over `hours`, 24 h holding, the 0.85 correlation limit."""
    for key, value in (
        ("replacement_margin", 5.0),
        ("replacement_confirmation_hours", hours),
        ("min_holding_hours", 24),
        ("replacement_candidates", candidates),
        ("correlation_limit", 0.85),
        ("correlation_window_hours", 4),
    ):
        await set_config(session, key, value)


async def scoring_runs(
    session: AsyncSession, book: Book, *outsider: str | None, every: timedelta = HOUR
) -> list[ScoringRun]:
    """One completed run per outsider composite, oldest first, `every` apart up to NOW (None:
    the outsider unscored)."""
    runs = []
    for k, score in enumerate(outsider):
        composites: dict[Symbol, float | str] = {book.strong: STRONG, book.weak: WEAK}
        if score is not None:
            composites[book.outsider] = score
        started = NOW - (len(outsider) - 1 - k) * every
        runs.append(await make_run(session, composites, started_at=started))
    return runs


async def advice(session: AsyncSession) -> ReplacementCandidatesRead:
    """The replacement advice at NOW."""
    return await ReplacementAdviceService(session).evaluate_portfolio_replacement(NOW)


async def recommended_after(
    session: AsyncSession, *outsider: str | None, hours: int = 0, held: timedelta = HELD
) -> tuple[list[ScoringRun], RecommendationRead]:
    """The runs (oldest first, an hour apart) scoring OUT so against WEAK, and the one
    recommendation then: WEAK, the weakest member, against OUT, the only outsider."""
    book = await held_portfolio(session, held)
    await configure(session, hours=hours)
    runs = await scoring_runs(session, book, *outsider)
    report = await advice(session)
    assert report.run_ids == [run.id for run in reversed(runs)][: hours + 1]
    [rec] = report.recommendations
    assert (rec.member, rec.member_rank, rec.outsider) == ("WEAKUSDT", 2, "OUTUSDT")
    return runs, rec


def confirmations(rec: RecommendationRead) -> list[Confirmed]:
    return [(c.run_id, c.member_score, c.outsider_score, c.lead) for c in rec.confirmations]


class TestMargin:
    async def test_a_lead_just_below_the_margin_blocks(self, session: AsyncSession) -> None:
        [run], rec = await recommended_after(session, "54.9999")
        assert rec.actionable is False
        assert rec.lead == 4.9999
        assert confirmations(rec) == [(run.id, WEAK, 54.9999, 4.9999)]
        assert rec.blocking == [
            "lead of 5 points held over 0.0 h of the 0 h required (0 runs in a row)"
        ]
        assert rec.reasons == [CANDIDATE, UNCORRELATED]

    @pytest.mark.parametrize(("outsider", "lead"), [("55", 5.0), ("62.5", 12.5)])
    async def test_a_lead_at_or_above_the_margin_passes(
        self, session: AsyncSession, outsider: str, lead: float
    ) -> None:
        [run], rec = await recommended_after(session, outsider)
        assert rec.actionable is True
        assert rec.blocking == []
        assert confirmations(rec) == [(run.id, WEAK, float(outsider), lead)]
        assert rec.reasons == [CANDIDATE, LEADS_IN_1, UNCORRELATED]
        assert (rec.max_correlation, rec.most_correlated_with) == (0.0, "STRONGUSDT")


class TestNotBefore:
    async def test_a_lead_not_yet_confirmed_is_not_actionable_before_it_could_be(
        self, session: AsyncSession
    ) -> None:
        _, rec = await recommended_after(session, "52", "56", hours=2)
        confirmed = NOW + 2 * HOUR - timedelta(minutes=5)  # a run 5 minutes late still counts
        assert (rec.actionable, rec.not_before) == (False, confirmed)
        assert rec.actionability == "not actionable before 2026-11-02 14:25 UTC"

    async def test_no_lead_in_the_newest_run_gives_no_time_and_names_the_best_outsider(
        self, session: AsyncSession
    ) -> None:
        # Held 1 h of 24 and OUT led before, but not now: nothing says it ever will.
        _, rec = await recommended_after(session, "58", "54.9999", hours=2, held=HOUR)
        assert (rec.actionable, rec.not_before) == (False, None)
        assert rec.actionability == (
            "not actionable: no outsider leads by 5 points (best: OUTUSDT, +4.9)"
        )


class TestConfirmations:
    async def test_a_lead_held_in_each_of_three_runs_is_actionable(
        self, session: AsyncSession
    ) -> None:
        (first, second, third), rec = await recommended_after(session, "56", "57", "58", hours=2)
        assert rec.actionable is True
        assert rec.blocking == []
        assert confirmations(rec) == [
            (third.id, WEAK, 58.0, 8.0),
            (second.id, WEAK, 57.0, 7.0),
            (first.id, WEAK, 56.0, 6.0),
        ]
        assert rec.reasons == [CANDIDATE, LEADS_IN_3, UNCORRELATED]

    async def test_a_lead_held_in_two_of_three_runs_is_not_enough(
        self, session: AsyncSession
    ) -> None:
        (first, second, third), rec = await recommended_after(session, "52", "56", "57", hours=2)
        assert rec.actionable is False
        assert rec.blocking == [
            "lead of 5 points held over 1.0 h of the 2 h required (2 runs in a row)"
        ]
        assert [lead for *_, lead in confirmations(rec)] == [7.0, 6.0, 2.0]
        assert [run_id for run_id, *_ in confirmations(rec)] == [third.id, second.id, first.id]
        assert rec.reasons == [CANDIDATE, UNCORRELATED]

    async def test_runs_spanning_less_than_the_hours_cannot_confirm(
        self, session: AsyncSession
    ) -> None:
        (first, second), rec = await recommended_after(session, "60", "60", hours=2)
        assert rec.actionable is False
        assert rec.blocking == [
            "lead of 5 points held over 1.0 h of the 2 h required (2 runs in a row)"
        ]
        assert confirmations(rec) == [(second.id, WEAK, 60.0, 10.0), (first.id, WEAK, 60.0, 10.0)]

    @pytest.mark.parametrize(
        ("middle", "middle_lead"), [("53", 3.0), (None, None)], ids=["short-lead", "unscored"]
    )
    async def test_one_run_without_the_lead_breaks_the_streak(
        self, session: AsyncSession, middle: str | None, middle_lead: float | None
    ) -> None:
        # OUT leads by 8 in the newest and the oldest run, not in the one between.
        (first, second, third), rec = await recommended_after(session, "58", middle, "58", hours=2)
        assert rec.actionable is False
        assert rec.blocking == [
            "lead of 5 points held over 0.0 h of the 2 h required (1 run in a row)"
        ]
        middle_score = None if middle is None else float(middle)
        assert confirmations(rec) == [
            (third.id, WEAK, 58.0, 8.0),
            (second.id, WEAK, middle_score, middle_lead),
            (first.id, WEAK, 58.0, 8.0),
        ]


class TestMinimumHolding:
    async def test_a_member_held_just_under_the_minimum_is_kept(
        self, session: AsyncSession
    ) -> None:
        _, rec = await recommended_after(session, "60", held=timedelta(hours=23, minutes=54))
        assert rec.actionable is False
        assert rec.held_hours == 23.9
        assert rec.blocking == ["held 23.9 h of the required 24 h"]
        assert rec.reasons == [CANDIDATE, LEADS_IN_1, UNCORRELATED]

    @pytest.mark.parametrize(
        ("held", "hours"),
        [(timedelta(hours=24), 24.0), (timedelta(hours=24, minutes=6), 24.1)],
        ids=["exactly", "just-over"],
    )
    async def test_a_member_held_the_minimum_may_be_replaced(
        self, session: AsyncSession, held: timedelta, hours: float
    ) -> None:
        _, rec = await recommended_after(session, "60", held=held)
        assert rec.held_hours == hours
        assert rec.blocking == []
        assert rec.actionable is True


class TestCandidates:
    async def test_candidates_are_the_weakest_members_by_the_latest_composite(
        self, session: AsyncSession
    ) -> None:
        book = await held_portfolio(session)
        middle = await make_symbol(session, "MIDDLE")
        await make_member(session, 3, symbol=middle, included_at=NOW - HELD)
        await configure(session, hours=1, candidates=2)
        # MIDDLE was the weakest member in the older run; in the latest, WEAK is.
        scores = {book.strong: STRONG, book.weak: WEAK, book.outsider: "60"}
        await make_run(session, {**scores, middle: "40"}, started_at=NOW - HOUR)
        await make_run(session, {**scores, middle: "55"}, started_at=NOW)
        weakest, next_weakest = (await advice(session)).recommendations
        assert (weakest.member, weakest.member_score) == ("WEAKUSDT", WEAK)
        assert (weakest.outsider, weakest.actionable) == ("OUTUSDT", True)
        # The only outsider is already recommended for WEAK: none is left for MIDDLE.
        assert (next_weakest.member, next_weakest.member_score) == ("MIDDLEUSDT", 55.0)
        assert next_weakest.outsider is None
        assert next_weakest.blocking == ["no scored, tradable outsider"]


class TestCadence:
    async def test_every_15_minutes_a_day_of_runs_confirms(self, session: AsyncSession) -> None:
        book = await held_portfolio(session)
        await configure(session, hours=24)
        runs = await scoring_runs(session, book, *["60"] * 97, every=timedelta(minutes=15))
        report = await advice(session)
        assert report.run_ids == [run.id for run in reversed(runs)]
        [rec] = report.recommendations
        assert rec.actionable is True
        assert len(rec.confirmations) == 97
        assert rec.reasons[1] == (
            "OUTUSDT leads by at least 5 points in every scoring run over the last 24 h"
        )

    async def test_every_15_minutes_a_day_less_one_run_does_not(
        self, session: AsyncSession
    ) -> None:
        book = await held_portfolio(session)
        await configure(session, hours=24)
        await scoring_runs(session, book, *["60"] * 96, every=timedelta(minutes=15))
        [rec] = (await advice(session)).recommendations
        assert rec.actionable is False
        assert rec.blocking == [
            "lead of 5 points held over 23.7 h of the 24 h required (96 runs in a row)"
        ]

    async def test_older_runs_are_read_back_to_the_boundary_only(
        self, session: AsyncSession
    ) -> None:
        book = await held_portfolio(session)
        await configure(session, hours=24)
        runs = await scoring_runs(session, book, *["60"] * 5, every=timedelta(hours=12))
        report = await advice(session)
        assert report.run_ids == [runs[4].id, runs[3].id, runs[2].id]
