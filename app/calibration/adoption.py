"""The pre-registered adoption rule for the seeded default (README, "Selection skill").

A candidate replaces the default only if
1. its pooled out-of-sample skill IC beats the default's by more than one standard error of the
   paired difference (per decision: candidate IC minus default IC on the same decision), and
2. its out-of-sample alpha beats the default's on every dataset.
Among several that qualify, the highest pooled skill IC wins (ties: the first named).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CandidateEvidence:
    """One configuration's out-of-sample figures, dataset by dataset.

    `ics[d]` holds the skill IC at each judged decision of dataset `d`, in decision order (NaN
    where it could not be measured); every candidate is judged on the same decisions.
    """

    name: str
    ics: Mapping[str, Sequence[float]]
    alpha: Mapping[str, float]  # annualised, after costs, by dataset


@dataclass(frozen=True)
class Verdict:
    candidate: str
    ic_lead: float  # mean paired IC difference over the default, pooled
    ic_lead_se: float  # its standard error
    decisions: int  # paired decisions where both ICs were measured
    beats_ic: bool
    alpha_lead: dict[str, float]  # candidate alpha minus the default's, by dataset
    beats_alpha: bool

    @property
    def qualifies(self) -> bool:
        return self.beats_ic and self.beats_alpha

    def reasons(self) -> list[str]:
        """Why it fails, in words (empty when it qualifies)."""
        out = []
        if not self.beats_ic:
            out.append(
                f"pooled skill IC lead {self.ic_lead:+.4f} is not above one standard error "
                f"({self.ic_lead_se:.4f})"
            )
        out += [
            f"alpha on {name} is not above the default's ({lead:+.4f})"
            for name, lead in self.alpha_lead.items()
            if not lead > 0
        ]
        return out


class EvidenceMismatch(ValueError):
    """A candidate was judged on other datasets or decisions than the default."""


def paired_differences(candidate: CandidateEvidence, default: CandidateEvidence) -> np.ndarray:
    """Candidate IC minus default IC at every decision of every dataset where both are known."""
    if set(candidate.ics) != set(default.ics) or set(candidate.alpha) != set(default.ics):
        raise EvidenceMismatch(f"{candidate.name} was judged on other datasets than the default")
    parts = []
    for name in sorted(default.ics):
        mine, theirs = np.asarray(candidate.ics[name], float), np.asarray(default.ics[name], float)
        if mine.shape != theirs.shape:
            raise EvidenceMismatch(
                f"{candidate.name} has other decisions than the default on {name}"
            )
        both = np.isfinite(mine) & np.isfinite(theirs)
        parts.append(mine[both] - theirs[both])
    return np.concatenate(parts) if parts else np.zeros(0)


def judge(candidate: CandidateEvidence, default: CandidateEvidence) -> Verdict:
    diff = paired_differences(candidate, default)
    n = int(diff.size)
    lead = float(diff.mean()) if n else math.nan
    se = float(diff.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    alpha_lead = {d: candidate.alpha[d] - default.alpha[d] for d in sorted(default.alpha)}
    return Verdict(
        candidate=candidate.name,
        ic_lead=lead,
        ic_lead_se=se,
        decisions=n,
        beats_ic=n > 1 and lead > se,
        alpha_lead=alpha_lead,
        beats_alpha=bool(alpha_lead) and all(v > 0 for v in alpha_lead.values()),
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
