"""The pre-registered adoption rule: a candidate qualifies, fails by IC, is vetoed by a dataset's
paired alpha only when that is significantly behind and the dataset long enough."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

from app.lab.calibration.adoption import (
    MIN_VETO_DECISIONS,
    CandidateEvidence,
    EvidenceMismatch,
    adopt,
    judge,
)
from app.stats.skill import regression
from tests.api.unsaid_figures import unsaid

PER_YEAR = 365.0
RNG = np.random.default_rng(7)
SIZES = {"year": 300, "month": 20}
BASE_ICS = {d: RNG.normal(0.0, 0.1, n) for d, n in SIZES.items()}
UNIVERSE = {d: RNG.normal(0.0, 0.02, n) for d, n in SIZES.items()}
BASE_BOOKS = {d: 0.9 * UNIVERSE[d] + RNG.normal(0.0, 0.01, n) for d, n in SIZES.items()}
DEFAULT = CandidateEvidence("default", BASE_ICS, BASE_BOOKS, UNIVERSE, PER_YEAR)


def shifted(
    name: str,
    lead: float,
    alpha: dict[str, float],
    noise: float = 0.0,
    book_noise: float = 0.001,
) -> CandidateEvidence:
    """The default's ICs plus `lead`, plus ±`noise` alternating (mean 0 on the even sizes); its
    books the default's plus `alpha[d]` a period, plus independent noise of `book_noise`."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    ics = {d: v + lead + noise * (-1.0) ** np.arange(v.size) for d, v in BASE_ICS.items()}
    books = {d: v + alpha[d] + rng.normal(0.0, book_noise, v.size) for d, v in BASE_BOOKS.items()}
    return CandidateEvidence(name, ics, books, UNIVERSE, PER_YEAR)


def test_a_candidate_ahead_on_ic_and_not_behind_on_alpha_qualifies() -> None:
    candidate = shifted("better", 0.02, {"year": 0.0003, "month": 0.0001}, noise=0.05)
    verdict = judge(candidate, DEFAULT)
    diff = np.concatenate([candidate.ics[d] - BASE_ICS[d] for d in ("month", "year")])
    assert verdict.decisions == 320
    assert verdict.ic_lead == pytest.approx(diff.mean())
    assert verdict.ic_lead_se == pytest.approx(diff.std(ddof=1) / math.sqrt(320))
    assert verdict.ic_lead_se_hac > 0
    assert verdict.qualifies and verdict.reasons() == [] and verdict.vetoed_by == []
    assert adopt(DEFAULT, [candidate]) == ("better", [verdict])


def test_the_paired_alpha_lead_is_the_difference_of_the_two_alphas() -> None:
    candidate = shifted("paired", 0.0, {"year": 0.0004, "month": -0.0002})
    verdict = judge(candidate, DEFAULT)
    for d in SIZES:
        own = regression(np.asarray(candidate.books[d]), UNIVERSE[d], PER_YEAR)
        theirs = regression(BASE_BOOKS[d], UNIVERSE[d], PER_YEAR)
        expected = own["alpha_annualised"] - theirs["alpha_annualised"]
        assert verdict.alpha[d].lead == pytest.approx(expected, abs=1e-8)
        assert verdict.alpha[d].decisions == SIZES[d]
        # Far more precise than either alpha: the market both books ride cancels.
        assert verdict.alpha[d].se < 0.5 * own["alpha_se"] * PER_YEAR


def test_a_lead_within_one_standard_error_fails_by_ic() -> None:
    # The mean lead is positive, but the paired spread makes it smaller than its standard error.
    candidate = shifted("noisy", 0.002, {"year": 0.001, "month": 0.001}, noise=0.2)
    verdict = judge(candidate, DEFAULT)
    assert 0 < verdict.ic_lead < verdict.ic_lead_se
    assert not verdict.vetoed_by and not verdict.beats_ic
    assert verdict.reasons()[0].startswith("pooled skill IC lead")
    assert adopt(DEFAULT, [candidate])[0] is None


def test_an_alpha_significantly_behind_on_a_long_dataset_vetoes() -> None:
    candidate = shifted("behind", 0.05, {"year": -0.001, "month": 0.0}, noise=0.01)
    verdict = judge(candidate, DEFAULT)
    year = verdict.alpha["year"]
    assert verdict.beats_ic and year.counts and year.t < -2
    assert verdict.vetoed_by == ["year"] and not verdict.qualifies
    assert verdict.reasons() == [
        f"paired alpha lead on year is {year.lead:+.4f}/yr, {year.t:+.2f} HAC standard errors: "
        "significantly behind the default's"
    ]
    assert adopt(DEFAULT, [candidate])[0] is None


