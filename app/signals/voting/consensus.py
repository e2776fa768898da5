"""The consensus: a confidence- and agent-weight-weighted vote with a quorum."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.signals.voting.agents import ABSTAIN, APPROVE, Vote

APPROVED, REJECTED, NO_QUORUM = "approved", "rejected", "no_quorum"


@dataclass(frozen=True)
class ConsensusRule:
    """Runtime settings `signal_quorum` and `signal_approve_share`."""

    quorum: int  # agents that must vote (not abstain)
    approve_share: float  # approving weight must exceed this share of the voting weight


@dataclass(frozen=True)
class Consensus:
    outcome: str
    support: float  # sum of weight x confidence of the approving agents
    opposition: float
    share: float | None  # support / (support + opposition)
    voters: int
    weights: dict[str, float]


def decide(votes: Sequence[Vote], weights: Mapping[str, float], rule: ConsensusRule) -> Consensus:
    """`weights` are the agents' current weights in the consensus (calibrated elsewhere)."""
    voting = [v for v in votes if v.decision != ABSTAIN]
    used = {v.agent: float(weights.get(v.agent, 1.0)) for v in votes}
    support = sum(used[v.agent] * v.confidence for v in voting if v.decision == APPROVE)
    opposition = sum(used[v.agent] * v.confidence for v in voting if v.decision != APPROVE)
    total = support + opposition
    share = support / total if total > 0 else None
    if len(voting) < rule.quorum or share is None:
        outcome = NO_QUORUM
    else:
        outcome = APPROVED if share > rule.approve_share else REJECTED
    return Consensus(
        outcome,
        round(support, 6),
        round(opposition, 6),
        None if share is None else round(share, 6),
        len(voting),
        used,
    )
