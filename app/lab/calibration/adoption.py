"""The pre-registered adoption rule for the default (docs/evidence.md, "Selection skill"), with the
statistics issue 40 asked of it.

A candidate replaces the default only if
1. its pooled out-of-sample skill IC beats the default's by more than one standard error of the
   paired difference (per decision: candidate IC minus default IC on the same decision; the
   Newey-West standard error is reported beside the plain one), and
2. no dataset vetoes it on alpha. Alphas are compared by the paired regression: the candidate's
   per-decision book return minus the default's, regressed on the universe's return; its
   intercept is exactly alpha_c - alpha_default, with a far smaller standard error than either
   alpha's (the market both books ride cancels). A dataset vetoes when that alpha lead is below
   -2 HAC standard errors (significantly behind), and only if it has at least
   `MIN_VETO_DECISIONS` judged decisions: a shorter one is reported but never vetoes (the
   13-decision month cannot measure an alpha).
Among several that qualify, the highest pooled skill IC lead wins (ties: the first named).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from app.stats.hac import mean_hac
from app.stats.skill import paired

MIN_VETO_DECISIONS = 60  # judged decisions a dataset needs before its alpha can veto
VETO_T = -2.0  # a paired alpha lead below this many HAC standard errors vetoes


@dataclass(frozen=True)
class CandidateEvidence:
    """One configuration's out-of-sample figures, dataset by dataset, in decision order.

    `ics[d]`: the skill IC at each judged decision of dataset `d` (NaN where it could not be
    measured); `books[d]`: the book's return after costs over each decision's period; `universe
    [d]`: the universe's return over the same periods. Every candidate is judged on the same
    decisions; the paired regression reads the default's universe (a candidate of another
    scoring version may find a few other contracts eligible, so its own can differ slightly).
    """

    name: str
    ics: Mapping[str, Sequence[float]]
    books: Mapping[str, Sequence[float]]
    universe: Mapping[str, Sequence[float]]
    per_year: float  # decision periods in a year


@dataclass(frozen=True)
class PairedAlpha:
    """The paired regression on one dataset: the candidate's alpha lead over the default."""

    lead: float  # annualised intercept: alpha_c - alpha_default
    se: float  # its HAC standard error, annualised
    t: float  # lead / se
    decisions: int  # periods in the regression

    @property
    def counts(self) -> bool:
        """Enough decisions for the dataset to veto."""
        return self.decisions >= MIN_VETO_DECISIONS

    @property
    def vetoes(self) -> bool:
        return self.counts and self.t < VETO_T


@dataclass(frozen=True)
class Verdict:
    candidate: str
    ic_lead: float  # mean paired IC difference over the default, pooled
    ic_lead_se: float  # its standard error
    ic_lead_se_hac: float  # its Newey-West standard error (lags within a dataset)
    decisions: int  # paired decisions where both ICs were measured
    beats_ic: bool
    alpha: dict[str, PairedAlpha]  # by dataset

    @property
    def vetoed_by(self) -> list[str]:
        """The datasets whose paired alpha vetoes the candidate."""
        return [d for d, a in self.alpha.items() if a.vetoes]

    @property
    def qualifies(self) -> bool:
        return self.beats_ic and not self.vetoed_by

    def reasons(self) -> list[str]:
        """Why it fails, in words (empty when it qualifies)."""
        out = []
        if not self.beats_ic and self.decisions < 2:
            out.append(
                f"not enough paired decisions yet to weigh its skill IC: {self.decisions} of "
                "the 2 a standard error needs"
            )
        elif not self.beats_ic:
            out.append(
                f"pooled skill IC lead {self.ic_lead:+.4f} is not above one standard error "
                f"({self.ic_lead_se:.4f})"
            )
        out += [
            f"paired alpha lead on {d} is {self.alpha[d].lead:+.4f}/yr, "
            f"{self.alpha[d].t:+.2f} HAC standard errors: significantly behind the default's"
            for d in self.vetoed_by
        ]
        return out


class EvidenceMismatch(ValueError):
    """A candidate was judged on other datasets or decisions than the default."""


def _check(candidate: CandidateEvidence, default: CandidateEvidence) -> None:
    datasets = set(default.ics)
    if not set(candidate.ics) == set(candidate.books) == set(candidate.universe) == datasets:
        raise EvidenceMismatch(f"{candidate.name} was judged on other datasets than the default")
    for name in datasets:
        shapes = {np.shape(e.ics[name]) for e in (candidate, default)} | {
            np.shape(e.books[name]) for e in (candidate, default)
        }
        shapes.add(np.shape(candidate.universe[name]))
        shapes.add(np.shape(default.universe[name]))
        if len(shapes) != 1:
            raise EvidenceMismatch(
                f"{candidate.name} has other decisions than the default on {name}"
            )


def paired_differences(
    candidate: CandidateEvidence, default: CandidateEvidence
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate IC minus default IC at every decision of every dataset where both are known,
    and each difference's dataset (an index in sorted order)."""
    _check(candidate, default)
    parts, blocks = [], []
    for k, name in enumerate(sorted(default.ics)):
        mine, theirs = np.asarray(candidate.ics[name], float), np.asarray(default.ics[name], float)
        both = np.isfinite(mine) & np.isfinite(theirs)
        parts.append(mine[both] - theirs[both])
        blocks.append(np.full(int(both.sum()), k))
    if not parts:
        return np.zeros(0), np.zeros(0, np.int64)
    return np.concatenate(parts), np.concatenate(blocks)


def paired_alpha(
    candidate: CandidateEvidence, default: CandidateEvidence, name: str
) -> PairedAlpha:
    """The paired regression of the two books on dataset `name`."""
    figures = paired(
        np.asarray(candidate.books[name], float),
        np.asarray(default.books[name], float),
        np.asarray(default.universe[name], float),
        default.per_year,
    )
    lead = figures["alpha_lead_annualised"]
    se = figures["alpha_lead_se_hac"]
    lead = math.nan if lead is None else float(lead)
    se = math.nan if se is None else float(se) * default.per_year
    return PairedAlpha(lead, se, lead / se if se > 0 else math.nan, int(figures["n"]))


def judge(candidate: CandidateEvidence, default: CandidateEvidence) -> Verdict:
    diff, blocks = paired_differences(candidate, default)
    n = int(diff.size)
    lead = float(diff.mean()) if n else math.nan
    se = float(diff.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    return Verdict(
        candidate=candidate.name,
        ic_lead=lead,
        ic_lead_se=se,
        ic_lead_se_hac=mean_hac(diff, blocks=blocks)[1],
        decisions=n,
        beats_ic=n > 1 and lead > se,
        alpha={d: paired_alpha(candidate, default, d) for d in sorted(default.ics)},
    )


def adopt(
    default: CandidateEvidence, candidates: Sequence[CandidateEvidence]
) -> tuple[str | None, list[Verdict]]:
    """The candidate to adopt (None: the default stays) and every candidate's verdict."""
    verdicts = [judge(c, default) for c in candidates]
    qualified = [v for v in verdicts if v.qualifies]
    if not qualified:
        return None, verdicts
    best = max(qualified, key=lambda v: v.ic_lead)  # max keeps the first of equals
    return best.candidate, verdicts
