"""The pre-registered adoption rule: a candidate qualifies, fails by IC, fails by one dataset."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.calibration.adoption import CandidateEvidence, EvidenceMismatch, adopt, judge

RNG = np.random.default_rng(7)
BASE_ICS = {"year": RNG.normal(0.0, 0.1, 300), "month": RNG.normal(0.0, 0.1, 20)}
DEFAULT = CandidateEvidence("default", BASE_ICS, {"year": 0.05, "month": -0.10})


def shifted(
    name: str, lead: float, alpha: dict[str, float], noise: float = 0.0
) -> CandidateEvidence:
    """The default's ICs plus `lead`, plus ±`noise` alternating (mean 0 on the even sizes)."""
    ics = {d: v + lead + noise * (-1.0) ** np.arange(v.size) for d, v in BASE_ICS.items()}
    return CandidateEvidence(name, ics, alpha)


def test_a_candidate_ahead_on_ic_and_on_every_alpha_qualifies() -> None:
    candidate = shifted("better", 0.02, {"year": 0.08, "month": -0.05}, noise=0.05)
    verdict = judge(candidate, DEFAULT)
    diff = np.concatenate([candidate.ics[d] - BASE_ICS[d] for d in ("month", "year")])
    assert verdict.decisions == 320
    assert verdict.ic_lead == pytest.approx(diff.mean())
    assert verdict.ic_lead_se == pytest.approx(diff.std(ddof=1) / math.sqrt(320))
    assert verdict.qualifies and verdict.reasons() == []
    assert verdict.alpha_lead == pytest.approx({"month": 0.05, "year": 0.03})
    assert adopt(DEFAULT, [candidate]) == ("better", [verdict])


def test_a_lead_within_one_standard_error_fails_by_ic() -> None:
    # The mean lead is positive, but the paired spread makes it smaller than its standard error.
    candidate = shifted("noisy", 0.002, {"year": 0.5, "month": 0.5}, noise=0.2)
    verdict = judge(candidate, DEFAULT)
    assert 0 < verdict.ic_lead < verdict.ic_lead_se
    assert verdict.beats_alpha and not verdict.beats_ic
    assert verdict.reasons()[0].startswith("pooled skill IC lead")
    assert adopt(DEFAULT, [candidate])[0] is None


def test_alpha_behind_on_one_dataset_fails() -> None:
    candidate = shifted("one-short", 0.05, {"year": 0.20, "month": -0.10}, noise=0.01)
    verdict = judge(candidate, DEFAULT)
    assert verdict.beats_ic and not verdict.beats_alpha
    assert verdict.reasons() == ["alpha on month is not above the default's (+0.0000)"]
    assert adopt(DEFAULT, [candidate])[0] is None


def test_of_several_that_qualify_the_highest_ic_lead_is_adopted() -> None:
    good = shifted("good", 0.02, {"year": 0.1, "month": 0.0}, noise=0.01)
    best = shifted("best", 0.04, {"year": 0.1, "month": 0.0}, noise=0.01)
    failing = shifted("failing", 0.10, {"year": 0.0, "month": 0.0}, noise=0.01)
    chosen, verdicts = adopt(DEFAULT, [good, best, failing])
    assert chosen == "best"
    assert [v.qualifies for v in verdicts] == [True, True, False]


def test_decisions_unmeasured_on_either_side_are_left_out_of_the_pairing() -> None:
    ics = {d: v.copy() for d, v in BASE_ICS.items()}
    ics["year"][:10] = np.nan
    candidate = CandidateEvidence("gappy", {d: v + 0.01 for d, v in ics.items()}, DEFAULT.alpha)
    verdict = judge(candidate, DEFAULT)
    assert verdict.decisions == 310
    assert verdict.ic_lead == pytest.approx(0.01)


def test_evidence_from_other_datasets_or_decisions_is_refused() -> None:
    other = CandidateEvidence("other", {"year": BASE_ICS["year"]}, {"year": 0.1})
    with pytest.raises(EvidenceMismatch, match="other datasets"):
        judge(other, DEFAULT)
    shorter = CandidateEvidence(
        "shorter", {"year": BASE_ICS["year"][:-1], "month": BASE_ICS["month"]}, DEFAULT.alpha
    )
    with pytest.raises(EvidenceMismatch, match="other decisions"):
        judge(shorter, DEFAULT)
