"""The replacement rules on plain numbers: the candidates, the hysteresis streak and the hours
it must span; each candidate's state in the one wording, actionable now, from when, or why not."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np

from app.portfolio.policy.actionability import actionability, no_lead_reason, signed_points
from app.portfolio.policy.replacement_facts import (
    CorrelationTable,
    MemberFact,
    OutsiderFact,
    RunScores,
    confirmation_window,
    decisions_needed,
    lead_streak,
)
from app.portfolio.policy.replacement_rule import (
    ReplacementSettings,
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


class TestActionability:
    """Each candidate's state in the one wording: actionable now, not before a time while an
    outsider leads by the margin, or why not."""

    members = TestRecommend.members
    outsider = TestRecommend.outsider
    now = T + 10 * 60_000  # ten minutes after the newest run

    def advise(self, members: list[MemberFact], runs: list[RunScores], corr: float = 0.5) -> Any:
        [rec] = recommend(
            members, self.outsider, runs, table([1, 2, 3], corr), SETTINGS, now_ms=self.now
        )
        return rec

    def test_an_actionable_candidate_is_actionable_now_with_no_time(self) -> None:
        rec = self.advise(self.members, TestRecommend.runs)
        assert (rec.actionable, rec.not_before, rec.actionability) == (
            True,
            None,
            "actionable now",
        )

    def test_one_held_too_briefly_is_not_actionable_before_its_holding_time_ends(self) -> None:
        members = [self.members[0], MemberFact(2, "BUSDT", 2, 1.5)]  # 22.5 h still to hold
        rec = self.advise(members, TestRecommend.runs)
        ends = datetime.fromtimestamp((self.now + 22.5 * H) / 1000, UTC)
        assert (rec.actionable, rec.not_before) == (False, ends)
        assert rec.actionability == f"not actionable before {ends:%Y-%m-%d %H:%M} UTC"
        assert rec.blocking == ["held 1.5 h of the required 24 h"]  # the reason, as before

    def test_a_lead_not_yet_confirmed_is_not_actionable_before_it_could_be(self) -> None:
        runs = runs_every(60, 10)  # C has led for 9 h: 15 h more, if it keeps leading
        rec = self.advise(self.members, runs)
        confirmed = datetime.fromtimestamp((runs[9].at_ms + 24 * H - 300_000) / 1000, UTC)
        assert (rec.actionable, rec.not_before) == (False, confirmed)
        assert rec.actionability == f"not actionable before {confirmed:%Y-%m-%d %H:%M} UTC"

    def test_no_outsider_leading_now_names_the_best_one_and_gives_no_time(self) -> None:
        members = [self.members[0], MemberFact(2, "BUSDT", 2, 1.5)]  # held too briefly, too
        rec = self.advise(members, runs_every(60, 30, lead=1.0))  # under the 5-point margin
        assert (rec.actionable, rec.not_before) == (False, None)
        assert (
            rec.actionability == "not actionable: no outsider leads by 5 points (best: CUSDT, +1.0)"
        )
        assert rec.blocking == [  # the reasons, as before
            "lead of 5 points held over 0.0 h of the 24 h required (0 runs in a row)",
            "held 1.5 h of the required 24 h",
        ]

    def test_an_outsider_trailing_the_member_shows_its_lead_negative(self) -> None:
        rec = self.advise(self.members, runs_every(60, 30, lead=-0.1064))
        assert (rec.outsider, rec.lead, rec.not_before) == ("CUSDT", -0.1064, None)
        assert rec.actionability == (
            "not actionable: no outsider leads by 5 points (best: CUSDT, -0.1)"
        )

    def test_no_outsider_at_all_says_so_and_gives_no_time(self) -> None:
        members = [self.members[0], MemberFact(2, "BUSDT", 2, 1.5)]
        [rec] = recommend(
            members, [], TestRecommend.runs, table([1, 2], 0.5), SETTINGS, now_ms=self.now
        )
        assert (rec.outsider, rec.actionable, rec.not_before) == (None, False, None)
        assert rec.actionability == "not actionable: no scored, tradable outsider"

    def test_the_later_of_holding_and_confirmation_is_the_time(self) -> None:
        members = [self.members[0], MemberFact(2, "BUSDT", 2, 23.0)]  # 1 h still to hold
        rec = self.advise(members, runs_every(60, 10))  # 15 h to confirm
        assert rec.not_before == datetime.fromtimestamp(
            (runs_every(60, 10)[9].at_ms + 24 * H - 300_000) / 1000, UTC
        )

    def test_a_block_with_no_end_in_time_says_why_and_gives_no_time(self) -> None:
        rec = self.advise(self.members, TestRecommend.runs, corr=0.9)
        assert (rec.actionable, rec.not_before) == (False, None)
        assert rec.actionability == (
            "not actionable: correlation 0.900 with AUSDT is at or above the limit 0.85"
        )

    def test_the_time_is_cut_to_the_minute_never_rounded_up(self) -> None:
        at = datetime(2026, 11, 29, 8, 59, 59, 900_000, tzinfo=UTC)
        assert actionability(False, at, []) == "not actionable before 2026-11-29 08:59 UTC"


class TestNoLeadWording:
    """Why no replacement is in sight, in the margin's and the best outsider's own figures."""

    def test_names_the_margin_the_best_outsider_and_its_signed_lead(self) -> None:
        assert no_lead_reason(5.0, "SIM340USDT", -0.1064) == (
            "no outsider leads by 5 points (best: SIM340USDT, -0.1)"
        )
        assert no_lead_reason(7.5, "SIM1USDT", 3.0) == (
            "no outsider leads by 7.5 points (best: SIM1USDT, +3.0)"
        )

    def test_a_lead_just_short_of_the_margin_never_reads_as_reaching_it(self) -> None:
        assert no_lead_reason(5.0, "SIM1USDT", 4.9999) == (
            "no outsider leads by 5 points (best: SIM1USDT, +4.9)"
        )

    def test_an_unknown_lead_and_no_outsider_at_all(self) -> None:
        assert no_lead_reason(5.0, "SIM1USDT", None) == (
            "no outsider leads by 5 points (best: SIM1USDT, lead unknown)"
        )
        assert no_lead_reason(5.0, None, None) == "no scored, tradable outsider"

    def test_the_lead_is_cut_toward_zero_and_keeps_its_sign(self) -> None:
        assert [signed_points(x) for x in (12.96, 0.0, -0.04, -2.35)] == [
            "+12.9",
            "+0.0",
            "-0.0",
            "-2.3",
        ]

    def test_no_lead_is_the_whole_wording_even_with_a_time(self) -> None:
        at = datetime(2026, 11, 29, 9, tzinfo=UTC)
        why = no_lead_reason(5.0, "SIM340USDT", -0.1064)
        assert actionability(False, at, ["held 0.0 h of the required 24 h"], why) == (
            "not actionable: no outsider leads by 5 points (best: SIM340USDT, -0.1)"
        )
