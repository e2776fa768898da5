"""What a scoring plug-in is: a pure scorer with its component, direction, warm-up and weight
(the registry of them is `app.scoring.scorers.component_registry`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.parameters import Declaration

PLUGIN_PARAMETERS = "plugins"

# inputs, the built-in metrics by name (comparable values, NaN outside the gate), parameters
ScorerFunction = Callable[[MarketInputs, Mapping[str, np.ndarray], Mapping[str, Any]], np.ndarray]


@dataclass(frozen=True)
class ScorerPlugin:
    name: str  # the metric's name in breakdowns
    component: str  # a built-in component it joins, or a component of its own
    direction: int  # app.scoring.scorers.normalise.HIGHER_IS_BETTER or LOWER_IS_BETTER
    warm_up: int  # candles a symbol needs before it is measured
    score: ScorerFunction
    weight: float = 1.0  # within its component, like a built-in metric's
    parameters: Declaration | None = None  # its `plugins.<name>` entry; None: not checked
