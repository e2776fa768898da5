"""A toy scoring plug-in for tests: the last close over the 24-hour high (near 1 = at the high)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

from app.scoring.scorers.component_registry import ScorerPlugin, register, unregister
from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.normalise import HIGHER_IS_BETTER

TOY = "close_to_24h_high"


def close_to_high(
    inputs: MarketInputs, metrics: Mapping[str, np.ndarray], params: Mapping[str, Any]
) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        high = np.nanmax(
            np.where(np.isnan(inputs.high[:, -24:]), -np.inf, inputs.high[:, -24:]), axis=1
        )
        ratio = inputs.close[:, -1] / high
    return float(params.get("scale", 1.0)) * np.where(np.isfinite(ratio), ratio, np.nan)


@contextmanager
def toy_plugin(
    component: str = "technical", warm_up: int = 24, name: str = TOY
) -> Iterator[ScorerPlugin]:
    plugin = register(ScorerPlugin(name, component, HIGHER_IS_BETTER, warm_up, close_to_high))
    try:
        yield plugin
    finally:
        unregister(name)
