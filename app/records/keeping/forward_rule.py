"""The forward adoption rule, registered on 2026-11-25 before any decision it will judge existed
(README, "The next default: the forward rule").

It judges the live forward record (daily decisions of the default's shadow book and of every
registered challenger's, on the same universe), never history. A challenger replaces the default
only if all three hold:
1. at least `MIN_DECISIONS` daily forward decisions where both skill ICs are known;
2. its skill-IC lead over the default (the mean of the per-decision differences) is above
   `LEAD_SE` HAC standard errors, Holm-corrected across the registered challengers: the
   challengers' one-sided p-values of lead / SE (normal) are ordered, and the k-th smallest of m
   must be at most p(LEAD_SE) / (m - k + 1), stopping at the first that is not;
3. its paired alpha, the intercept of (its book's return - the default's) on the universe return,
   is not significantly negative: its HAC t is at least -`LEAD_SE`.
Among several that qualify, the one with the largest lead t is adopted (ties: the first
registered). Nothing adopts by itself: the verdict is evidence for an admin's change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from app.stats.hac import mean_hac, ols_hac

MIN_DECISIONS = 90
LEAD_SE = 2.0


def one_sided_p(t: float) -> float:
    """P(Z > t) for a standard normal Z (1 where t is unknown)."""
    return 0.5 * math.erfc(t / math.sqrt(2.0)) if math.isfinite(t) else 1.0


P_LEAD = one_sided_p(LEAD_SE)  # about 0.0228: "above two standard errors" for one challenger


@dataclass(frozen=True)
class ForwardSeries:
    """One book's daily forward decisions, aligned with every other book's."""

    name: str
    skill_ic: Sequence[float]  # universe-residual IC at each decision (NaN: not measured)
    returns: Sequence[float]  # the book's return over each decision's period, after costs


@dataclass
class ForwardVerdict:
    challenger: str
    decisions: int  # where both skill ICs are known
    ic_lead: float
    ic_lead_se: float  # HAC
    p_value: float  # one-sided, of ic_lead / ic_lead_se
    holm_threshold: float | None  # what p_value had to beat at its place in Holm's order
    alpha_lead: float  # paired alpha per decision period (not annualised)
    alpha_lead_t: float  # HAC
    qualifies: bool = False
    reasons: list[str] = field(default_factory=list)  # why not, in words

    @property
    def ic_lead_t(self) -> float:
        return self.ic_lead / self.ic_lead_se if self.ic_lead_se > 0 else math.nan


def forward_verdicts(
    default: ForwardSeries, challengers: Sequence[ForwardSeries], universe: Sequence[float]
) -> list[ForwardVerdict]:
    """Every registered challenger's verdict against `default`, in the order given."""
    verdicts = [_judge(c, default, universe) for c in challengers]
    _holm(verdicts)
    for v in verdicts:
        if v.decisions < MIN_DECISIONS:
            decisions = "decision" if v.decisions == 1 else "decisions"
            v.reasons.insert(  # first: the lead's reason (from Holm's step-down) follows from it
                0, f"{v.decisions} forward {decisions} of the {MIN_DECISIONS} required"
            )
        if not math.isfinite(v.alpha_lead):
            v.reasons.append(  # a regression on the universe: two figures, then a spread
                "paired alpha not measurable yet (too few decisions with both books' returns)"
            )
        elif v.alpha_lead < 0 and not v.alpha_lead_t >= -LEAD_SE:  # NaN t: no noise at all
            t = (
                f"t {v.alpha_lead_t:+.2f}"
                if math.isfinite(v.alpha_lead_t)
                else "no spread around it to give it a t"
            )
            v.reasons.append(
                f"paired alpha {v.alpha_lead:+.5f} a decision ({t}) is significantly negative"
            )
        v.qualifies = not v.reasons
    return verdicts


def adopt_forward(verdicts: Sequence[ForwardVerdict]) -> str | None:
    """The challenger the rule adopts (None: the default stays)."""
    qualified = [v for v in verdicts if v.qualifies]
    if not qualified:
        return None
    return max(qualified, key=lambda v: v.ic_lead_t).challenger  # max keeps the first of equals


def _judge(
    challenger: ForwardSeries, default: ForwardSeries, universe: Sequence[float]
) -> ForwardVerdict:
    mine, theirs = np.asarray(challenger.skill_ic, float), np.asarray(default.skill_ic, float)
    books = np.asarray(challenger.returns, float) - np.asarray(default.returns, float)
    market = np.asarray(universe, float)
    if not mine.shape == theirs.shape == books.shape == market.shape:
        raise ValueError(f"{challenger.name} is not aligned with the default's decisions")
    both = np.isfinite(mine) & np.isfinite(theirs)
    lead, se = mean_hac(mine[both] - theirs[both])
    t = lead / se if se > 0 else math.nan
    known = np.isfinite(books) & np.isfinite(market)
    x = np.column_stack([np.ones(int(known.sum())), market[known]])
    coef, cov = ols_hac(books[known], x)
    alpha_se = math.sqrt(cov[0, 0]) if cov[0, 0] > 0 else math.nan
    return ForwardVerdict(
        challenger=challenger.name,
        decisions=int(both.sum()),
        ic_lead=lead,
        ic_lead_se=se,
        p_value=one_sided_p(t),
        holm_threshold=None,
        alpha_lead=float(coef[0]),
        alpha_lead_t=float(coef[0]) / alpha_se if alpha_se > 0 else math.nan,
    )


def _holm(verdicts: Sequence[ForwardVerdict]) -> None:
    """Holm's step-down over every registered challenger: the k-th smallest p-value of m must
    be at most P_LEAD / (m - k + 1); from the first that is not, none passes."""
    m = len(verdicts)
    passing = True
    for k, v in enumerate(sorted(verdicts, key=lambda v: v.p_value)):
        v.holm_threshold = P_LEAD / (m - k)
        passing = passing and v.p_value <= v.holm_threshold
        if not passing:
            across = f"{m} challengers" if m != 1 else "1 challenger"
            v.reasons.append(f"{_lead_said(v)} Holm's {v.holm_threshold:.4f} across {across}")


def _lead_said(v: ForwardVerdict) -> str:
    """The skill-IC lead with its standard error, t and p, or in words why it has no t yet;
    then what it had to beat."""
    if math.isfinite(v.ic_lead_t):
        return (
            f"skill-IC lead {v.ic_lead:+.4f} ± {v.ic_lead_se:.4f} (t {v.ic_lead_t:+.2f}, "
            f"p {v.p_value:.4f}) does not beat"
        )
    if not math.isfinite(v.ic_lead):
        said = "skill-IC lead not measured yet (no decision with both skill ICs)"
    elif v.decisions < 2:
        said = f"skill-IC lead {v.ic_lead:+.4f} over one decision has no standard error yet"
    elif v.ic_lead == 0:
        said = f"skill IC the same as the default's on each of its {v.decisions} decisions"
    else:  # the same difference on every decision: no spread to measure an error by
        said = f"skill-IC lead {v.ic_lead:+.4f} on each of its {v.decisions} decisions, no spread"
    return f"{said}, so it cannot beat"
