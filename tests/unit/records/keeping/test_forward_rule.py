"""The registered forward adoption rule: decisions required, the Holm-corrected IC lead, the
paired alpha, and which challenger is adopted."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.records.keeping.forward_rule import (
    MIN_DECISIONS,
    P_LEAD,
    ForwardSeries,
    adopt_forward,
    forward_verdicts,
    one_sided_p,
)
from app.stats.hac import mean_hac
from tests.api.unsaid_figures import unsaid


def _record(
    n: int, lead: float, seed: int = 0, alpha: float = 0.0
) -> tuple[ForwardSeries, ForwardSeries, np.ndarray]:
    """A default with noisy ICs around 0 and a challenger `lead` above it on every decision
    (plus noise), books whose difference earns `alpha` a decision beside the market."""
    rng = np.random.default_rng(seed)
    market = rng.normal(0.0, 0.02, n)
    default_ic = rng.normal(0.0, 0.1, n)
    challenger_ic = default_ic + lead + rng.normal(0.0, 0.05, n)
    default_returns = market + rng.normal(0.0, 0.01, n)
    challenger_returns = default_returns + alpha + rng.normal(0.0, 0.002, n)
    return (
        ForwardSeries("default", default_ic.tolist(), default_returns.tolist()),
        ForwardSeries("X", challenger_ic.tolist(), challenger_returns.tolist()),
        market,
    )


class TestForwardRule:
    def test_a_clearly_better_challenger_qualifies_once_it_has_the_decisions(self) -> None:
        default, better, market = _record(MIN_DECISIONS, lead=0.05)
        (verdict,) = forward_verdicts(default, [better], market)
        assert verdict.decisions == MIN_DECISIONS
        assert verdict.ic_lead_t > 5 and verdict.qualifies and verdict.reasons == []
        assert adopt_forward([verdict]) == "X"

    def test_one_decision_short_it_does_not(self) -> None:
        default, better, market = _record(MIN_DECISIONS - 1, lead=0.05)
        (verdict,) = forward_verdicts(default, [better], market)
        assert not verdict.qualifies
        assert verdict.reasons == [f"{MIN_DECISIONS - 1} forward decisions of the 90 required"]
        assert adopt_forward([verdict]) is None

    def test_decisions_without_both_ics_do_not_count(self) -> None:
        default, better, market = _record(MIN_DECISIONS + 5, lead=0.05)
        ics = list(better.skill_ic)
        ics[:6] = [math.nan] * 6
        (verdict,) = forward_verdicts(default, [ForwardSeries("X", ics, better.returns)], market)
        assert verdict.decisions == MIN_DECISIONS - 1 and not verdict.qualifies

    def test_the_lead_and_its_error_are_the_hac_mean_of_the_differences(self) -> None:
        default, better, market = _record(200, lead=0.01, seed=3)
        (verdict,) = forward_verdicts(default, [better], market)
        diff = np.asarray(better.skill_ic) - np.asarray(default.skill_ic)
        assert (verdict.ic_lead, verdict.ic_lead_se) == pytest.approx(mean_hac(diff), rel=1e-12)
        assert verdict.p_value == pytest.approx(one_sided_p(verdict.ic_lead_t))

    def test_a_significantly_negative_paired_alpha_vetoes(self) -> None:
        default, better, market = _record(200, lead=0.05, alpha=-0.002)
        (verdict,) = forward_verdicts(default, [better], market)
        assert verdict.ic_lead_t > 5
        assert verdict.alpha_lead == pytest.approx(-0.002, abs=5e-4) and verdict.alpha_lead_t < -2
        assert not verdict.qualifies and "paired alpha" in verdict.reasons[0]

    def test_holm_asks_more_of_one_among_many(self) -> None:
        """A lead at t 2.5 clears two standard errors alone, not among ten challengers."""
        n = 400
        default = ForwardSeries("default", [0.0] * n, [0.0] * n)
        rng = np.random.default_rng(7)
        market = rng.normal(0.0, 0.02, n)  # the books' returns are equal: paired alpha 0
        noise = rng.normal(0.0, 1.0, n)
        noise = (noise - noise.mean()) / noise.std(ddof=1)
        lead_ics = (0.01 + 0.01 * noise).tolist()  # lead / naive SE = sqrt(400) = 20; HAC varies
        probe = forward_verdicts(default, [ForwardSeries("X", lead_ics, [0.0] * n)], market)[0]
        scale = probe.ic_lead_t / 2.5  # shrink the lead to t = 2.5 exactly
        shrunk = (0.01 / scale + 0.01 * noise).tolist()
        alone = forward_verdicts(default, [ForwardSeries("X", shrunk, [0.0] * n)], market)
        assert alone[0].ic_lead_t == pytest.approx(2.5, rel=0.05) and alone[0].qualifies
        flat = [ForwardSeries(f"N{k}", [0.0] * n, [0.0] * n) for k in range(9)]
        among = forward_verdicts(default, [ForwardSeries("X", shrunk, [0.0] * n), *flat], market)
        assert among[0].holm_threshold == pytest.approx(P_LEAD / 10)
        assert not among[0].qualifies and "Holm" in among[0].reasons[0]
        assert adopt_forward(among) is None

    def test_among_several_that_qualify_the_largest_lead_t_is_adopted(self) -> None:
        default, good, market = _record(300, lead=0.02, seed=1)
        _, better, _ = _record(300, lead=0.06, seed=1)
        verdicts = forward_verdicts(
            default,
            [
                ForwardSeries("good", good.skill_ic, good.returns),
                ForwardSeries("better", better.skill_ic, better.returns),
            ],
            market,
        )
        assert all(v.qualifies for v in verdicts)
        assert adopt_forward(verdicts) == "better"

    def test_misaligned_books_are_refused(self) -> None:
        default, better, market = _record(100, lead=0.05)
        with pytest.raises(ValueError, match="not aligned"):
            forward_verdicts(default, [better], market[:-1])


class TestReasonsInWords:
    """A figure the rule cannot compute yet is said in words: no `nan` in any reason."""

    def test_with_no_decision_the_lead_is_not_measured_yet(self) -> None:
        empty = ForwardSeries("default", [], [])
        (verdict,) = forward_verdicts(empty, [ForwardSeries("X", [], [])], np.array([]))
        assert verdict.reasons == [
            f"0 forward decisions of the {MIN_DECISIONS} required",
            "skill-IC lead not measured yet (no decision with both skill ICs), so it cannot "
            f"beat Holm's {P_LEAD:.4f} across 1 challenger",
            "paired alpha not measurable yet (too few decisions with both books' returns)",
        ]
        assert all(unsaid(reason) == [] for reason in verdict.reasons)

    def test_over_one_decision_the_lead_has_no_standard_error_yet(self) -> None:
        default = ForwardSeries("default", [0.01], [0.001])
        (verdict,) = forward_verdicts(default, [ForwardSeries("X", [0.03], [0.002])], [0.0])
        assert verdict.reasons[1] == (
            "skill-IC lead +0.0200 over one decision has no standard error yet, so it cannot "
            f"beat Holm's {P_LEAD:.4f} across 1 challenger"
        )
        assert all(unsaid(reason) == [] for reason in verdict.reasons)

    def test_a_challenger_that_decides_as_the_default_has_no_lead(self) -> None:
        default, _, market = _record(5, lead=0.0)
        same = ForwardSeries("X", default.skill_ic, default.returns)
        verdict, _ = forward_verdicts(default, [same, same], market)
        assert verdict.reasons[1] == (
            "skill IC the same as the default's on each of its 5 decisions, so it cannot beat "
            f"Holm's {P_LEAD / 2:.4f} across 2 challengers"
        )
        assert all(unsaid(reason) == [] for reason in verdict.reasons)

    def test_a_negative_paired_alpha_without_spread_is_said_without_a_t(self) -> None:
        market = [-0.01, 0.0, 0.01]
        default = ForwardSeries("default", [0.0, 0.01, 0.02], [0.0] * 3)
        # Exactly 0.001 behind at each decision: the line fits with no residual at all.
        behind = ForwardSeries("X", [0.0, 0.01, 0.02], [-0.001] * 3)
        (verdict,) = forward_verdicts(default, [behind], market)
        assert verdict.reasons[-1] == (
            "paired alpha -0.00100 a decision (no spread around it to give it a t) is "
            "significantly negative"
        )
        assert all(unsaid(reason) == [] for reason in verdict.reasons)
