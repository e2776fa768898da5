"""The replacement rules on plain numbers: the candidates, the hysteresis streak and the hours
it must span."""

from __future__ import annotations

import numpy as np

from app.portfolio.policy.replacement_rule import (
    CorrelationTable,
    MemberFact,
    OutsiderFact,
    ReplacementSettings,
    RunScores,
    confirmation_window,
    decisions_needed,
    lead_streak,
    recommend,
    replacement_candidates,
)


class TestReplacementCandidates:
    def test_lowest_composites_first(self) -> None:
        ranks = {10: 1, 11: 2, 12: 3, 13: 4}
        composite = {10: 70.0, 11: 40.0, 12: 55.0, 13: 41.0}
        assert replacement_candidates(ranks, composite, 2) == [11, 13]

    def test_unscored_members_come_before_any_scored_one(self) -> None:
        ranks = {10: 1, 11: 2, 12: 3}
        composite = {10: 5.0, 12: 90.0}
        assert replacement_candidates(ranks, composite, 2) == [11, 10]

    def test_a_tie_goes_to_the_member_lower_in_the_portfolio(self) -> None:
        ranks = {10: 1, 11: 2, 12: 3}
        composite = {10: 50.0, 11: 50.0, 12: 50.0}
        assert replacement_candidates(ranks, composite, 2) == [12, 11]
        unscored_tie = replacement_candidates({20: 2, 21: 5}, {}, 1)
        assert unscored_tie == [21]

    def test_asks_for_more_than_there_are_or_for_none(self) -> None:
        assert replacement_candidates({10: 1}, {10: 1.0}, 5) == [10]
        assert replacement_candidates({10: 1}, {10: 1.0}, 0) == []
        assert replacement_candidates({}, {}, 2) == []


class TestLeadStreak:
    def test_counts_consecutive_leads_at_or_above_the_margin_newest_first(self) -> None:
        assert lead_streak([6.0, 5.0, 7.5], 5.0) == 3
        assert lead_streak([6.0, 4.99, 7.5], 5.0) == 1

    def test_a_missing_score_breaks_the_streak(self) -> None:
        assert lead_streak([6.0, None, 7.5], 5.0) == 1
        assert lead_streak([None, 9.0], 5.0) == 0

    def test_a_zero_margin_needs_no_negative_lead(self) -> None:
        assert lead_streak([0.0, -0.1], 0.0) == 1
        assert lead_streak([], 0.0) == 0


H = 3_600_000
T = 1_790_000_000_000 // H * H  # a whole hour


def runs_every(minutes: int, count: int, lead: float = 10.0) -> list[RunScores]:
    """`count` runs `minutes` apart, newest first, in which C (3) leads B (2) by `lead`."""
    return [
        RunScores(100 - k, {1: 70.0, 2: 40.0, 3: 40.0 + lead}, T - k * minutes * 60_000)
        for k in range(count)
    ]


