"""Scores a universe: gate, per-component metrics, percentile normalisation, weighted composite.

`compute` produces the numbers as arrays over the whole universe (symbols the gate excluded are
NaN and take no part in any percentile); `explain` turns them into per-symbol records with
breakdowns. Both are deterministic: the same inputs and configuration give the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from app.scoring.scorers.component_registry import components, plugin_metrics, registered
from app.scoring.scorers.components import CALCULATORS
from app.scoring.scorers.gate import GateParams, gate
from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.metric import Metric
from app.scoring.scorers.normalise import percentile_rank_each
from app.scoring.scorers.parameters import METRIC_WEIGHTS

COMPOSITE = "composite"
"""The `component` of a symbol's composite row in `symbol_score` (beside one row a component)."""

__all__ = ["ScoringConfig", "compute", "explain", "reweigh", "score_universe"]
DECIMALS = 6
UNMEASURED = "UNMEASURED"  # passed the gate, yet no metric of any component could be measured


@dataclass(frozen=True)
class ScoringConfig:
    weights: Mapping[str, float]  # component -> composite weight (sums to 1 over active ones)
    parameters: Mapping[str, Mapping[str, Any]]  # component -> its parameters
    gate: GateParams = field(default_factory=GateParams)
    every_component: bool = False
    """Also score the active components weighed 0 (live: the signal agents vote on them and the
    rankings show them); the composite is the same either way."""


@dataclass(frozen=True, slots=True)
class MetricScore:
    name: str
    raw: float | None  # None: not measured, or infinite (then `unbounded` is set)
    normalised: float | None  # 0-100 percentile; None: not measured
    weight: float
    contribution: float  # points of the component score this metric supplied
    unbounded: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "raw": self.raw,
            "normalised": self.normalised,
            "weight": self.weight,
            "contribution": self.contribution,
            "unbounded": self.unbounded,
        }


@dataclass(frozen=True)
class ComponentScore:
    score: float | None
    metrics: list[MetricScore]


@dataclass(frozen=True)
class SymbolScore:
    symbol: str
    composite: float
    confidence: float
    components: dict[str, ComponentScore]


@dataclass(frozen=True)
class ScoringOutcome:
    scores: list[SymbolScore]  # best composite first
    excluded: dict[str, str]  # symbol -> reason code


@dataclass(frozen=True)
class ComponentArrays:
    score: np.ndarray  # (n,) NaN where excluded or nothing measured
    metrics: list[Metric]
    normalised: list[np.ndarray]  # per metric, (n,)
    contributions: list[np.ndarray]  # per metric, (n,): normalised x weight / measured weight


@dataclass(frozen=True)
class ScoreTable:
    symbols: list[str]
    reasons: list[str | None]  # gate verdict per symbol; None = scored
    components: dict[str, ComponentArrays]
    composite: np.ndarray  # (n,)
    confidence: np.ndarray  # (n,)

    @property
    def passed(self) -> np.ndarray:
        return np.array([r is None for r in self.reasons], dtype=bool)


def as_stored(value: float) -> float:
    """A score as a run keeps it (and as every decision reads it): within 0-100, 4 decimals."""
    return round(min(max(float(value), 0.0), 100.0), 4)  # float(): numpy scalars compare slowly


def score_universe(inputs: MarketInputs, config: ScoringConfig) -> ScoringOutcome:
    """Gate the universe, score every symbol that passes, explain each score."""
    return explain(compute(inputs, config))


def compute(inputs: MarketInputs, config: ScoringConfig) -> ScoreTable:
    """The scores as arrays over the universe."""
    reasons = gate(inputs, config.gate)
    passed = np.array([reason is None for reason in reasons], dtype=bool)
    if inputs.benchmark in inputs.symbols and not passed[inputs.symbols.index(inputs.benchmark)]:
        inputs = replace(inputs, benchmark="")  # a distrusted benchmark measures nothing
    components = score_components(inputs, config, passed) if passed.any() else {}
    return _table(list(inputs.symbols), reasons, components, config.weights)


def reweigh(table: ScoreTable, config: ScoringConfig) -> ScoreTable:
    """`table` under `config`'s component and metric weights: the same numbers `compute` gives
    with `config` when `table` was computed with the same parameters and gate and every
    component that `config` weighs (normalised metrics do not depend on weights)."""
    components = {}
    for name, arrays in table.components.items():
        if config.weights.get(name, 0.0) <= 0:
            continue
        metrics = weighted_metrics(arrays.metrics, config.parameters.get(name, {}))
        components[name] = component_arrays(metrics, arrays.normalised)
    missing = sorted(n for n, w in config.weights.items() if w > 0 and n not in components)
    if missing and table.passed.any():
        raise ValueError(f"the table has no {', '.join(missing)} to weigh")
    reasons = [None if r == UNMEASURED else r for r in table.reasons]
    return _table(table.symbols, reasons, components, config.weights)


def _table(
    symbols: list[str],
    reasons: list[str | None],
    components: dict[str, ComponentArrays],
    weights: Mapping[str, float],
) -> ScoreTable:
    if components:
        composite, confidence = combine(components, weights)
    else:
        composite = confidence = np.full(len(symbols), np.nan)
    # A symbol that passed the gate but on which no component could measure anything.
    reasons = [
        UNMEASURED if r is None and np.isnan(c) else r
        for r, c in zip(reasons, composite.tolist(), strict=True)
    ]
    return ScoreTable(symbols, reasons, components, composite, confidence)


