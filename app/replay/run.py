"""A replay: the policy and the baselines decided at every decision time on point-in-time
history, their books marked hourly, and the evidence as one JSON-ready document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np

from app.replay.baselines import BtcHold, EqualWeight, Momentum, RandomPicks, TopVolume
from app.replay.config import HOUR_MS, PolicyConfig, ReplayParams, config_hash
from app.replay.context import context_at
from app.replay.evidence import strategy_figures
from app.replay.history import MarketHistory
from app.replay.ic import InformationCoefficients
from app.replay.policy import PolicyState, step
from app.replay.simulate import Books, Ledger

STRATEGIES = ("policy", "btc_hold", "equal_weight", "top_volume", "momentum", "random")
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
    randoms = RandomPicks(top, params.random_seed, params.random_draws, n)
    named = ("policy", *baselines)  # rows of `books`; the random draws follow
    books = Books.empty(len(named) + params.random_draws, n)
    ic = InformationCoefficients(history, policy.benchmark)
    decisions: list[dict[str, Any]] = []
    for d, t in enumerate(times):
        ctx = context_at(history, t, policy, {h.index for h in state.members})
        decision = step(ctx, state, policy, run_id=d + 1)
        column = ledger.column(t)
        if d == 0:
            books.equity.append(ledger.values(books, column)[:, None])
        weights = np.zeros((books.size, n))
        trading = np.ones(books.size, dtype=bool)
        trading[0] = decision.trade
        for symbol, pct in decision.weights.items() if decision.trade else ():
            weights[0, history.index_of(symbol)] = float(pct) / 100.0
        for row, strategy in enumerate(baselines.values(), start=1):
            target = strategy.targets(ctx)
            trading[row] = target is not None
            if target is not None:
                weights[row] = target
        weights[len(named) :] = randoms.targets(ctx)
        ledger.rebalance(books, column, weights, trading, params.cost_rate)
        following = times[d + 1] if d + 1 < len(times) else params.end_ms
        ledger.carry(books, column, ledger.column(following))
        ic.add(ctx, following)
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
    figures = _figures(books, named, times[0], min(params.every_h, 24))
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
        "strategies": {name: figures[name] for name in STRATEGIES},
        "ic": ic.summary(),
        "decisions": decisions,
    }


def _figures(
    books: Books, named: tuple[str, ...], start_ms: int, sample_h: int
) -> dict[str, dict[str, Any]]:
    """Each named book's figures, and the mean of the random books' as `random`."""
    equity, turnovers = books.equity_curves(), books.turnover_table()
    draws = slice(len(named), None)
    rows: dict[str, tuple[np.ndarray, np.ndarray, float, float]] = {
        name: (equity[k], turnovers[k], float(books.fees[k]), float(books.funding[k]))
        for k, name in enumerate(named)
    }
    rows["random"] = (
        np.mean(equity[draws], axis=0),
        np.mean(turnovers[draws], axis=0),
        float(np.mean(books.fees[draws])),
        float(np.mean(books.funding[draws])),
    )
    return {
        name: strategy_figures(
            curve,
            start_ms,
            turnovers=turnover.tolist(),
            fees=fees,
            funding=funding,
            sample_h=sample_h,
        )
        for name, (curve, turnover, fees, funding) in rows.items()
    }
