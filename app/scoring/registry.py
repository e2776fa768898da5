"""Scoring plug-ins: scorers beyond the built-in metrics, registered once and then scored,
weighed, stored in breakdowns, replayed and calibrated like the built-ins.

A plug-in is a pure function from the point-in-time inputs (and the built-in metrics already
computed from them, NaN outside the gate) to one value per symbol, with a declared direction and
warm-up (a symbol with fewer candles is unmeasured). It joins a built-in component as one more
metric, or stands as a component of its own (then weighted by its own `scoring_algorithm` row or
the `weights` of a replay's configuration). Its parameters are the `plugins.<name>` entry of its
component's parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from app.scoring import learned
from app.scoring.components import COMPONENTS
from app.scoring.inputs import MarketInputs
from app.scoring.metric import Metric
from app.scoring.plugin import PLUGIN_PARAMETERS, ScorerFunction, ScorerPlugin

__all__ = [
    "PLUGIN_PARAMETERS",
    "PluginError",
    "ScorerFunction",
    "ScorerPlugin",
    "components",
    "plugin_metrics",
    "register",
    "registered",
    "unregister",
]


class PluginError(ValueError):
    """A plug-in is malformed, clashes with another, or returned the wrong shape."""


_REGISTRY: dict[str, ScorerPlugin] = {}


def register(plugin: ScorerPlugin) -> ScorerPlugin:
    if plugin.name in _REGISTRY:
        raise PluginError(f"a plug-in named {plugin.name!r} is registered already")
    if plugin.direction not in (1, -1) or plugin.warm_up < 0 or plugin.weight < 0:
        raise PluginError(f"plug-in {plugin.name!r}: direction ±1, warm-up and weight >= 0")
    _REGISTRY[plugin.name] = plugin
    return plugin


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> list[ScorerPlugin]:
    return list(_REGISTRY.values())


def components() -> tuple[str, ...]:
    """The built-in components, then the plug-ins' own, in registration order."""
    own = (p.component for p in _REGISTRY.values() if p.component not in COMPONENTS)
    return (*COMPONENTS, *dict.fromkeys(own))


def plugin_metrics(
    component: str,
    inputs: MarketInputs,
    builtin: Mapping[str, np.ndarray],
    params: Mapping[str, Any],
) -> list[Metric]:
    """The metrics of the plug-ins that belong to `component`."""
    out = []
    own = params.get(PLUGIN_PARAMETERS, {})
    for plugin in _REGISTRY.values():
        if plugin.component != component:
            continue
        candles = inputs.present_count  # closes present per row (counted once, when needed)
        values = np.asarray(plugin.score(inputs, builtin, own.get(plugin.name, {})), dtype=float)
        if values.shape != (inputs.size,):
            raise PluginError(
                f"plug-in {plugin.name!r} returned shape {values.shape}, not ({inputs.size},)"
            )
        values = np.where(candles >= plugin.warm_up, values, np.nan)
        out.append(Metric(plugin.name, values, plugin.direction, plugin.weight))
    return out


# The shipped plug-in, registered with the registry itself: whoever reads the registry has it.
register(learned.PLUGIN)
