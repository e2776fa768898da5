"""The replacement rules on plain numbers: the candidates and the hysteresis streak."""

from __future__ import annotations

import numpy as np

from app.policy.replacement import (
    CorrelationTable,
    MemberFact,
    OutsiderFact,
    ReplacementSettings,
    RunScores,
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


SETTINGS = ReplacementSettings(
    candidates=1, margin=5.0, confirmations=2, min_holding_hours=24, correlation_limit=0.85
)


def table(ids: list[int], corr: float) -> CorrelationTable:
    matrix = np.full((len(ids), len(ids)), corr)
    np.fill_diagonal(matrix, 1.0)
    return CorrelationTable(ids, matrix)


class TestRecommend:
    members = [MemberFact(1, "AUSDT", 1, 100.0), MemberFact(2, "BUSDT", 2, 100.0)]
    outsider = [OutsiderFact(3, "CUSDT")]
    runs = [RunScores(11, {1: 70.0, 2: 40.0, 3: 50.0}), RunScores(10, {1: 70.0, 2: 44.0, 3: 50.0})]

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
