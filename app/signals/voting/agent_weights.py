"""Calibration: score each agent's past votes against what the price did next, and derive its
weight in the consensus from its measured accuracy (bounded, with a prior, so a new agent is
neither ignored nor dominant)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.signals.voting.agents import ABSTAIN, APPROVE

PRIOR_HITS = 5.0  # a Beta(5, 5) prior: ten imaginary votes, half right
PRIOR_MISSES = 5.0
MIN_WEIGHT, MAX_WEIGHT = 0.25, 1.75


@dataclass(frozen=True)
class ScoredVote:
    decision: str  # approve | reject | abstain
    confidence: float
    succeeded: bool  # the signal's side made money over its horizon


@dataclass(frozen=True)
class AgentRecord:
    votes: int
    hits: int
    hit_rate: float | None
    brier: float | None  # mean squared error of the implied probability of success
    accuracy: float  # posterior mean of the hit rate under the prior
    weight: float


def forecast(decision: str, confidence: float) -> float:
    """The probability of success an agent's vote implies: 0.5 +- confidence / 2."""
    return 0.5 + confidence / 2 if decision == APPROVE else 0.5 - confidence / 2


def calibrate(votes: Iterable[ScoredVote]) -> AgentRecord:
    scored = [v for v in votes if v.decision != ABSTAIN]
    hits = sum((v.decision == APPROVE) == v.succeeded for v in scored)
    brier = None
    if scored:
        brier = sum((forecast(v.decision, v.confidence) - v.succeeded) ** 2 for v in scored)
        brier /= len(scored)
    accuracy = (hits + PRIOR_HITS) / (len(scored) + PRIOR_HITS + PRIOR_MISSES)
    weight = min(max(2.0 * accuracy, MIN_WEIGHT), MAX_WEIGHT)
    return AgentRecord(
        votes=len(scored),
        hits=hits,
        hit_rate=hits / len(scored) if scored else None,
        brier=None if brier is None else round(brier, 6),
        accuracy=round(accuracy, 6),
        weight=round(weight, 6),
    )


def forward_return(direction: str, entry: float, exit_: float) -> float:
    """The return of the signal's side from entry to exit (a SELL gains when price falls)."""
    change = exit_ / entry - 1.0
    return change if direction == "BUY" else -change


HORIZONS_H = {"15m": 0.25, "30m": 0.5, "1h": 1, "2h": 2, "4h": 4, "8h": 8, "12h": 12, "1d": 24}
DEFAULT_HORIZON_H = 4.0


def horizon_hours(timeframe: str | None) -> float:
    return float(HORIZONS_H.get((timeframe or "").lower(), DEFAULT_HORIZON_H))
