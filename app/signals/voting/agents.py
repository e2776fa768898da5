"""The four agents. Each votes approve or reject with a confidence in [0, 1] and a reason, from
the latest component scores and market facts of the signal's symbol; an agent whose inputs are
missing or stale abstains and says so. Scores are 0-100 with 50 as the universe's middle."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

APPROVE, REJECT, ABSTAIN = "approve", "reject", "abstain"
AGENTS = ("technical", "fundamental", "market_structure", "risk")
TECHNICAL, FUNDAMENTAL, MARKET_STRUCTURE, RISK = AGENTS


@dataclass(frozen=True)
class Limits:
    """The agents' thresholds (runtime settings: `signal_*`, `correlation_limit`,
    `stale_data_limit_s`)."""

    max_spread_bps: float
    max_volatility: float  # annualised
    correlation_limit: float
    max_score_age_s: float
    max_funding_carry_bps: float  # per 8 h, paid by longs


@dataclass(frozen=True)
class SignalFacts:
    """What the agents see of one signal and its symbol."""

    direction: str  # BUY | SELL | NEUTRAL
    scores: Mapping[str, float]  # component -> latest score (missing when not scored)
    metrics: Mapping[str, float | None]  # metric name -> raw value from the latest breakdown
    score_age_s: float | None
    limits: Limits
    correlation_to_portfolio: float | None = None  # highest with a current member


@dataclass(frozen=True)
class Vote:
    agent: str
    decision: str
    confidence: float
    reason: str


def _unusable(agent: str, facts: SignalFacts) -> Vote | None:
    if facts.direction == "NEUTRAL":
        return Vote(agent, ABSTAIN, 0.0, "a neutral signal has no side to judge")
    if facts.score_age_s is None or agent not in facts.scores:
        return Vote(agent, ABSTAIN, 0.0, f"no {agent} score for this symbol")
    if facts.score_age_s > facts.limits.max_score_age_s:
        return Vote(agent, ABSTAIN, 0.0, f"scores are {facts.score_age_s:.0f}s old (stale)")
    return None


def _lean(agent: str, facts: SignalFacts, what: str) -> Vote:
    """Approve a BUY when the score is above the middle (a SELL when below), confidence by the
    distance from it."""
    score = facts.scores[agent]
    confidence = round(min(abs(score - 50.0) / 50.0, 1.0), 6)
    favours_buy = score >= 50.0
    agrees = favours_buy == (facts.direction == "BUY")
    side = "supports" if agrees else "argues against"
    return Vote(
        agent,
        APPROVE if agrees else REJECT,
        confidence,
        f"{what} score {score:.1f} {side} a {facts.direction}",
    )


def technical(facts: SignalFacts) -> Vote:
    return _unusable(TECHNICAL, facts) or _lean(TECHNICAL, facts, "technical")


def fundamental(facts: SignalFacts) -> Vote:
    unusable = _unusable(FUNDAMENTAL, facts)
    if unusable is not None:
        return unusable
    carry = facts.metrics.get("funding_carry_bps_8h")
    if (
        facts.direction == "BUY"
        and carry is not None
        and carry < -facts.limits.max_funding_carry_bps
    ):
        return Vote(
            FUNDAMENTAL,
            REJECT,
            round(min(-carry / 50.0, 1.0), 6),
            f"longs pay {-carry:.1f} bps of funding per 8 h",
        )
    return _lean(FUNDAMENTAL, facts, "fundamental")


def market_structure(facts: SignalFacts) -> Vote:
    unusable = _unusable(MARKET_STRUCTURE, facts)
    if unusable is not None:
        return unusable
    spread = facts.metrics.get("spread_bps")
    if spread is None:
        return Vote(MARKET_STRUCTURE, ABSTAIN, 0.0, "no order book was measured")
    if spread > facts.limits.max_spread_bps:
        return Vote(
            MARKET_STRUCTURE,
            REJECT,
            1.0,
            f"spread {spread:.1f} bps > {facts.limits.max_spread_bps:g} bps",
        )
    impact = facts.metrics.get("impact_bps")
    if impact is None or math.isinf(impact):
        return Vote(MARKET_STRUCTURE, REJECT, 1.0, "the book cannot fill the reference order")
    score = facts.scores[MARKET_STRUCTURE]
    reason = f"spread {spread:.1f} bps and impact {impact:.1f} bps can carry the size"
    return Vote(MARKET_STRUCTURE, APPROVE, round(score / 100.0, 6), reason)


def risk(facts: SignalFacts) -> Vote:
    unusable = _unusable(RISK, facts)
    if unusable is not None:
        return unusable
    volatility = facts.metrics.get("volatility_annualised")
    if (
        facts.direction == "BUY"
        and volatility is not None
        and volatility > facts.limits.max_volatility
    ):
        return Vote(
            RISK, REJECT, 1.0, f"volatility {volatility:.2f} > {facts.limits.max_volatility:g}"
        )
    rho = facts.correlation_to_portfolio
    if facts.direction == "BUY" and rho is not None and rho > facts.limits.correlation_limit:
        limit = facts.limits.correlation_limit
        return Vote(RISK, REJECT, 1.0, f"correlation {rho:.2f} with the portfolio > {limit:g}")
    score = facts.scores[RISK]
    return Vote(RISK, APPROVE, round(score / 100.0, 6), f"risk score {score:.1f} within limits")


VOTERS: Mapping[str, Callable[[SignalFacts], Vote]] = {
    TECHNICAL: technical,
    FUNDAMENTAL: fundamental,
    MARKET_STRUCTURE: market_structure,
    RISK: risk,
}


def vote_all(facts: SignalFacts) -> list[Vote]:
    return [VOTERS[name](facts) for name in AGENTS]
