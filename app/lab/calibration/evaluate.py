"""How a configuration does over a window of decisions, fast enough to try many: the policy's
book alone (no baselines), marked and charged as in the replay, and the composite's IC."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from app.books.simulation.coefficients import forward_returns
from app.books.simulation.decision_context import Contexts
from app.books.simulation.policy import PolicyState, book_weights, step
from app.books.simulation.strategy_figures import strategy_figures
from app.lab.replay.simulate import Books, Ledger
from app.portfolio.policy.settings import PolicyConfig
from app.stats.ic import t_statistic
from app.stats.rank import spearman
from app.stats.rounding import rounded


@dataclass(frozen=True)
class Outcome:
    sharpe: float  # after costs; NaN when the book never moved
    total_return: float
    turnover: float  # mean per decision
    fees: float
    ic: float  # mean IC of the composite; NaN when none could be measured
    ic_t: float  # its t-statistic; NaN under two measured decisions
    ics: tuple[float, ...] = ()  # the composite's IC at each decision where it was measured
    ic_at: tuple[int, ...] = ()  # those decisions' times (ms), as `ics`

    def to_json(self) -> dict[str, float | None]:
        return {
            k: rounded(v)
            for k, v in (
                ("sharpe", self.sharpe),
                ("total_return", self.total_return),
                ("turnover", self.turnover),
                ("fees", self.fees),
                ("ic", self.ic),
                ("ic_t", self.ic_t),
            )
        }


def _number(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _whole_period(times: list[int], d: int, end_ms: int) -> bool:
    """Decision `d`'s period is a whole interval: a last one cut short by `end_ms` is not
    judged as one."""
    if d + 1 < len(times) or len(times) < 2:
        return True
    return end_ms - times[d] >= times[1] - times[0]


class Evaluator:
    """Runs configurations over windows of one history's decision times."""

    def __init__(self, contexts: Contexts, cost_rate: float) -> None:
        self.contexts = contexts
        self.ledger = Ledger(contexts.history)
        self.cost_rate = cost_rate
        self._forward: dict[tuple[int, int], np.ndarray] = {}

    def forward(self, t_ms: int, following_ms: int) -> np.ndarray:
        """Every symbol's return from `t_ms` to `following_ms` (computed once)."""
        key = (t_ms, following_ms)
        if key not in self._forward:
            self._forward[key] = forward_returns(self.contexts.history.at(t_ms), following_ms)
        return self._forward[key]

    def policy(
        self,
        config: PolicyConfig,
        times: list[int],
        end_ms: int,
        state: PolicyState | None = None,
    ) -> Outcome:
        """The policy under `config` deciding at `times` (from `state`, fresh by default, which
        is updated), its book valued to `end_ms`."""
        state = PolicyState() if state is None else state
        history, ledger = self.contexts.history, self.ledger
        books = Books.empty(1, history.size)
        trading = np.ones(1, dtype=bool)
        ics: list[tuple[int, float]] = []
        for d, t in enumerate(times):
            ctx = self.contexts.at(t, {h.index for h in state.members}, config.scoring)
            decision = step(ctx, state, config, state.next_run_id())
            column = ledger.column(t)
            if d == 0:
                books.equity.append(ledger.values(books, column)[:, None])
            trading[0] = decision.trade
            weights = book_weights(decision, history)[None, :]
            ledger.rebalance(books, column, weights, trading, self.cost_rate)
            following = times[d + 1] if d + 1 < len(times) else end_ms
            ledger.carry(books, column, ledger.column(following))
            if _whole_period(times, d, end_ms):
                ic = spearman(ctx.table.composite, self.forward(t, following)[ctx.rows])
                ics.append((t, ic))
        figures = strategy_figures(
            books.equity_curves()[0],
            times[0],
            turnovers=books.turnover_table()[0].tolist(),
            fees=float(books.fees[0]),
            funding=float(books.funding[0]),
            sample_h=24,
        )
        measured = [v for _, v in ics if not math.isnan(v)]
        return Outcome(
            sharpe=_number(figures["sharpe"]),
            total_return=_number(figures["total_return"]),
            turnover=_number(figures["turnover"]),
            fees=_number(figures["fees"]),
            ic=float(np.mean(measured)) if measured else math.nan,
            ic_t=t_statistic(measured),
            ics=tuple(measured),
            ic_at=tuple(t for t, v in ics if not math.isnan(v)),
        )

    def metric_ics(self, times: list[int], end_ms: int) -> dict[tuple[str, str], list[float]]:
        """Each metric's IC at each of `times` where it could be measured (the percentile the
        metric gives a symbol vs the symbol's return to the next decision)."""
        out: dict[tuple[str, str], list[float]] = {}
        for d, t in enumerate(times):
            following = times[d + 1] if d + 1 < len(times) else end_ms
            ctx = self.contexts.at(t, set(), self.contexts.config.scoring)
            forward = self.forward(t, following)[ctx.rows]
            for name, arrays in ctx.table.components.items():
                for metric, normalised in zip(arrays.metrics, arrays.normalised, strict=True):
                    ic = spearman(normalised, forward)
                    series = out.setdefault((name, metric.name), [])
                    if not math.isnan(ic):
                        series.append(ic)
        return out
