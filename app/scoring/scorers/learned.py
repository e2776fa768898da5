"""The learned scorer, a plug-in standing as its own component `learned`: gradient-boosted trees
(scikit-learn's HistGradientBoostingRegressor: well kept, deterministic with a fixed seed, NaN
handled natively) over the built-in metrics' cross-sectional percentiles, predicting each
symbol's percentile of the next period's return.

A model is trained on decisions inside one window and knows the end of the data it saw
(`trained_to_ms`: the end of its last target period); asked to score a time before that, it
raises. Models live in `MODELS` by id, walk-forward series of them in `SERIES`. A configuration
names one through the `learned` component's `plugins.gbt_return_rank` parameters: `{"model":
id}` scores with that model (raising before its data ends), `{"series": id}` with the newest
model of the series whose data ended at or before t (a walk-forward: each prediction out of its
model's sample). Without a usable model the metric is unmeasured, never guessed.

scikit-learn is the project's optional `learned` extra, not a dependency of the service:
`available` is the one check of whether this installation has it, and `NOT_INSTALLED` the one
sentence of what to install. Without it no model can be trained (`train` raises
`LearnedNotInstalledError`), so the component scores nothing: every request that would train or
weigh it is refused, and a stored configuration that weighs it is alerted on.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.normalise import HIGHER_IS_BETTER
from app.scoring.scorers.parameters import Declaration, Parameter
from app.scoring.scorers.plugin import PLUGIN_PARAMETERS, ScorerPlugin
from app.stats.rank import percentile_rank

if TYPE_CHECKING:
    from sklearn.ensemble import HistGradientBoostingRegressor

COMPONENT = "learned"
METRIC = "gbt_return_rank"
MODEL = "model"
SERIES_KEY = "series"
SEED = 0
EXTRA = "learned"  # the project's optional dependencies this scorer needs (pyproject.toml)
NOT_INSTALLED = (
    "the learned scorer needs scikit-learn, which this installation does not have: install the "
    f"`{EXTRA}` extra (pip install 'mysymbols[{EXTRA}]', or pip install --require-hashes -r "
    "requirements.lock -r requirements-learned.lock; the container image: build it with "
    f"--build-arg EXTRAS={EXTRA})"
)


class LearnedNotInstalledError(RuntimeError):
    """The learned scorer was asked to train without scikit-learn (`NOT_INSTALLED`)."""

    def __init__(self, message: str = NOT_INSTALLED) -> None:  # its args: as unpickled
        super().__init__(message)


def available() -> bool:
    """Whether scikit-learn, which the learned scorer trains and predicts with, can be imported
    (found, not imported: `sklearn.ensemble` brings SciPy, some 170 MB of resident memory)."""
    try:
        return importlib.util.find_spec("sklearn") is not None
    except (ImportError, ValueError):  # a finder refusing it; a module left without its spec
        return False


def require() -> None:
    """`LearnedNotInstalledError` unless the learned scorer can train and score here."""
    if not available():
        raise LearnedNotInstalledError


def chosen(weights: Mapping[str, Any], parameters: Mapping[str, Any]) -> bool:
    """Whether a scoring configuration (or a change of one: the components' `weights`, 0 for an
    inactive one, and the `parameters` it sets) weighs the learned component or configures it."""
    weight = weights.get(COMPONENT)
    weighed = isinstance(weight, int | float | Decimal) and weight > 0
    return weighed or COMPONENT in parameters


def chosen_by_overrides(overrides: Mapping[str, Any] | None) -> bool:
    """Whether a replay's override document (`{"scoring": {"weights": …, "parameters": …}}`)
    weighs or configures the learned component."""
    scoring = (overrides or {}).get("scoring")
    if not isinstance(scoring, Mapping):
        return False
    weights, parameters = scoring.get("weights"), scoring.get("parameters")
    return chosen(
        weights if isinstance(weights, Mapping) else {},
        parameters if isinstance(parameters, Mapping) else {},
    )


class LearnedLookAheadError(RuntimeError):
    """A model was asked to score a time inside (or before) the data it was trained on."""


@dataclass(frozen=True)
class Sample:
    """One decision's training rows: the built-in metrics at t and the returns to the next one."""

    metrics: Mapping[str, np.ndarray]  # comparable values, NaN outside the gate
    forward: np.ndarray  # the return to the next decision, per symbol


@dataclass(frozen=True)
class LearnedModel:
    model_id: str
    features: tuple[str, ...]
    trained_from_ms: int  # the first decision it learned from
    trained_to_ms: int  # the end of the last return it learned (no use before this)
    rows: int
    estimator: HistGradientBoostingRegressor

    def predict(self, metrics: Mapping[str, np.ndarray], as_of_ms: int | None) -> np.ndarray:
        if as_of_ms is None or as_of_ms < self.trained_to_ms:
            raise LearnedLookAheadError(
                f"model {self.model_id} learned data up to {self.trained_to_ms}; "
                f"it cannot score {as_of_ms}"
            )
        if not set(self.features) <= set(metrics):
            # Learned from other metrics (e.g. the other technical version, whose "rsi" means
            # something else): it would read them wrongly. Unmeasured, never guessed.
            return np.full(len(next(iter(metrics.values()), ())), np.nan)
        features = feature_matrix(metrics, self.features)
        known = ~np.isnan(features).all(axis=1)
        out = np.full(features.shape[0], np.nan)
        if known.any():
            out[known] = self.estimator.predict(features[known])
        return out

    def describe(self) -> dict[str, Any]:
        return {
            "model": self.model_id,
            "trained_from_ms": self.trained_from_ms,
            "trained_to_ms": self.trained_to_ms,
            "rows": self.rows,
            "features": list(self.features),
        }


