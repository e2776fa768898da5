"""Replacement: which members are candidates, which outsider may replace each, and why not.

An outsider replaces a candidate only if it leads by at least `margin` composite points in every
scoring run of a consecutive streak reaching back `confirmation_hours` (hysteresis), the candidate
has been held `min_holding_hours`, and the outsider's return correlation with every remaining
member is below `correlation_limit`. Every verdict carries its reasons and blocking reasons in
words.

The hysteresis is counted in hours, not runs, so that every cadence runs the same policy (the
runs it reads, and the facts the rule is given: `app.portfolio.policy.replacement_facts`).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from app.platform.core.units import HOUR_MS
from app.platform.settings_store.declaration import between
from app.platform.settings_store.fields import setting
from app.portfolio.policy.actionability import actionability, moment, no_lead_reason
from app.portfolio.policy.ranks import by_score
from app.portfolio.policy.replacement_facts import (
    Confirmation,
    CorrelationTable,
    MemberFact,
    OutsiderFact,
    RunScores,
    confirmation_span_ms,
    confirmation_window,
    lead_streak,
)

OUTSIDERS_TRIED = 5  # per candidate, best first, until one passes every check


@dataclass(frozen=True)
class ReplacementSettings:
    candidates: int = field(
        metadata=setting(
            "replacement_candidates",
            2,
            "How many bottom members are replacement candidates.",
            between(1, 50),
        )
    )  # how many bottom members are candidates
    margin: float = field(
        metadata=setting(
            "replacement_margin",
            5.0,
            "Composite points an outsider must lead a candidate by.",
            between(0, 100),
        )
    )  # composite points an outsider must lead by
    # the span of consecutive runs the lead must hold over
    confirmation_hours: float = field(
        metadata=setting(
            "replacement_confirmation_hours",
            24,
            "Hours the lead must hold: in every scoring run back to one this long before the latest"
            " (0: the latest alone), whatever the scoring cadence.",
            between(0, 168),
        )
    )
    min_holding_hours: float = field(
        metadata=setting(
            "min_holding_hours",
            24,
            "Hours a member is held before it may be replaced.",
            between(0, 8760),
        )
    )
    correlation_limit: float = field(
        metadata=setting(
            "correlation_limit",
            0.85,
            "Highest allowed correlation of a newcomer with a member.",
            between(0, 1),
        )
    )


@dataclass
class Recommendation:
    member: str
    member_rank: int
    member_score: float | None
    outsider: str | None
    outsider_score: float | None
    lead: float | None
    held_hours: float
    confirmations: list[Confirmation] = field(default_factory=list)
    max_correlation: float | None = None
    most_correlated_with: str | None = None
    reasons: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)
    # The earliest time (ms) it may become actionable, when its outsider leads by the margin now
    # and what blocks it ends at a time: the minimum holding time, or the lead confirmed should
    # the outsider keep leading.
    not_before_ms: int | None = None
    # While the outsider's lead is not confirmed: when it would be, should it keep leading.
    lead_confirmed_at_ms: int | None = None
    # While no outsider leads by the margin in the newest run: why (`no_lead_reason`); its
    # `actionability` then says so and gives no time.
    no_lead: str | None = None

    @property
    def actionable(self) -> bool:
        return self.outsider is not None and not self.blocking

    @property
    def not_before(self) -> datetime | None:
        """`not_before_ms` as a time; None when actionable now or no time is known."""
        return None if self.actionable else moment(self.not_before_ms)

    @property
    def actionability(self) -> str:
        """The one wording of its state (`actionability`): actionable now, from when, or why
        not."""
        return actionability(self.actionable, self.not_before, self.blocking, self.no_lead)


def replacement_candidates(
    seats: Mapping[int, int], composite: Mapping[int, float], n: int
) -> list[int]:
    """The `n` weakest members (ids of `seats`, member id -> its seat), weakest first: members
    without a latest composite first, then by lowest composite; a tie goes to the later seat,
    so the earlier pick is kept."""
    weakest_first = sorted(seats, key=lambda m: (m in composite, composite.get(m, 0.0), -seats[m]))
    return weakest_first[: max(n, 0)]


def outsiders_to_correlate(
    outsiders: Sequence[OutsiderFact], latest: RunScores, settings: ReplacementSettings
) -> list[OutsiderFact]:
    """The outsiders `recommend` may look at, best first: the correlation table must cover
    these and the members."""
    scored = [o for o in outsiders if o.id in latest.composite]
    wanted = OUTSIDERS_TRIED + max(settings.candidates, 0)
    # sorted(...)[:wanted] without ordering the rest (every scoring run has many outsiders)
    return heapq.nsmallest(wanted, scored, key=lambda o: (-latest.composite[o.id], o.symbol))


def recommend(
    members: Sequence[MemberFact],
    outsiders: Sequence[OutsiderFact],
    runs: Sequence[RunScores],
    correlation: CorrelationTable,
    settings: ReplacementSettings,
    ranked: list[OutsiderFact] | None = None,
    now_ms: int | None = None,
) -> list[Recommendation]:
    """One recommendation per candidate, weakest first. `outsiders` are the tradable symbols
    outside the portfolio; `runs` the recent scoring runs, newest first (at least one);
    `ranked`: `outsiders_to_correlate(outsiders, runs[0], settings)`, when the caller has it;
    `now_ms`: when the members' `held_hours` were measured (the newest run's time if not given)."""
    if not members or not runs:
        return []
    latest = runs[0]
    now = latest.at_ms if now_ms is None else now_ms
    by_id = {m.id: m for m in members}
    seats = {m.id: m.seat for m in members}
    weakest = replacement_candidates(seats, latest.composite, settings.candidates)
    ranks = by_score(seats, latest.composite)
    if ranked is None:
        ranked = outsiders_to_correlate(outsiders, latest, settings)
    taken: set[int] = set()
    recommendations = []
    for member_id in weakest:
        candidate = by_id[member_id]
        remaining = [m for m in members if m.id != member_id]
        rec = _recommend(
            candidate, ranks[member_id], remaining, ranked, taken, runs, correlation, settings
        )
        if not rec.actionable and rec.no_lead is None:
            rec.not_before_ms = _not_before_ms(rec, candidate, settings, now)
        recommendations.append(rec)
    return recommendations


def _not_before_ms(
    rec: Recommendation, candidate: MemberFact, settings: ReplacementSettings, now_ms: int
) -> int | None:
    """The earliest time after `now_ms` the blocked `rec`, its outsider leading by the margin,
    may become actionable, were nothing else to change: its member's minimum holding time over
    and, while the outsider's lead is not confirmed, the time it would be
    (`lead_confirmed_at_ms`). None when neither is still to come."""
    times: list[float] = []
    if candidate.held_hours < settings.min_holding_hours:
        wait_ms = (settings.min_holding_hours - candidate.held_hours) * HOUR_MS
        times.append(now_ms + wait_ms)
    if rec.lead_confirmed_at_ms is not None:
        times.append(rec.lead_confirmed_at_ms)
    latest = max(times, default=None)
    if latest is None or latest <= now_ms:
        return None
    return math.floor(latest / 1000) * 1000  # to the second, down: "not before" stays true


def _recommend(
    candidate: MemberFact,
    rank: int,
    remaining: list[MemberFact],
    outsiders: list[OutsiderFact],
    taken: set[int],
    runs: Sequence[RunScores],
    correlation: CorrelationTable,
    settings: ReplacementSettings,
) -> Recommendation:
    latest = runs[0].composite
    recommend = partial(
        Recommendation,
        member=candidate.symbol,
        member_rank=rank,
        member_score=latest.get(candidate.id),
        held_hours=round(candidate.held_hours, 3),
    )
    best: Recommendation | None = None
    for outsider in [o for o in outsiders if o.id not in taken][:OUTSIDERS_TRIED]:
        rec = recommend(
            outsider=outsider.symbol,
            outsider_score=latest.get(outsider.id),
            lead=_lead(latest, outsider.id, candidate.id),
        )
        rec.reasons.append(
            f"{candidate.symbol} is among the bottom {settings.candidates} members by composite"
        )
        _check_hysteresis(rec, runs, outsider.id, candidate.id, settings)
        if candidate.held_hours < settings.min_holding_hours:
            held = math.floor(candidate.held_hours * 10) / 10  # never shows "24.0 of 24"
            rec.blocking.append(
                f"held {held:.1f} h of the required {settings.min_holding_hours:g} h"
            )
        _check_correlation(rec, outsider, remaining, correlation, settings)
        if best is None:
            best = rec
        if rec.actionable:
            taken.add(outsider.id)
            return rec
    if best is None:
        best = recommend(outsider=None, outsider_score=None, lead=None)
        best.no_lead = no_lead_reason(settings.margin, None, None)
        best.blocking.append(best.no_lead)
    return best


def _check_hysteresis(
    rec: Recommendation,
    runs: Sequence[RunScores],
    outsider_id: int,
    member_id: int,
    settings: ReplacementSettings,
) -> None:
    hours = settings.confirmation_hours
    window = confirmation_window(runs, hours)
    looked = runs[: window or len(runs)]
    for run in looked:
        rec.confirmations.append(
            Confirmation(
                run.run_id,
                run.composite.get(member_id),
                run.composite.get(outsider_id),
                _lead(run.composite, outsider_id, member_id),
            )
        )
    streak = lead_streak([c.lead for c in rec.confirmations], settings.margin)
    if window is not None and streak >= window:
        rec.reasons.append(
            f"{rec.outsider} leads by at least {settings.margin:g} points "
            f"in every scoring run over the last {hours:g} h"
        )
        return
    if streak:
        since = looked[streak - 1].at_ms
        rec.lead_confirmed_at_ms = since + confirmation_span_ms(hours)
        held = math.floor((looked[0].at_ms - since) / HOUR_MS * 10) / 10  # never "24.0 of 24"
    else:  # no lead now: nothing to confirm, so no time to give
        rec.no_lead = no_lead_reason(settings.margin, rec.outsider, rec.lead)
        held = 0.0
    runs_in_a_row = f"{streak} run in a row" if streak == 1 else f"{streak} runs in a row"
    rec.blocking.append(
        f"lead of {settings.margin:g} points held over {held:.1f} h of the {hours:g} h "
        f"required ({runs_in_a_row})"
    )


def _check_correlation(
    rec: Recommendation,
    outsider: OutsiderFact,
    remaining: list[MemberFact],
    correlation: CorrelationTable,
    settings: ReplacementSettings,
) -> None:
    if not remaining:
        return
    corr = correlation.of(outsider.id, [m.id for m in remaining]).tolist()
    known = [k for k, c in enumerate(corr) if not math.isnan(c)]
    if not known:
        rec.blocking.append("correlation with the remaining members unknown (no common candles)")
        return
    k = max(known, key=corr.__getitem__)  # the first highest known
    rec.max_correlation = round(corr[k], 6)
    rec.most_correlated_with = remaining[k].symbol
    if corr[k] >= settings.correlation_limit:
        rec.blocking.append(
            f"correlation {corr[k]:.3f} with {remaining[k].symbol} is at or above the "
            f"limit {settings.correlation_limit:g}"
        )
    else:
        rec.reasons.append(
            f"highest correlation with the remaining members {corr[k]:.3f} "
            f"< {settings.correlation_limit:g}"
        )


def _lead(scores: Mapping[int, float], outsider_id: int, member_id: int) -> float | None:
    a, b = scores.get(outsider_id), scores.get(member_id)
    return None if a is None or b is None else round(a - b, 4)
