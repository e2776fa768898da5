"""Scores a universe: gate, per-component metrics, percentile normalisation, weighted composite.

`score_universe` is deterministic: the same inputs and configuration give the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.scoring.gate import GateParams, gate
from app.scoring.inputs import MarketInputs
from app.scoring.metrics import CALCULATORS, COMPONENTS, Metric
from app.scoring.normalise import percentile_rank


@dataclass(frozen=True)
class ScoringConfig:
    weights: Mapping[str, float]  # component -> composite weight (sums to 1 over active ones)
    parameters: Mapping[str, Mapping[str, Any]]  # component -> its parameters
    gate: GateParams = field(default_factory=GateParams)


@dataclass(frozen=True)
class MetricScore:
    name: str
    raw: float | None  # None: not measured; inf shown as None with `unbounded` set
    normalised: float | None
    weight: float
    contribution: float
    unbounded: bool = False


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
    score: np.ndarray  # (m,)
    metrics: list[Metric]
    normalised: list[np.ndarray]


def score_universe(inputs: MarketInputs, config: ScoringConfig) -> ScoringOutcome:
    """Gate the universe, then score every symbol that passes."""
    reasons = gate(inputs, config.gate)
    passed = np.array([reason is None for reason in reasons], dtype=bool)
    excluded = {s: r for s, r in zip(inputs.symbols, reasons, strict=True) if r is not None}
    if not passed.any():
        return ScoringOutcome([], excluded)
    scored = inputs.subset(passed)
    components = score_components(scored, config)
    composite, confidence = combine(components, config.weights)
    lists = {name: _ComponentLists.of(arrays) for name, arrays in components.items()}
    composite_list, confidence_list = composite.tolist(), confidence.tolist()
    results = [
        _explain(i, symbol, lists, composite_list, confidence_list)
        for i, symbol in enumerate(scored.symbols)
    ]
    results.sort(key=lambda s: (-s.composite, s.symbol))
    return ScoringOutcome(results, excluded)


def score_components(inputs: MarketInputs, config: ScoringConfig) -> dict[str, ComponentArrays]:
    """Every component's metrics, their percentile ranks and the component score (0-100)."""
    out = {}
    for name in COMPONENTS:
        if config.weights.get(name, 0.0) <= 0:
            continue
        metrics = CALCULATORS[name](inputs, config.parameters.get(name, {}))
        normalised = [percentile_rank(m.comparable, m.direction) for m in metrics]
        out[name] = ComponentArrays(_weighted_mean(normalised, metrics), metrics, normalised)
    return out


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
        coverage += w * measured / metric_weight
    with np.errstate(invalid="ignore", divide="ignore"):
        composite = np.where(used > 0, total / used, 0.0)
    return composite, coverage / weight_sum


def _weighted_mean(normalised: list[np.ndarray], metrics: list[Metric]) -> np.ndarray:
    values = np.vstack(normalised)
    weights = np.array([m.weight for m in metrics])[:, None] * ~np.isnan(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            weights.sum(axis=0) > 0,
            np.nansum(values * weights, axis=0) / weights.sum(axis=0),
            np.nan,
        )


def _explain(
    i: int,
    symbol: str,
    components: Mapping[str, _ComponentLists],
    composite: list[float],
    confidence: list[float],
) -> SymbolScore:
    parts = {}
    for name, lists in components.items():
        measured = [
            weight for weight, normalised in zip(lists.weights, lists.normalised, strict=True)
            if not math.isnan(normalised[i])
        ]  # fmt: skip
        weight_sum = sum(measured)
        metrics = []
        for k, metric_name in enumerate(lists.names):
            raw, value, weight = lists.raw[k][i], lists.normalised[k][i], lists.weights[k]
            known = not math.isnan(value)
            metrics.append(
                MetricScore(
                    name=metric_name,
                    raw=raw if math.isfinite(raw) else None,
                    normalised=round(value, 6) if known else None,
                    weight=weight,
                    contribution=round(value * weight / weight_sum, 6) if known else 0.0,
                    unbounded=math.isinf(raw),
                )
            )
        score = lists.score[i]
        parts[name] = ComponentScore(None if math.isnan(score) else round(score, 6), metrics)
    return SymbolScore(
        symbol=symbol,
        composite=round(composite[i], 6),
        confidence=round(confidence[i], 6),
        components=parts,
    )


@dataclass(frozen=True)
class _ComponentLists:
    """A component's arrays as Python lists: numpy stays inside the scorer."""

    names: list[str]
    weights: list[float]
    raw: list[list[float]]
    normalised: list[list[float]]
    score: list[float]

    @classmethod
    def of(cls, arrays: ComponentArrays) -> _ComponentLists:
        return cls(
            names=[m.name for m in arrays.metrics],
            weights=[float(m.weight) for m in arrays.metrics],
            raw=[m.raw.astype(float).tolist() for m in arrays.metrics],
            normalised=[n.tolist() for n in arrays.normalised],
            score=arrays.score.tolist(),
        )
