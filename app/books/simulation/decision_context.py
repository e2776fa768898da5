"""What every strategy sees at one decision time: the stage-1 shortlist, the scorer's inputs as
known then, and the scores of the existing engine.

`Contexts` scores each decision time once, with every component that may be weighed, and
re-weighs that table for each scoring configuration asked (`composite.reweigh`: the numbers
`compute` gives under that configuration), so strategies or candidate configurations that differ
only in weights share one scoring.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import numpy as np

from app.books.simulation.funding_index import SettledFunding
from app.books.simulation.history_inputs import market_inputs, quote_turnover, settled_funding
from app.books.simulation.market_history import MarketHistory, PointInTime
from app.platform.core.units import HOUR_MS
from app.portfolio.policy.settings import PolicyConfig
from app.scoring.scorers.composite import (
    ScoreTable,
    ScoringConfig,
    as_stored,
    compute,
    reweigh,
)
from app.scoring.scorers.gate import GateParams
from app.scoring.scorers.parameters import METRIC_WEIGHTS
from app.scoring.scorers.shortlist import shortlist

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    t_ms: int
    view: PointInTime
    rows: np.ndarray  # symbol indices of the shortlist, in symbol order
    turnover: np.ndarray  # 24 h quote turnover of `rows`
    returns: np.ndarray | None  # the scorer's hourly log returns of `rows`, when kept
    table: ScoreTable  # of `rows`
    composite: dict[int, float]  # symbol index -> composite as a run stores it (scored only)
    eligible: list[int]  # symbol indices that passed the gate and were scored, in symbol order
    positions: dict[int, int]  # symbol index -> its row in `rows`, `inputs` and `table`
    shared: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)
    """`derived` figures: one dict for a scoring and every context re-weighed from it."""

    def turnover_24h(self) -> dict[int, float]:
        return dict(zip(self.rows.tolist(), self.turnover.tolist(), strict=True))

    def derived(self, key: Hashable, make: Callable[..., T], *args: Any) -> T:
        """`make(*args)`, a figure of this context's rows and returns alone (never of its
        scores), computed once under `key` for the scoring and all its re-weighings (tracks
        that differ only in weights share it)."""
        if key not in self.shared:
            self.shared[key] = make(*args)
        value: T = self.shared[key]
        return value


def stage_one(
    view: PointInTime,
    config: PolicyConfig,
    members: set[int],
    funding: SettledFunding | None = None,
    turnover: np.ndarray | None = None,
) -> np.ndarray:
    """The symbol indices shortlisted at `view.t_ms` (in symbol order), `members` among them
    (`funding`: `settled_funding(view)`, `turnover`: `quote_turnover(view)`, when the caller
    has them already): `app.scoring.scorers.shortlist` over the symbols listed at t (a candle of
    theirs has closed)."""
    funding = settled_funding(view) if funding is None else funding
    turnover = quote_turnover(view) if turnover is None else turnover
    history = view.history
    listed = np.flatnonzero(~np.isnan(view.last_candle_close_ms()))
    always = np.zeros(history.size, dtype=bool)  # the members and the benchmark, if listed
    always[list(members)] = True
    if config.benchmark in history.symbols:
        always[history.index_of(config.benchmark)] = True
    rows = shortlist(
        history.alphabetical[listed],
        np.ones(listed.size, dtype=bool),
        (view.t_ms - history.first_close_ms_each()[listed]) / HOUR_MS,
        np.where(funding.count[listed] == 0, np.nan, funding.latest[listed]),  # none settled
        turnover[listed],
        always[listed],
        size=config.shortlist,
        min_listing_days=config.min_listing_days,
        max_abs_funding=config.max_abs_funding,
    )
    return listed[rows]


@dataclass(frozen=True)
class Stage:
    """What stage 1 and the scorer's inputs read at one time, whatever the members."""

    view: PointInTime
    funding: SettledFunding
    turnover: np.ndarray  # every symbol's 24 h quote turnover

    @classmethod
    def at(cls, history: MarketHistory, t_ms: int) -> Stage:
        view = history.at(t_ms)
        return cls(view, settled_funding(view), quote_turnover(view))

    def shortlist(self, config: PolicyConfig, members: set[int]) -> np.ndarray:
        """`stage_one` with `members`."""
        return stage_one(self.view, config, members, self.funding, self.turnover)


def context_at(
    history: MarketHistory, t_ms: int, config: PolicyConfig, members: set[int]
) -> Context:
    """What the strategies see at `t_ms`, with `members` (symbol indices) the policy's
    portfolio (always shortlisted)."""
    stage = Stage.at(history, t_ms)
    return scored_context(stage, config, stage.shortlist(config, members))


def scored_context(stage: Stage, config: PolicyConfig, rows: np.ndarray) -> Context:
    """The context of `rows` (the shortlist) scored under `config` at `stage`'s time."""
    inputs = market_inputs(
        stage.view,
        rows,
        candles=config.candles,
        benchmark=config.benchmark,
        funding=stage.funding,
        turnover=stage.turnover,
    )
    table = compute(inputs, config.scoring)  # first: the scorer computes its own returns
    return _context(stage.view, rows, inputs.turnover_24h, inputs.returns, table)


