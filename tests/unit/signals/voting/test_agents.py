"""Each agent's decision on crafted inputs; abstention on stale or missing data; consensus."""

from __future__ import annotations

import dataclasses
import math

import pytest

from app.configuration.registry import DEFAULTS
from app.signals.voting.agents import (
    ABSTAIN,
    APPROVE,
    REJECT,
    Limits,
    SignalFacts,
    Vote,
    fundamental,
    market_structure,
    risk,
    technical,
    vote_all,
)
from app.signals.voting.consensus import APPROVED, NO_QUORUM, REJECTED, ConsensusRule, decide

SCORES = {"technical": 70.0, "fundamental": 60.0, "market_structure": 80.0, "risk": 65.0}
METRICS = {
    "spread_bps": 4.0,
    "impact_bps": 6.0,
    "volatility_annualised": 0.8,
    "funding_carry_bps_8h": -1.0,
}


# The registered defaults: the service reads these settings (tests/api covers a change of them).
LIMITS = Limits(
    max_spread_bps=DEFAULTS["signal_max_spread_bps"],
    max_volatility=DEFAULTS["signal_max_volatility"],
    correlation_limit=DEFAULTS["correlation_limit"],
    max_score_age_s=DEFAULTS["stale_data_limit_s"],
    max_funding_carry_bps=DEFAULTS["signal_max_funding_carry_bps"],
)
RULE = ConsensusRule(
    quorum=DEFAULTS["signal_quorum"], approve_share=DEFAULTS["signal_approve_share"]
)


def facts(**changes: object) -> SignalFacts:
    base: dict[str, object] = {
        "direction": "BUY",
        "scores": SCORES,
        "metrics": METRICS,
        "score_age_s": 60.0,
        "correlation_to_portfolio": 0.3,
        "limits": LIMITS,
    }
    base.update(changes)
    return SignalFacts(**base)  # type: ignore[arg-type]


class TestTechnical:
    def test_a_strong_score_supports_a_buy_with_its_distance_as_confidence(self) -> None:
        vote = technical(facts())
        assert (vote.decision, vote.confidence) == (APPROVE, 0.4)

    def test_the_same_score_argues_against_a_sell(self) -> None:
        assert technical(facts(direction="SELL")).decision == REJECT

    def test_neutral_and_stale_abstain(self) -> None:
        assert technical(facts(direction="NEUTRAL")).decision == ABSTAIN
        stale = technical(facts(score_age_s=99999.0))
        assert stale.decision == ABSTAIN and "stale" in stale.reason


class TestFundamental:
    def test_the_funding_limit_is_the_settings(self) -> None:
        metrics = {**METRICS, "funding_carry_bps_8h": -25.0}
        tolerant = dataclasses.replace(LIMITS, max_funding_carry_bps=30.0)
        assert fundamental(facts(metrics=metrics)).decision == REJECT
        assert fundamental(facts(metrics=metrics, limits=tolerant)).decision == APPROVE

    def test_heavy_funding_for_longs_rejects_a_buy(self) -> None:
        metrics = {**METRICS, "funding_carry_bps_8h": -25.0}
        vote = fundamental(facts(metrics=metrics))
        assert (vote.decision, vote.confidence) == (REJECT, 0.5)

    def test_without_a_score_it_abstains(self) -> None:
        vote = fundamental(facts(scores={"technical": 70.0}))
        assert vote.decision == ABSTAIN and "no fundamental score" in vote.reason


class TestMarketStructure:
    def test_a_wide_spread_rejects(self) -> None:
        vote = market_structure(facts(metrics={**METRICS, "spread_bps": 35.0}))
        assert (vote.decision, vote.confidence) == (REJECT, 1.0)

    def test_a_book_that_cannot_fill_rejects(self) -> None:
        assert (
            market_structure(facts(metrics={**METRICS, "impact_bps": math.inf})).decision == REJECT
        )

    def test_a_tight_deep_book_approves_with_the_score(self) -> None:
        vote = market_structure(facts())
        assert (vote.decision, vote.confidence) == (APPROVE, 0.8)


class TestRisk:
    def test_too_volatile_for_a_buy(self) -> None:
        vote = risk(facts(metrics={**METRICS, "volatility_annualised": 2.4}))
        assert vote.decision == REJECT and "volatility" in vote.reason

    def test_too_correlated_with_the_portfolio(self) -> None:
        vote = risk(facts(correlation_to_portfolio=0.95))
        assert vote.decision == REJECT and "correlation" in vote.reason

    def test_a_sell_is_not_held_to_the_buy_limits(self) -> None:
        assert risk(facts(direction="SELL", correlation_to_portfolio=0.95)).decision == APPROVE


class TestConsensus:
    def test_weighted_arithmetic(self) -> None:
        votes = [
            Vote("technical", APPROVE, 0.4, ""),
            Vote("fundamental", REJECT, 0.5, ""),
            Vote("market_structure", APPROVE, 0.8, ""),
            Vote("risk", ABSTAIN, 0.0, ""),
        ]
        weights = {"technical": 1.0, "fundamental": 2.0, "market_structure": 0.5, "risk": 1.0}
        result = decide(votes, weights, RULE)
        # support 1.0*0.4 + 0.5*0.8 = 0.8; opposition 2.0*0.5 = 1.0; share 0.8/1.8
        assert (result.support, result.opposition) == (0.8, 1.0)
        assert result.share == pytest.approx(0.444444, abs=1e-6)
        assert (result.outcome, result.voters) == (REJECTED, 3)

    def test_all_agree_approves(self) -> None:
        assert decide(vote_all(facts()), {}, RULE).outcome == APPROVED

    def test_the_quorum_and_the_share_are_the_rules(self) -> None:
        votes = [Vote("technical", APPROVE, 0.8, ""), Vote("risk", REJECT, 0.2, "")]
        assert decide(votes, {}, RULE).outcome == APPROVED  # share 0.8 > 0.5
        assert decide(votes, {}, ConsensusRule(quorum=2, approve_share=0.8)).outcome == REJECTED
        assert decide(votes, {}, ConsensusRule(quorum=3, approve_share=0.5)).outcome == NO_QUORUM

    def test_too_few_voters_is_no_quorum(self) -> None:
        votes = [Vote("technical", APPROVE, 0.9, ""), Vote("risk", ABSTAIN, 0.0, "")]
        assert decide(votes, {}, ConsensusRule(quorum=2, approve_share=0.5)).outcome == NO_QUORUM
        assert decide(vote_all(facts(score_age_s=None)), {}, RULE).outcome == NO_QUORUM