MODELS: dict[str, LearnedModel] = {}
SERIES: dict[str, list[LearnedModel]] = {}  # oldest first


def add_to_series(series: str, model: LearnedModel) -> None:
    models = SERIES.setdefault(series, [])
    if models and models[-1].trained_to_ms > model.trained_to_ms:
        raise ValueError("a series grows forward in time")
    models.append(model)


def newest_usable(series: str, as_of_ms: int | None) -> LearnedModel | None:
    """The newest model of `series` whose data ended at or before `as_of_ms`."""
    usable = [
        m for m in SERIES.get(series, []) if as_of_ms is not None and m.trained_to_ms <= as_of_ms
    ]
    return usable[-1] if usable else None


def feature_matrix(metrics: Mapping[str, np.ndarray], features: Sequence[str]) -> np.ndarray:
    """`(n, f)`: each feature's percentile among the symbols that have it (NaN: missing)."""
    n = len(next(iter(metrics.values()))) if metrics else 0
    columns = [
        percentile_rank(metrics[f], HIGHER_IS_BETTER) if f in metrics else np.full(n, np.nan)
        for f in features
    ]
    return np.column_stack(columns) if columns else np.zeros((n, 0))


def train(samples: Sequence[Sample], *, from_ms: int, to_ms: int) -> LearnedModel:
    """A model of `samples` (decisions from `from_ms`; the last return ends at `to_ms`),
    registered in `MODELS` under an id derived from what it learned."""
    require()  # a sentence saying what to install, not a ModuleNotFoundError
    named = sorted({name for s in samples for name in s.metrics})
    xs, ys = [], []
    for sample in samples:
        x = feature_matrix(sample.metrics, named)
        usable = ~np.isnan(x).all(axis=1) & np.isfinite(sample.forward)
        if usable.sum() < 3:
            continue
        xs.append(x[usable])
        ys.append(percentile_rank(sample.forward[usable], HIGHER_IS_BETTER))
    if not xs:
        raise ValueError("no decision in the window has enough measured symbols to learn from")
    x_all, y_all = np.vstack(xs), np.concatenate(ys)
    # A metric the window never measured (or measured as one value) teaches nothing.
    varied = [
        k for k in range(len(named)) if np.unique(x_all[:, k][~np.isnan(x_all[:, k])]).size > 1
    ]
    features = tuple(named[k] for k in varied)
    if not features:
        raise ValueError("no metric varies across the window: nothing to learn from")
    x_all = x_all[:, varied]
    from sklearn.ensemble import HistGradientBoostingRegressor  # only where a model is trained

    estimator = HistGradientBoostingRegressor(
        max_iter=100,
        learning_rate=0.05,
        max_depth=3,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=SEED,
    )
    estimator.fit(x_all, y_all)
    digest = hashlib.sha256(
        np.ascontiguousarray(x_all).tobytes() + np.ascontiguousarray(y_all).tobytes()
    ).hexdigest()[:12]
    model = LearnedModel(
        f"gbt-{from_ms}-{to_ms}-{digest}", features, from_ms, to_ms, y_all.size, estimator
    )
    MODELS[model.model_id] = model
    return model


def parameters(*, model: str | None = None, series: str | None = None) -> dict[str, Any]:
    """The `learned` component's parameters that score with a model or a series."""
    chosen = {MODEL: model} if model is not None else {SERIES_KEY: series}
    return {PLUGIN_PARAMETERS: {METRIC: chosen}}


def _score(
    inputs: MarketInputs, metrics: Mapping[str, np.ndarray], params: Mapping[str, Any]
) -> np.ndarray:
    if MODEL in params:
        model = MODELS.get(str(params[MODEL]))
    else:
        model = newest_usable(str(params.get(SERIES_KEY)), inputs.as_of_ms)
    if model is None:
        return np.full(inputs.size, np.nan)
    return model.predict(metrics, inputs.as_of_ms)


MODEL_ID = r"[A-Za-z0-9_.:-]+"
PARAMETERS = Declaration(
    (
        Parameter(
            MODEL,
            "string",
            None,
            "The id of the model it scores with.",
            pattern=MODEL_ID,
            max_length=100,
        ),
        Parameter(
            SERIES_KEY,
            "string",
            None,
            "The walk-forward series whose newest usable model it scores with (without `model`).",
            pattern=MODEL_ID,
            max_length=100,
        ),
    )
)

# Registered by `app.scoring.scorers.component_registry`, where the registry is built.
PLUGIN = ScorerPlugin(
    METRIC, COMPONENT, HIGHER_IS_BETTER, warm_up=0, score=_score, parameters=PARAMETERS
)