def weighted_metrics(metrics: list[Metric], params: Mapping[str, Any]) -> list[Metric]:
    """`metrics` with the weights a component's `metric_weights` parameter gives them (a
    metric it does not name keeps its own; 0 switches a metric off)."""
    chosen = params.get(METRIC_WEIGHTS) or {}
    if not chosen:
        return metrics
    return [
        m if m.name not in chosen else replace(m, weight=float(chosen[m.name])) for m in metrics
    ]


def score_components(
    inputs: MarketInputs, config: ScoringConfig, passed: np.ndarray | None = None
) -> dict[str, ComponentArrays]:
    """Every weighed component's metrics (built-in, then plug-ins'), their percentile ranks
    among `passed` and the component score (0-100)."""
    passed = np.ones(inputs.size, dtype=bool) if passed is None else passed
    active = [
        name
        for name in components()
        if config.weights.get(name, 0.0) > 0 or (config.every_component and name in config.weights)
    ]
    # Plug-ins read the built-in metrics: with one weighed, every built-in is computed.
    with_plugins = any(p.component in active for p in registered())
    metrics = {
        name: CALCULATORS[name](inputs, config.parameters.get(name, {}))
        for name in CALCULATORS
        if with_plugins or name in active
    }
    comparable = {
        m.name: np.where(passed, m.comparable, np.nan) for group in metrics.values() for m in group
    }
    out = {}
    for name in active:
        params = config.parameters.get(name, {})
        plugins = plugin_metrics(name, inputs, comparable, params)
        chosen = weighted_metrics([*metrics.get(name, []), *plugins], params)
        normalised = percentile_rank_each(
            [
                comparable[m.name]
                if m.name in comparable
                else np.where(passed, m.comparable, np.nan)
                for m in chosen
            ],
            [m.direction for m in chosen],
        )
        out[name] = component_arrays(chosen, normalised)
    return out


def component_arrays(metrics: list[Metric], normalised: list[np.ndarray]) -> ComponentArrays:
    """A component's score: the weighted mean of its measured metrics' percentiles."""
    values = np.vstack(normalised)
    weights = np.array([m.weight for m in metrics])[:, None] * ~np.isnan(values)
    measured = weights.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(weights > 0, values * weights / measured, 0.0)
    score = np.where(measured > 0, shares.sum(axis=0), np.nan)
    return ComponentArrays(score, metrics, normalised, list(shares))


def combine(
    components: Mapping[str, ComponentArrays], weights: Mapping[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Composite (weights re-normalised over the components a symbol has) and confidence.

    Confidence is the share of the configured metric weight that was actually measured.
    """
    first = next(iter(components.values()))
    total = np.zeros(first.score.shape)
    used = np.zeros(first.score.shape)
    coverage = np.zeros(first.score.shape)
    weight_sum = sum(weights[name] for name in components)
    for name, arrays in components.items():
        w = weights[name]
        has = ~np.isnan(arrays.score)
        total += np.where(has, arrays.score * w, 0.0)
        used += np.where(has, w, 0.0)
        metric_weight = sum(m.weight for m in arrays.metrics)
        measured = sum(
            np.where(np.isnan(n), 0.0, m.weight)
            for m, n in zip(arrays.metrics, arrays.normalised, strict=True)
        )
        if metric_weight > 0:  # else every metric is switched off: nothing was measured
            coverage += w * measured / metric_weight
    with np.errstate(invalid="ignore", divide="ignore"):
        composite = np.where(used > 0, total / used, np.nan)
    return composite, np.where(used > 0, coverage / weight_sum, np.nan)


def explain(table: ScoreTable) -> ScoringOutcome:
    """Per-symbol records, best composite first; numpy stays in here."""
    excluded = {s: r for s, r in zip(table.symbols, table.reasons, strict=True) if r is not None}
    rows = np.flatnonzero(table.passed)
    parts = {name: _ComponentLists.of(arrays, rows) for name, arrays in table.components.items()}
    composite = np.round(table.composite[rows], DECIMALS).tolist()
    confidence = np.round(table.confidence[rows], DECIMALS).tolist()
    scores = [
        SymbolScore(
            symbol=table.symbols[row],
            composite=composite[k],
            confidence=confidence[k],
            components={name: lists.component(k) for name, lists in parts.items()},
        )
        for k, row in enumerate(rows.tolist())
    ]
    scores.sort(key=lambda s: (-s.composite, s.symbol))
    return ScoringOutcome(scores, excluded)


@dataclass(frozen=True)
class _ComponentLists:
    """One component's arrays for the scored rows, as rounded Python lists."""

    names: list[str]
    weights: list[float]
    raw: list[list[float]]
    normalised: list[list[float]]
    contributions: list[list[float]]
    score: list[float]

    @classmethod
    def of(cls, arrays: ComponentArrays, rows: np.ndarray) -> _ComponentLists:
        return cls(
            names=[m.name for m in arrays.metrics],
            weights=[float(m.weight) for m in arrays.metrics],
            raw=[m.raw[rows].astype(float).tolist() for m in arrays.metrics],
            normalised=[np.round(n[rows], DECIMALS).tolist() for n in arrays.normalised],
            contributions=[np.round(c[rows], DECIMALS).tolist() for c in arrays.contributions],
            score=np.round(arrays.score[rows], DECIMALS).tolist(),
        )

    def component(self, k: int) -> ComponentScore:
        metrics = []
        for m, name in enumerate(self.names):
            raw, normalised = self.raw[m][k], self.normalised[m][k]
            metrics.append(
                MetricScore(
                    name,
                    raw if math.isfinite(raw) else None,
                    None if math.isnan(normalised) else normalised,
                    self.weights[m],
                    self.contributions[m][k],
                    math.isinf(raw),
                )
            )
        score = self.score[k]
        return ComponentScore(None if math.isnan(score) else score, metrics)
