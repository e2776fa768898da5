"""Member weights in percent, summing to 100: a base method's weights, fitted into the caps."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from app.portfolio.maths.covariance import checked_covariance, correlation_from_covariance
from app.stats.distinct import distinct

MIN_POSITION_WEIGHT = "min_position_weight"
MAX_POSITION_WEIGHT = "max_position_weight"
LIQUIDITY_CAP = "liquidity_cap"
METHODS = ("score", "score_squared", "rank", "equal", "inverse_volatility", "risk_parity", "hrp")
SCORE_METHODS = ("score", "score_squared", "rank")  # what reads the composite scores
NEEDS_RETURNS = ("inverse_volatility", "risk_parity", "hrp")  # what reads hourly returns

_FEASIBILITY_TOL = 1e-9  # relative to the total: bounds summing to 100 + 1e-7 still fit 100
_ERC_TOL, _ERC_ACCEPT = 1e-14, 1e-9  # aimed at / required largest |y_i (Cy)_i - 1|


class InfeasibleWeights(ValueError):
    """No weights satisfy the bounds; `cap` names the setting that makes it impossible."""

    def __init__(self, cap: str, message: str) -> None:
        super().__init__(message)
        self.cap = cap

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a worker process, it reaches the service by pickle, which would otherwise
        # call `__init__` with the message alone.
        return InfeasibleWeights, (self.cap, str(self))


def _vector(values: npt.ArrayLike, name: str, *, check: bool = True) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if v.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {v.shape}")
    if check and not (np.isfinite(v).all() and (v >= 0).all()):
        raise ValueError(f"{name} must be finite and non-negative")
    return v


def _bound(value: float | npt.ArrayLike, n: int, name: str) -> np.ndarray:
    b = np.asarray(value, dtype=float)
    if b.ndim == 0:
        b = np.full(n, float(b))
    elif b.shape != (n,):
        raise ValueError(f"{name} must be a number or have shape ({n},), got shape {b.shape}")
    if np.isnan(b).any() or (b < 0).any():
        raise ValueError(f"{name} must be non-negative numbers")
    return b.copy()


def _sum_text(bounds: np.ndarray, label: str) -> str:
    if (bounds == bounds[0]).all():
        return f"{bounds.size} members x {label} {bounds[0]:g}% = {bounds.sum():g}%"
    return f"{label} bounds sum to {bounds.sum():g}%"


def _check_feasible(
    lower: np.ndarray, upper: np.ndarray, liq: np.ndarray | None, total: float
) -> None:
    tol = _FEASIBILITY_TOL * max(1.0, total)
    if lower.sum() > total + tol:
        raise InfeasibleWeights(MIN_POSITION_WEIGHT, f"{_sum_text(lower, 'min')} > {total:g}%")
    capped = [(MAX_POSITION_WEIGHT, upper, "max")]
    if liq is not None:
        capped.append((LIQUIDITY_CAP, np.minimum(upper, liq), "liquidity-capped max"))
    # The max cap is checked alone first: liquidity only binds if the max cap alone would fit.
    for cap, bounds, label in capped:
        short = np.flatnonzero(bounds < lower - tol)
        if short.size:
            i = int(short[0])
            raise InfeasibleWeights(cap, f"member {i}: {label} {bounds[i]:g}% < min {lower[i]:g}%")
        if bounds.sum() < total - tol:
            raise InfeasibleWeights(cap, f"{_sum_text(bounds, label)} < {total:g}%")


def water_fill(
    raw: npt.ArrayLike,
    lower: float | npt.ArrayLike,
    upper: float | npt.ArrayLike,
    total: float = 100.0,
    *,
    liquidity_upper: npt.ArrayLike | None = None,
) -> np.ndarray:
    """Exact capped proportional allocation: w_i = clip(lam * raw_i, lower_i, upper_i), sum = total.

    raw >= 0 (all zeros: equal); a raw-0 member stays at its lower bound until all others are
    at their upper ones, then those share the rest equally. `upper` may be +inf; the optional
    `liquidity_upper` is a second upper bound (the smaller one applies), kept apart only so
    InfeasibleWeights.cap can say "liquidity_cap" when the bounds fit without it but not with it.
    Otherwise cap is "min_position_weight" (lower bounds sum above `total`) or
    "max_position_weight" (upper bounds sum below it, or one is below its lower bound).
    """
    r = _vector(raw, "raw")
    if r.size == 0 or not (math.isfinite(total) and total > 0):
        raise ValueError(f"need members and a positive total, got {r.size} and {total}")
    lo = _bound(lower, r.size, "lower")
    if not np.isfinite(lo).all():
        raise ValueError("lower must be finite")
    hi = _bound(upper, r.size, "upper")
    liq = None if liquidity_upper is None else _bound(liquidity_upper, r.size, "liquidity_upper")
    _check_feasible(lo, hi, liq, total)
    if liq is not None:
        hi = np.minimum(hi, liq)
    return _fill(r, lo, np.maximum(hi, lo), total)


def _fill(raw: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: float) -> np.ndarray:
    if hi.sum() <= total:
        return hi.copy()
    if lo.sum() >= total:
        return lo.copy()
    raw = raw if (raw > 0).any() else np.ones(raw.size)
    pos = raw > 0
    w = lo.copy()
    if hi[pos].sum() + lo[~pos].sum() <= total:
        w[pos] = hi[pos]
        w[~pos] = _fill(np.ones(int((~pos).sum())), lo[~pos], hi[~pos], total - hi[pos].sum())
        return w
    w[pos] = _proportional(raw[pos], lo[pos], hi[pos], total - lo[~pos].sum())
    return w


def _proportional(raw: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: float) -> np.ndarray:
    """clip(lam * raw, lo, hi) for the lam making it sum to total; raw > 0, sum(lo) < total."""
    # The sum is piecewise linear in lam with knots where a member reaches a bound: find the
    # segment holding `total`, then solve it exactly for the members free inside it.
    knots = distinct(np.concatenate(([0.0], lo / raw, hi / raw)))
    knots = knots[np.isfinite(knots)]
    filled = np.clip(knots[:, None] * raw, lo, hi).sum(axis=1)
    reached = np.flatnonzero(filled >= total)
    k = int(reached[0]) if reached.size else knots.size
    probe = (knots[k - 1] + knots[k]) / 2.0 if k < knots.size else knots[-1] + 1.0
    scaled = probe * raw
    free = (scaled > lo) & (scaled < hi)
    pinned = np.where(scaled <= lo, lo, hi)[~free].sum()
    lam = (total - pinned) / raw[free].sum()
    return np.clip(lam * raw, lo, hi)


def equal_weights(n: int) -> np.ndarray:
    """100 / n for each of n members."""
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    return np.full(n, 100.0 / n) if n else np.empty(0)


def score_weights(scores: npt.ArrayLike) -> np.ndarray:
    """Weights proportional to non-negative scores (all zero: equal)."""
    s = _vector(scores, "scores")
    total = s.sum()
    return s / total * 100.0 if total > 0 else equal_weights(s.size)


def score_squared_weights(scores: npt.ArrayLike) -> np.ndarray:
    """Weights proportional to squared non-negative scores: leaning harder on the best."""
    return score_weights(np.square(_vector(scores, "scores")))


def rank_weights(scores: npt.ArrayLike) -> np.ndarray:
    """Weights proportional to each score's rank among them (1 for the lowest, n for the
    highest, ties sharing their mean rank): the order matters, the gaps between scores do not."""
    s = _vector(scores, "scores")
    if s.size == 0:
        return np.empty(0)
    _, group, counts = np.unique(s, return_inverse=True, return_counts=True)
    mean_rank = np.cumsum(counts) - (counts - 1) / 2.0  # of each group of equal scores
    ranks = mean_rank[group]
    return ranks / ranks.sum() * 100.0


def inverse_volatility_weights(volatilities: npt.ArrayLike) -> np.ndarray:
    """Weights proportional to 1 / volatility; volatilities must be finite and positive."""
    v = _vector(volatilities, "volatilities", check=False)
    if not (np.isfinite(v).all() and (v > 0).all()):
        raise ValueError("volatilities must be finite and positive")
    inverse = 1.0 / v
    return inverse / inverse.sum() * 100.0


def risk_parity_weights(cov: npt.ArrayLike) -> np.ndarray:
    """Long-only equal risk contribution weights: w_i * (cov w)_i the same for every member.

    Damped Newton on Spinu's (2013) convex min 0.5 y'Cy - sum(log y) over the correlation
    matrix C, whose optimum has y_i (Cy)_i = 1, so w = y / sd. cov must be positive definite.
    """
    c = checked_covariance(cov)
    n = c.shape[0]
    if n == 0:
        return np.empty(0)
    sd = np.sqrt(np.diag(c))
    corr = c / np.outer(sd, sd)
    try:
        np.linalg.cholesky(corr)
    except np.linalg.LinAlgError as exc:
        raise ValueError("covariance must be positive definite for risk parity") from exc
    # With unit budgets the objective is self-concordant, so the damped step 1 / (1 + decrement)
    # never leaves y > 0 and full steps are safe once the decrement is small.
    y = np.full(n, math.sqrt(n / corr.sum()))
    best, best_gap = y, math.inf
    for _ in range(100):
        cy = corr @ y
        gap = float(np.abs(y * cy - 1.0).max())
        if gap < best_gap:
            best, best_gap = y, gap
        if gap <= _ERC_TOL:
            break
        grad = cy - 1.0 / y
        step = np.linalg.solve(corr + np.diag(1.0 / y**2), grad)
        decrement = math.sqrt(max(float(grad @ step), 0.0))
        y = y - (step / (1.0 + decrement) if decrement > 0.25 else step)
    # An ill-conditioned C leaves rounding noise above _ERC_TOL: keep the best iterate seen.
    if best_gap > _ERC_ACCEPT:
        raise ValueError("risk parity did not converge")
    w = best / sd
    return w / w.sum() * 100.0


def hrp_weights(cov: npt.ArrayLike) -> np.ndarray:
    """Lopez de Prado's hierarchical risk parity weights.

    Distance sqrt((1 - rho) / 2), single linkage, quasi-diagonal leaf order, then recursive
    bisection of the order into halves split by inverse variance of their inverse-variance mix.
    """
    c = checked_covariance(cov)
    n = c.shape[0]
    if n == 0:
        return np.empty(0)
    dist = np.sqrt(np.clip((1.0 - correlation_from_covariance(c)) / 2.0, 0.0, None))
    w = np.ones(n)
    clusters = [_quasi_diagonal_order(dist)]
    while clusters:
        halves: list[list[int]] = []
        for cluster in clusters:
            if len(cluster) < 2:
                continue
            left, right = cluster[: len(cluster) // 2], cluster[len(cluster) // 2 :]
            var_left, var_right = _cluster_variance(c, left), _cluster_variance(c, right)
            alpha = var_right / (var_left + var_right)
            w[left] *= alpha
            w[right] *= 1.0 - alpha
            halves += [left, right]
        clusters = halves
    return w / w.sum() * 100.0


def _quasi_diagonal_order(dist: np.ndarray) -> list[int]:
    """Leaves of the single-linkage tree, each merge listing the older cluster first."""
    members = {i: [i] for i in range(dist.shape[0])}
    next_id = dist.shape[0]
    while len(members) > 1:
        ids = sorted(members)
        # Ties go to the lowest ids, so equal distances still give one fixed order.
        _, a, b = min(
            (float(dist[np.ix_(members[a], members[b])].min()), a, b)
            for pos, a in enumerate(ids)
            for b in ids[pos + 1 :]
        )
        members[next_id] = members.pop(a) + members.pop(b)
        next_id += 1
    return next(iter(members.values()))


def _cluster_variance(cov: np.ndarray, idx: list[int]) -> float:
    sub = cov[np.ix_(idx, idx)]
    ivp = 1.0 / np.diag(sub)
    ivp /= ivp.sum()
    return float(ivp @ sub @ ivp)


def liquidity_upper_bounds(
    depth_usdt: npt.ArrayLike, reference_balance: float, max_depth_share: float
) -> np.ndarray:
    """Largest weight (%) keeping notional within the share of the +-1% depth; NaN depth: inf."""
    depth = _vector(depth_usdt, "depth_usdt", check=False)
    if (depth < 0).any():
        raise ValueError("depth_usdt must be non-negative")
    if not all(math.isfinite(x) and x > 0 for x in (reference_balance, max_depth_share)):
        raise ValueError("reference_balance and max_depth_share must be positive")
    bounds = depth * max_depth_share / reference_balance * 100.0
    bounds[np.isnan(depth)] = np.inf
    return bounds


def calculate_weights(
    method: str,
    *,
    scores: npt.ArrayLike | None = None,
    volatilities: npt.ArrayLike | None = None,
    covariance: npt.ArrayLike | None = None,
    min_weight: float,
    max_weight: float,
    liquidity_upper: npt.ArrayLike | None = None,
) -> np.ndarray:
    """Base weights of `method`, fitted into [min_weight, min(max_weight, liquidity_upper_i)].

    "score", "score_squared" and "rank" need scores, "inverse_volatility" volatilities,
    "risk_parity" and "hrp" covariance, "equal" any input (for the count). No members: empty
    array. Raises InfeasibleWeights.
    """
    if method not in METHODS:
        raise ValueError(f"unknown weighting method {method!r}; expected one of {METHODS}")
    if method == "equal":
        sized = [v for v in (scores, volatilities, covariance, liquidity_upper) if v is not None]
        if not sized:
            raise ValueError("equal weights need any input to know the member count")
        base = equal_weights(len(np.asarray(sized[0])))
    else:
        needed = "scores" if method in SCORE_METHODS else "covariance"
        needed = "volatilities" if method == "inverse_volatility" else needed
        source = {"scores": scores, "volatilities": volatilities, "covariance": covariance}[needed]
        if source is None:
            raise ValueError(f"method {method!r} needs {needed}")
        base = _BASE_WEIGHTS[method](source)
    if base.size == 0:
        return base
    return water_fill(base, min_weight, max_weight, 100.0, liquidity_upper=liquidity_upper)


_BASE_WEIGHTS: dict[str, Callable[[npt.ArrayLike], np.ndarray]] = {
    "score": score_weights,
    "score_squared": score_squared_weights,
    "rank": rank_weights,
    "inverse_volatility": inverse_volatility_weights,
    "risk_parity": risk_parity_weights,
    "hrp": hrp_weights,
}