def _context(
    view: PointInTime,
    rows: np.ndarray,
    turnover: np.ndarray,
    returns: np.ndarray | None,
    table: ScoreTable,
    shared: dict[Hashable, Any] | None = None,
) -> Context:
    scored = ~np.isnan(table.composite)
    eligible = rows[scored].tolist()
    composite = dict(zip(eligible, stored(table.composite[scored]), strict=True))
    positions = dict(zip(rows.tolist(), range(rows.size), strict=True))
    return Context(
        view.t_ms,
        view,
        rows,
        turnover,
        returns,
        table,
        composite,
        eligible,
        positions,
        {} if shared is None else shared,
    )


NEAR_HALF = 1e-6  # far above the error of score x 1e4 (below 1e-10 for scores up to 100)


def stored(scores: np.ndarray) -> list[float]:
    """`as_stored` of each score: within 0-100 already (the usual case), only its rounding.

    `round(x, 4)` is the double nearest the decimal x rounded to 4 places: k / 1e4 (one
    correctly rounded division of exact numbers) for k the integer nearest x x 1e4. The
    product's own rounding can only pick the wrong k next to a half step: those few go
    through `round`, so every value is `round`'s to the bit."""
    if not (scores.size and scores.min() >= 0.0 and scores.max() <= 100.0):
        return list(map(as_stored, scores.tolist()))
    scaled = scores * 1e4
    steps = np.rint(scaled)
    values: list[float] = (steps / 1e4).tolist()  # as_stored's clamp leaves these as they are
    for i in np.flatnonzero(np.abs(np.abs(scaled - steps) - 0.5) < NEAR_HALF).tolist():
        values[i] = round(float(scores[i]), 4)
    return values


def basis(scoring: ScoringConfig, weigh: Iterable[str] = ()) -> ScoringConfig:
    """`scoring` with every component in `weigh` weighed too (at 1 where it was not): what
    `Contexts` scores with."""
    weights = {name: w for name, w in scoring.weights.items() if w > 0}
    weights.update({name: 1.0 for name in weigh if name not in weights})
    return ScoringConfig(weights, scoring.parameters, scoring.gate)


def scoring_beyond_weights(scoring: ScoringConfig) -> tuple[dict[str, dict[str, Any]], GateParams]:
    """What a configuration fixes besides weights: the parameters (less metric weights), gate."""
    parameters = {
        name: {k: v for k, v in params.items() if k != METRIC_WEIGHTS}
        for name, params in scoring.parameters.items()
    }
    return {name: p for name, p in parameters.items() if p}, scoring.gate


class Contexts:
    """Contexts of one history, each decision time scored once under `basis(config.scoring,
    weigh)` and re-weighed for any configuration that differs from it only in weights (the
    configuration itself is served as scored).

    A scoring depends on the members only through the shortlist (stage 1's best rows plus the
    members), so tracks whose members differ within it share one. `keep=False` (a replay,
    moving forward): only the latest time's scorings are kept, per shortlist. `keep=True` (a
    calibration, revisiting every time): every time's scoring is kept, per set of members
    outside the stage-1 shortlist, without the scorer's returns (memory).
    """

    def __init__(
        self,
        history: MarketHistory,
        config: PolicyConfig,
        *,
        keep: bool,
        weigh: Iterable[str] = (),
        stage: Stage | None = None,
    ) -> None:
        """`stage` (keep=False): the stage of a time of `history`, when the caller has it
        (the Contexts of one history at one time share it)."""
        self.history = history
        self.config = replace(config, scoring=basis(config.scoring, weigh))
        self.keep = keep
        self._fixed = scoring_beyond_weights(config.scoring)
        self._scored: dict[tuple[int, frozenset[int]], Context] = {}
        self._shortlists: dict[int, frozenset[int]] = {}
        self._stage = stage  # keep=False: the latest time's

    def at(self, t_ms: int, members: set[int], scoring: ScoringConfig) -> Context:
        """The context at `t_ms` for a portfolio of `members`, scored with `scoring` (which
        may differ from the configuration given at construction only in its weights, and may
        weigh only the components the basis weighs)."""
        if scoring != self.config.scoring:
            self._check(scoring)
        scored = self._kept(t_ms, members) if self.keep else self._latest(t_ms, members)
        if scoring == self.config.scoring:
            return scored
        return _context(
            scored.view,
            scored.rows,
            scored.turnover,
            scored.returns,
            reweigh(scored.table, scoring),
            scored.shared,
        )

    def _kept(self, t_ms: int, members: set[int]) -> Context:
        """The scoring at `t_ms` for `members`, kept per members outside the shortlist."""
        if t_ms not in self._shortlists:
            view = self.history.at(t_ms)
            self._shortlists[t_ms] = frozenset(stage_one(view, self.config, set()).tolist())
        key = (t_ms, frozenset(members - self._shortlists[t_ms]))
        scored = self._scored.get(key)
        if scored is None:
            scored = context_at(self.history, t_ms, self.config, set(key[1]))
            self._scored[key] = scored = replace(scored, returns=None)
        return scored

    def _latest(self, t_ms: int, members: set[int]) -> Context:
        """The scoring at `t_ms` for `members`, kept per shortlist until another time is
        asked."""
        if self._stage is None or self._stage.view.t_ms != t_ms:
            self._stage = Stage.at(self.history, t_ms)
            self._scored.clear()
        rows = self._stage.shortlist(self.config, members)
        key = (t_ms, frozenset(rows.tolist()))
        scored = self._scored.get(key)
        if scored is None:
            self._scored[key] = scored = scored_context(self._stage, self.config, rows)
        return scored

    def _check(self, scoring: ScoringConfig) -> None:
        if scoring_beyond_weights(scoring) != self._fixed:
            raise ValueError(
                "a configuration that differs in more than weights needs its own Contexts"
            )