def test_a_dataset_under_sixty_decisions_reports_but_never_vetoes() -> None:
    candidate = shifted("short-behind", 0.05, {"year": 0.0, "month": -0.002}, noise=0.01)
    verdict = judge(candidate, DEFAULT)
    month = verdict.alpha["month"]
    assert SIZES["month"] < MIN_VETO_DECISIONS
    assert month.t < -2 and not month.counts and not month.vetoes  # reported, no veto
    assert verdict.qualifies


def test_an_alpha_behind_but_within_noise_does_not_veto() -> None:
    candidate = shifted("slightly", 0.05, {"year": -0.0001, "month": 0.0}, 0.01, book_noise=0.01)
    verdict = judge(candidate, DEFAULT)
    year = verdict.alpha["year"]
    assert year.lead < 0 and year.t > -2
    assert verdict.qualifies


def test_of_several_that_qualify_the_highest_ic_lead_is_adopted() -> None:
    good = shifted("good", 0.02, {"year": 0.0001, "month": 0.0}, noise=0.01)
    best = shifted("best", 0.04, {"year": 0.0001, "month": 0.0}, noise=0.01)
    failing = shifted("failing", 0.10, {"year": -0.002, "month": 0.0}, noise=0.01)
    chosen, verdicts = adopt(DEFAULT, [good, best, failing])
    assert chosen == "best"
    assert [v.qualifies for v in verdicts] == [True, True, False]


def test_decisions_unmeasured_on_either_side_are_left_out_of_the_pairing() -> None:
    ics = {d: v.copy() for d, v in BASE_ICS.items()}
    ics["year"][:10] = np.nan
    candidate = CandidateEvidence(
        "gappy", {d: v + 0.01 for d, v in ics.items()}, BASE_BOOKS, UNIVERSE, PER_YEAR
    )
    verdict = judge(candidate, DEFAULT)
    assert verdict.decisions == 310
    assert verdict.ic_lead == pytest.approx(0.01)


def test_evidence_from_other_datasets_or_decisions_is_refused() -> None:
    year = {"year": BASE_ICS["year"]}
    other = CandidateEvidence("other", year, {"year": BASE_BOOKS["year"]}, UNIVERSE, PER_YEAR)
    with pytest.raises(EvidenceMismatch, match="other datasets"):
        judge(other, DEFAULT)
    shorter = CandidateEvidence(
        "shorter",
        {"year": BASE_ICS["year"][:-1], "month": BASE_ICS["month"]},
        BASE_BOOKS,
        UNIVERSE,
        PER_YEAR,
    )
    with pytest.raises(EvidenceMismatch, match="other decisions"):
        judge(shorter, DEFAULT)
    fewer = {**BASE_BOOKS, "month": BASE_BOOKS["month"][:-1]}
    with pytest.raises(EvidenceMismatch, match="other decisions"):
        judge(CandidateEvidence("fewer", BASE_ICS, fewer, UNIVERSE, PER_YEAR), DEFAULT)


def test_the_paired_regression_reads_the_default_s_universe() -> None:
    moved = {**UNIVERSE, "month": UNIVERSE["month"] + 0.01}
    elsewhere = CandidateEvidence("elsewhere", BASE_ICS, BASE_BOOKS, moved, PER_YEAR)
    same = CandidateEvidence("same", BASE_ICS, BASE_BOOKS, UNIVERSE, PER_YEAR)
    assert judge(elsewhere, DEFAULT).alpha == judge(same, DEFAULT).alpha


@pytest.mark.parametrize("measured", [0, 1])
def test_too_few_paired_decisions_are_said_in_words_not_as_nan(measured: int) -> None:
    ics = {d: np.full(v.size, np.nan) for d, v in BASE_ICS.items()}
    ics["year"][:measured] = 0.05
    candidate = CandidateEvidence("unmeasured", ics, BASE_BOOKS, UNIVERSE, PER_YEAR)
    verdict = judge(candidate, DEFAULT)
    assert verdict.decisions == measured and not verdict.qualifies
    assert verdict.reasons() == [
        f"not enough paired decisions yet to weigh its skill IC: {measured} of the 2 a "
        "standard error needs"
    ]
    assert unsaid(verdict.reasons()[0]) == []