class TestConfirmationHours:
    def test_the_window_runs_back_to_the_first_run_that_old(self) -> None:
        assert confirmation_window(runs_every(60, 30), 24) == 25
        assert confirmation_window(runs_every(15, 120), 24) == 97
        assert confirmation_window(runs_every(1440, 5), 24) == 2

    def test_zero_hours_is_the_newest_run_alone(self) -> None:
        assert confirmation_window(runs_every(15, 3), 0) == 1

    def test_too_few_runs_have_no_window(self) -> None:
        assert confirmation_window(runs_every(60, 24), 24) is None
        assert confirmation_window([], 24) is None

    def test_a_run_a_few_minutes_late_still_spans_the_hours(self) -> None:
        runs = runs_every(60, 25)
        oldest = runs[24]
        runs[24] = RunScores(oldest.run_id, oldest.composite, oldest.at_ms + 4 * 60_000)
        assert confirmation_window(runs, 24) == 25
        runs[24] = RunScores(oldest.run_id, oldest.composite, oldest.at_ms + 6 * 60_000)
        assert confirmation_window(runs, 24) is None

    def test_a_coarser_cadence_rounds_up(self) -> None:
        assert decisions_needed(24, 1) == 25
        assert decisions_needed(24, 24) == 2
        assert decisions_needed(36, 24) == 3  # 48 h
        assert decisions_needed(0, 24) == 1
        assert confirmation_window(runs_every(1440, 5), 36) == 3

    def test_every_cadence_confirms_the_same_lead(self) -> None:
        members = [MemberFact(1, "AUSDT", 1, 100.0), MemberFact(2, "BUSDT", 2, 100.0)]
        for minutes, count in ((15, 97), (60, 25), (1440, 2)):
            [rec] = recommend(
                members,
                [OutsiderFact(3, "CUSDT")],
                runs_every(minutes, count),
                table([1, 2, 3], 0.5),
                SETTINGS,
            )
            assert rec.actionable and len(rec.confirmations) == count
            assert (
                rec.reasons[1]
                == "CUSDT leads by at least 5 points in every scoring run over the last 24 h"
            )

    def test_a_streak_short_of_the_hours_blocks_and_says_how_long_it_held(self) -> None:
        runs = runs_every(15, 97)
        runs[90] = RunScores(10, {1: 70.0, 2: 40.0, 3: 41.0}, runs[90].at_ms)  # 22.5 h back
        members = [MemberFact(1, "AUSDT", 1, 100.0), MemberFact(2, "BUSDT", 2, 100.0)]
        [rec] = recommend(
            members, [OutsiderFact(3, "CUSDT")], runs, table([1, 2, 3], 0.5), SETTINGS
        )
        assert rec.blocking == [
            "lead of 5 points held over 22.2 h of the 24 h required (90 runs in a row)"
        ]


SETTINGS = ReplacementSettings(
    candidates=1, margin=5.0, confirmation_hours=24, min_holding_hours=24, correlation_limit=0.85
)


def table(ids: list[int], corr: float) -> CorrelationTable:
    matrix = np.full((len(ids), len(ids)), corr)
    np.fill_diagonal(matrix, 1.0)
    return CorrelationTable(ids, matrix)


class TestRecommend:
    members = [MemberFact(1, "AUSDT", 1, 100.0), MemberFact(2, "BUSDT", 2, 100.0)]
    outsider = [OutsiderFact(3, "CUSDT")]
    runs = [
        RunScores(11, {1: 70.0, 2: 40.0, 3: 50.0}, T),
        RunScores(10, {1: 70.0, 2: 44.0, 3: 50.0}, T - 24 * H),
    ]

    def test_an_outsider_leading_long_enough_replaces_the_weakest_member(self) -> None:
        [rec] = recommend(self.members, self.outsider, self.runs, table([1, 2, 3], 0.5), SETTINGS)
        assert (rec.member, rec.outsider, rec.lead, rec.actionable) == (
            "BUSDT",
            "CUSDT",
            10.0,
            True,
        )
        assert [c.lead for c in rec.confirmations] == [10.0, 6.0]
        assert rec.max_correlation == 0.5 and rec.most_correlated_with == "AUSDT"

    def test_a_short_holding_is_shown_floored_so_it_never_reads_as_met(self) -> None:
        members = [self.members[0], MemberFact(2, "BUSDT", 2, 24 - 1 / 3600)]
        [rec] = recommend(members, self.outsider, self.runs, table([1, 2, 3], 0.5), SETTINGS)
        assert rec.blocking == ["held 23.9 h of the required 24 h"]
        assert rec.held_hours == 24.0  # the figure itself is rounded, the verdict is not

    def test_a_correlated_outsider_is_blocked_and_unknown_correlation_blocks_too(self) -> None:
        [rec] = recommend(self.members, self.outsider, self.runs, table([1, 2, 3], 0.9), SETTINGS)
        assert rec.blocking == ["correlation 0.900 with AUSDT is at or above the limit 0.85"]
        [rec] = recommend(
            self.members, self.outsider, self.runs, table([1, 2, 3], np.nan), SETTINGS
        )
        assert rec.blocking == [
            "correlation with the remaining members unknown (no common candles)"
        ]
