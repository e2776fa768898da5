"""A replay: the policy and the baselines decided at every decision time on point-in-time
history, their books marked hourly, and the evidence as one JSON-ready document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np

from app.portfolio.correlation import beta
from app.replay.baselines import BtcHold, EqualWeight, Momentum, RandomPick, TopVolume
from app.replay.config import HOUR_MS, PolicyConfig, ReplayParams, config_hash
from app.replay.context import Context, context_at
from app.replay.evidence import IcSeries, strategy_figures
from app.replay.history import MarketHistory
from app.replay.policy import PolicyState, hourly_returns, step
from app.replay.simulate import Book, Ledger
from app.scoring.metrics import COMPONENTS

STRATEGIES = ("policy", "btc_hold", "equal_weight", "top_volume", "momentum", "random")
BETA_HOURS = 168
Progress = Callable[[int, int], None]


class ReplayRangeError(ValueError):
    """The asked range has no decision inside the history."""


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat().replace("+00:00", "Z")


def check_range(history: MarketHistory, params: ReplayParams) -> None:
    if params.start_ms % HOUR_MS or params.end_ms % HOUR_MS:
        raise ReplayRangeError("from and to must be whole hours (UTC)")
    if params.start_ms < history.first_close_ms() or params.end_ms > history.last_close_ms():
        raise ReplayRangeError(
            f"the range must lie within the history: {iso(history.first_close_ms())} to "
            f"{iso(history.last_close_ms())}"
        )
    if not params.decision_times():
        raise ReplayRangeError("no decision time between from and to")


def replay(
    history: MarketHistory,
    policy: PolicyConfig,
    params: ReplayParams,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run every strategy over `params`' decision times; the evidence document."""
    check_range(history, params)
    times = params.decision_times()
    ledger = Ledger(history)
    n, top = history.size, policy.max_symbols
    state = PolicyState()
    baselines: dict[str, Any] = {
        "btc_hold": BtcHold(policy.benchmark),
        "equal_weight": EqualWeight(),
        "top_volume": TopVolume(top),
        "momentum": Momentum(top, params.momentum_days),
    }
    randoms = [RandomPick(top, params.random_seed + k) for k in range(params.random_draws)]
    books = {name: Book.empty(n) for name in ("policy", *baselines)}
    random_books = [Book.empty(n) for _ in randoms]
    contexts: list[Context] = []
    decisions: list[dict[str, Any]] = []
    for d, t in enumerate(times):
        ctx = context_at(history, t, policy, {h.index for h in state.members})
        decision = step(ctx, state, policy, run_id=d + 1)
        column = ledger.column(t)
        if d == 0:
            for book in [*books.values(), *random_books]:
                book.equity.append(ledger.value(book, column))
        weights = None
        if decision.trade:
            weights = np.zeros(n)
            for symbol, pct in decision.weights.items():
                weights[history.index_of(symbol)] = float(pct) / 100.0
        ledger.trade(books["policy"], column, weights, params.cost_rate)
        for name, strategy in baselines.items():
            ledger.trade(books[name], column, strategy.targets(ctx), params.cost_rate)
        for strategy, book in zip(randoms, random_books, strict=True):
            ledger.trade(book, column, strategy.targets(ctx), params.cost_rate)
        following = times[d + 1] if d + 1 < len(times) else params.end_ms
        for book in [*books.values(), *random_books]:
            ledger.hold(book, column, ledger.column(following))
        contexts.append(ctx)
        decisions.append(
            {
                "at": iso(t),
                "members": decision.members,
                "weights": {s: float(w) for s, w in decision.weights.items()},
                "replaced": decision.replaced,
                "blocked": decision.blocked,
                "added": decision.added,
                "traded": decision.trade,
            }
        )
        if progress is not None:
            progress(d + 1, len(times))
    books["random"] = _mean_book(random_books)
    sample_h = min(params.every_h, 24)
    return {
        "config_hash": config_hash(policy, params),
        "data": {
            "symbols": n,
            "from": iso(times[0]),
            "to": iso(params.end_ms),
            "decisions": len(times),
            "funding": "known" if history.funding_known else "unknown",
            "source": history.source,
        },
        "strategies": {
            name: strategy_figures(
                np.asarray(books[name].equity),
                times[0],
                turnovers=books[name].turnovers,
                fees=books[name].fees,
                funding=books[name].funding,
                sample_h=sample_h,
            )
            for name in STRATEGIES
        },
        "ic": information_coefficients(history, contexts, times, params.end_ms, policy.benchmark),
        "decisions": decisions,
    }


def _mean_book(books: list[Book]) -> Book:
    mean = Book.empty(0)
    mean.equity = np.mean([b.equity for b in books], axis=0).tolist()
    mean.turnovers = np.mean([b.turnovers for b in books], axis=0).tolist()
    mean.fees = float(np.mean([b.fees for b in books]))
    mean.funding = float(np.mean([b.funding for b in books]))
    return mean


def _or_nan(value: float | None) -> float:
    return float("nan") if value is None else value


def information_coefficients(
    history: MarketHistory,
    contexts: list[Context],
    times: list[int],
    end_ms: int,
    benchmark: str,
) -> dict[str, Any]:
    """IC of the composite, each component and each metric (its normalised value, so a
    positive IC means it predicts in the direction it is scored), also against returns net of
    BTC beta and split by the benchmark's direction over the period."""
    series: dict[str, IcSeries] = {}
    b = history.index_of(benchmark) if benchmark in history.symbols else None
    for d, ctx in enumerate(contexts):
        following = times[d + 1] if d + 1 < len(times) else end_ms
        rows = ctx.rows
        now_close = history.close[:, ctx.view.end - 1]
        later = history.at(following)
        forward_all = later.candles("close", 1)[:, 0] / now_close - 1.0
        forward = forward_all[rows]
        market = float(forward_all[b]) if b is not None else float("nan")
        if b is not None and np.isfinite(market):
            returns = hourly_returns(ctx.view, [*rows.tolist(), b], BETA_HOURS)
            betas = np.array([_or_nan(beta(r, returns[-1])) for r in returns[:-1]])
            residual = forward - betas * market
        else:
            residual = np.full(rows.size, np.nan)
        up = market > 0
        scores = {"composite": ctx.table.composite}
        for name, arrays in ctx.table.components.items():
            scores[name] = arrays.score
            for metric, normalised in zip(arrays.metrics, arrays.normalised, strict=True):
                scores[f"metric:{metric.name}"] = normalised
        for name, values in scores.items():
            series.setdefault(name, IcSeries()).add(values, forward, residual, up)
    out: dict[str, Any] = {
        name: series[name].summary() if name in series else IcSeries().summary()
        for name in ("composite", *COMPONENTS)
    }
    out["metrics"] = {
        name.removeprefix("metric:"): s.summary()
        for name, s in sorted(series.items())
        if name.startswith("metric:")
    }
    return out
