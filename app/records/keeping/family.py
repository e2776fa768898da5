"""The pre-registered candidate family for the seeded default (docs/evidence.md, "Selection skill").

Each candidate is a replay override of the seeded scoring configuration: component weights
(technical / fundamental / market structure / risk) and the technical component's version (1:
the seed's metrics, 2: the rebuilt ones). Policy settings are the seeded ones for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.scoring.scorers.components import FUNDAMENTAL, MARKET_STRUCTURE, RISK, TECHNICAL

WEIGHED = (TECHNICAL, FUNDAMENTAL, MARKET_STRUCTURE, RISK)
"""The components the family weighs, in the order of a candidate's `weights`: fixed when it was
registered (a component added since weighs nothing in any candidate)."""
DEFAULT = "G"  # in force since migration 0024; candidates are compared with it
JUDGED_EVERY_H = 24
FEE_BPS = 6.0
TRAINING_DAYS = {  # the first training window of calibrate's folds: not judged
    "roshan7869-algotrading": 120,
    "nmtrong062000-crypto_signal_scanner": 120,
    "alpergulsen-freqtrade": 9,
}


@dataclass(frozen=True)
class Candidate:
    name: str
    label: str
    weights: tuple[float, float, float, float]  # technical, fundamental, market structure, risk
    technical_version: int
    seen: bool = False  # figures of it were known before the family was registered

    def component_weights(self) -> dict[str, float]:
        return dict(zip(WEIGHED, self.weights, strict=True))

    def overrides(self) -> dict[str, Any]:
        """The replay's `--config` document for this candidate."""
        return {
            "scoring": {
                "weights": self.component_weights(),
                "parameters": {"technical": {"version": self.technical_version}},
            }
        }


THIRD = 1.0 / 3.0
FAMILY = (
    Candidate("A", "the seeded default (the incumbent)", (0.30, 0.25, 0.25, 0.20), 1, seen=True),
    Candidate("B", "seeded weights, rebuilt technical", (0.30, 0.25, 0.25, 0.20), 2),
    Candidate("C", "equal", (0.25, 0.25, 0.25, 0.25), 2),
    Candidate("D", "halfway to equal", (0.275, 0.25, 0.25, 0.225), 2),
    Candidate("E", "without technical", (0.0, THIRD, THIRD, THIRD), 2),
    Candidate("F", "risk-led", (0.15, 0.20, 0.15, 0.50), 2),
    Candidate("G", "risk only", (0.0, 0.0, 0.0, 1.0), 2),
    Candidate(
        "H",
        "half risk, beside fundamental and market structure",
        (0.0, 0.30, 0.20, 0.50),
        2,
        seen=True,
    ),
    Candidate("I", "risk and fundamental", (0.0, 0.50, 0.0, 0.50), 2),
    Candidate("J", "rebuilt technical alone", (1.0, 0.0, 0.0, 0.0), 2),
)

# Named configurations an admin can put in force in one call (`PUT /scoring/algorithms/presets/
# {name}`): the seed's (candidate A) and the default in force since migration 0024 (candidate G).
PRESETS = {"seed": FAMILY[0], "risk_only": FAMILY[6]}
DEFAULT_PRESET = "risk_only"


def preset_of(weights: dict[str, float], technical_version: int) -> str | None:
    """The preset whose component weights and technical version these are (None: no preset)."""
    for name, candidate in PRESETS.items():
        mine = candidate.component_weights()
        same_weights = set(weights) == set(mine) and all(
            abs(weights[k] - v) < 5e-5 for k, v in mine.items()
        )
        if same_weights and technical_version == candidate.technical_version:
            return name
    return None
