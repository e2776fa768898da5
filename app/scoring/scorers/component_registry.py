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

from app.scoring.scorers import learned
from app.scoring.scorers.components import COMPONENTS, DECLARATIONS
from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.metric import Metric
from app.scoring.scorers.parameters import Declaration, ParameterProblem, component
from app.scoring.scorers.plugin import PLUGIN_PARAMETERS, ScorerFunction, ScorerPlugin

# The plug-in author's one import: what a plug-in is (`plugin`) beside how it is registered.
__all__ = [
    "PLUGIN_PARAMETERS",
    "ParameterError",
    "PluginError",
    "ScorerFunction",
    "ScorerPlugin",
    "check_parameters",
    "components",
    "declaration",
    "parameter_problems",
    "parameters_schema",
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


_OWN_COMPONENT = component()  # a plug-in's own component: metric weights and its plug-ins


def declaration(name: str) -> Declaration:
    """The parameters component `name` takes (besides its plug-ins' `plugins` entry)."""
    return DECLARATIONS.get(name, _OWN_COMPONENT)


def parameter_problems(name: str, params: Any) -> list[ParameterProblem]:
    """Where component `name`'s `params` leave their declaration and their plug-ins'."""
    found = declaration(name).problems(params, skip=(PLUGIN_PARAMETERS,))
    if not isinstance(params, Mapping) or PLUGIN_PARAMETERS not in params:
        return found
    own = params[PLUGIN_PARAMETERS]
    mine = {p.name: p for p in _REGISTRY.values() if p.component == name}
    if not isinstance(own, Mapping):
        return [*found, ParameterProblem((PLUGIN_PARAMETERS,), "must be an object", own)]
    for key, value in own.items():
        path = (PLUGIN_PARAMETERS, str(key))
        plugin = mine.get(key)
        if plugin is None:
            known = ", ".join(sorted(mine)) or "none"
            found.append(ParameterProblem(path, f"is not a plug-in of {name} ({known})", value))
        elif plugin.parameters is not None:
            found += [
                ParameterProblem((*path, *p.path), p.message, p.value)
                for p in plugin.parameters.problems(value)
            ]
        elif not isinstance(value, Mapping):
            found.append(ParameterProblem(path, "must be an object", value))
    return found


class ParameterError(ValueError):
    """Scoring parameters outside their declaration (the first one named in the message)."""

    def __init__(self, component: str, problems: list[ParameterProblem]) -> None:
        super().__init__(problems[0].named(component))
        self.component = component
        self.problems = problems


def check_parameters(parameters: Mapping[str, Any]) -> None:
    """ParameterError naming the first parameter (by component) outside its declaration."""
    for name, params in parameters.items():
        problems = parameter_problems(name, params)
        if problems:
            raise ParameterError(name, problems)


def parameters_schema(name: str) -> dict[str, Any]:
    """Component `name`'s parameters as a JSON schema, its plug-ins' included."""
    schema = declaration(name).schema()
    plugins = {
        p.name: p.parameters.schema() if p.parameters else {"type": "object"}
        for p in _REGISTRY.values()
        if p.component == name
    }
    if plugins:
        schema["properties"][PLUGIN_PARAMETERS] = {
            "type": "object",
            "properties": plugins,
            "additionalProperties": False,
        }
    return schema


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
