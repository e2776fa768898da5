"""Scoring in another process: what the scorer reads from this process's registries (the
registered plug-ins, the learned models a configuration names) travels with the call, and the
other process scores with exactly that.

A plug-in's scoring function must then be importable (a module-level function), as any function
sent to another process must be.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from app.scoring.scorers import component_registry, learned
from app.scoring.scorers.learned import LearnedModel


@dataclass(frozen=True)
class ScorerState:
    plugins: tuple[component_registry.ScorerPlugin, ...]
    models: dict[str, LearnedModel]
    series: dict[str, list[LearnedModel]]


def current(*parameters: Mapping[str, Mapping[str, Any]]) -> ScorerState:
    """This process's plug-ins, and the learned models and series the scoring `parameters`
    (one configuration's, or several) name."""
    models, series = set(), set()
    for one in parameters:
        chosen = (
            one.get(learned.COMPONENT, {})
            .get(component_registry.PLUGIN_PARAMETERS, {})
            .get(learned.METRIC, {})
        )
        models.add(chosen.get(learned.MODEL))
        series.add(chosen.get(learned.SERIES_KEY))
    return ScorerState(
        plugins=tuple(component_registry.registered()),
        models={k: m for k, m in learned.MODELS.items() if k in models},
        series={k: s for k, s in learned.SERIES.items() if k in series},
    )


@contextmanager
def adopted(state: ScorerState) -> Iterator[None]:
    """Score with `state` instead of this process's own registries, for the duration."""
    saved = component_registry.registered(), dict(learned.MODELS), dict(learned.SERIES)
    for plugin in saved[0]:
        component_registry.unregister(plugin.name)
    for plugin in state.plugins:
        component_registry.register(plugin)
    learned.MODELS.clear()
    learned.MODELS.update(state.models)
    learned.SERIES.clear()
    learned.SERIES.update(state.series)
    try:
        yield
    finally:
        for plugin in state.plugins:
            component_registry.unregister(plugin.name)
        for plugin in saved[0]:
            component_registry.register(plugin)
        learned.MODELS.clear()
        learned.MODELS.update(saved[1])
        learned.SERIES.clear()
        learned.SERIES.update(saved[2])
