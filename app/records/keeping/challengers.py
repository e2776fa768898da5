"""The registered forward challengers: the books the forward record runs beside the default's
(README, "The next default: the forward rule"; judged by `app.records.keeping.forward_rule`).

A challenger is a replay override of the scoring configuration, with its hypothesis stated
before its first forward decision. Its forward record starts at the first decision at or after
`registered_at` and is never backfilled. Names are stable forever; a challenger is never
removed or changed, only added (a changed hypothesis is a new challenger).

Registered: every candidate of the family (`app.records.keeping.family`) but the default G, A being
the seed preset, and new challengers drawn from the shared histories, expressed with the
scoring configuration's own parameters (technical version, per-metric `metric_weights`, 0 =
off); none of them needs a scoring feature that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.records.keeping.family import DEFAULT, FAMILY, PRESETS, Candidate
from app.scoring.scorers.components import FUNDAMENTAL, MARKET_STRUCTURE, RISK, TECHNICAL
from app.scoring.scorers.parameters import METRIC_WEIGHTS

FAMILY_SOURCE = "family"
PRESET_SOURCE = "preset"
NEW_SOURCE = "new"

# The family was registered before any forward decision existed; the new challengers after this
# round's deploy and before their first forward decision.
FAMILY_REGISTERED_AT = datetime(2026, 11, 25, tzinfo=UTC)
NEW_REGISTERED_AT = datetime(2026, 11, 25, 18, tzinfo=UTC)


@dataclass(frozen=True)
class Challenger:
    name: str  # the book's name, stable forever
    hypothesis: str  # what it bets on and why, stated before its first forward decision
    registered_at: datetime  # UTC; its record starts at the first decision at or after it
    overrides: dict[str, Any] = field(hash=False)  # the replay's override document
    source: str  # "family" | "preset" | "new"


# What each family candidate bets on against the default, G (risk only).
_BETS = {
    "A": "bets that the seed's mix of all four components, with the seed's technical metrics "
    "(v1), selects better than risk alone",
    "B": "bets that the rebuilt technical metrics (v2: over-extension reverses, trend and "
    "momentum persist) improve the seed's mix",
    "C": "bets that no component should lead: an equal mix of the four selects better than "
    "risk alone",
    "D": "bets that a step from the seed's weights towards equal, with the rebuilt technical, "
    "selects better than risk alone",
    "E": "bets that liquidity, funding carry and book quality add to low risk while price "
    "patterns add nothing",
    "F": "bets that low risk should lead and the other three components add at the margin",
    "H": "bets that fundamental and market structure beside a half of risk add to it, and "
    "technical nothing",
    "I": "bets that liquid contracts with cheap, stable funding add to low risk",
    "J": "bets that the rebuilt technical metrics select on their own",
}


def _weights_text(candidate: Candidate) -> str:
    parts = [f"{n} {w:.3g}" for n, w in candidate.component_weights().items() if w > 0]
    return f"{', '.join(parts)}; technical v{candidate.technical_version}"


def _family(candidate: Candidate) -> Challenger:
    seed = candidate is PRESETS["seed"]
    label = (
        "the seed preset (`PUT /scoring/algorithms/presets/seed`), the default until migration 0024"
        if seed
        else candidate.label
    )
    return Challenger(
        name=candidate.name,
        hypothesis=(
            f"Family candidate {candidate.name}, {label} ({_weights_text(candidate)}): "
            f"{_BETS[candidate.name]}."
        ),
        registered_at=FAMILY_REGISTERED_AT,
        overrides=candidate.overrides(),
        source=PRESET_SOURCE if seed else FAMILY_SOURCE,
    )


# Technical v2 with only its over-extension and attention metrics (all three lower-is-better):
# the trend, momentum, MACD and signed-efficiency metrics are switched off, by the names the
# default windows give them. No window is set here, so that a replay scores this challenger
# once with the others and only re-weighs (`app.books.simulation.decision_context.Contexts`).
REVERSAL_TECHNICAL = {
    "version": 2,
    METRIC_WEIGHTS: {
        "rsi": 1.0,
        "bollinger_pct_b": 1.0,
        "volume_surge": 1.0,
        "macd_histogram_z": 0.0,
        "ema_trend_z": 0.0,
        "momentum_3d_z": 0.0,
        "momentum_7d_z": 0.0,
        "momentum_30d_z": 0.0,
        "efficiency_signed_72h": 0.0,
    },
}
# The risk component with only low volatility and low drawdown.
CALM_RISK = {
    METRIC_WEIGHTS: {
        "volatility_annualised": 1.0,
        "max_drawdown": 1.0,
        "beta_to_benchmark": 0.0,
        "correlation_to_benchmark": 0.0,
        "turnover_to_open_interest": 0.0,
    }
}

_NEW = (
    Challenger(
        name="reversal_low_risk",
        hypothesis=(
            "Short-horizon reversal among low-risk contracts. The composite is half the "
            "technical component (v2) restricted to RSI (14 h), Bollinger %B (20 h, 2 sd) and "
            "volume surge (mean volume of the last 24 h over the last 168 h), equally weighted, "
            "each lower-is-better, and half the default's risk component (its five metrics as "
            "G weighs them); trend, momentum (3, 7, 30 days), MACD and signed efficiency are "
            "switched off. Bets that, among low-risk contracts, the least over-extended over "
            "the last 14 to 20 hours, on fading attention, outperform over the next day: the "
            "pattern of the 487-perpetual year in the issue's figures (24 h IC t +6.0 for RSI, "
            "+5.3 for %B, +3.2 for volume surge, while trend and momentum ranked backwards)."
        ),
        registered_at=NEW_REGISTERED_AT,
        overrides={
            "scoring": {
                "weights": {TECHNICAL: 0.5, FUNDAMENTAL: 0.0, MARKET_STRUCTURE: 0.0, RISK: 0.5},
                "parameters": {TECHNICAL: REVERSAL_TECHNICAL},
            }
        },
        source=NEW_SOURCE,
    ),
    Challenger(
        name="low_vol_low_drawdown",
        hypothesis=(
            "Low volatility and low drawdown alone. Risk only, the risk component restricted "
            "to annualised volatility (168 h) and maximum drawdown (over the loaded candles), "
            "equally weighted, each lower-is-better; beta to BTC, correlation to BTC and "
            "turnover over open interest are switched off. Bets that G's skill comes from the "
            "low-volatility anomaly and fewer collapses, and that correlation to BTC and |beta|, "
            "which ranked backwards on the 487-perpetual year in the issue's figures (24 h IC "
            "t -10.2 and -2.9, while volatility and drawdown paid at t +9.4 and +7.2), dilute it."
        ),
        registered_at=NEW_REGISTERED_AT,
        overrides={
            "scoring": {
                "weights": {TECHNICAL: 0.0, FUNDAMENTAL: 0.0, MARKET_STRUCTURE: 0.0, RISK: 1.0},
                "parameters": {RISK: CALM_RISK},
            }
        },
        source=NEW_SOURCE,
    ),
)

CHALLENGERS: tuple[Challenger, ...] = (
    *(_family(c) for c in FAMILY if c.name != DEFAULT),
    *_NEW,
)
_BY_NAME = {c.name: c for c in CHALLENGERS}


def challenger(name: str) -> Challenger:
    """The registered challenger `name` (KeyError if none is)."""
    return _BY_NAME[name]
