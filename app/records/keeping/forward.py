"""The forward record's state and its hour: every shadow book moved one hour forward.

Books:
- `policy`: the automated policy (`app.books.simulation.policy.step`, the replay's own rules)
  applied at every hour to its shadow membership under the configuration in force; no person
  touches it.
- `challenger:<name>`: the same policy on a registered challenger's scoring configuration
  (`app.records.keeping.challengers`), from its registration on (never backfilled).
- the baselines on their own clock: at 00:00 UTC, over the stage-1 core (the shortlist without
  any member), `btc_hold`, `equal_weight`, `top_volume`, `momentum` and `random` (the mean of
  seeded draws), as in the replay (`app.books.simulation.baselines`).

A decision at hour t reads the stored history up to t's close and trades at the close of
t + lag, as a replay with the same configuration and lag does: on the same stored history the
books equal a replay's to rounding (tests/integration/records/test_forward_record.py). Each hour is
marked from that hour's closes and funding settlements only.

Once a day (the 00:00 decision) every scoring book is judged as the replay's selection record
judges it: its composite's Spearman IC with universe-beta-residual returns over the decision's
period (trade to the next day's trade), and the book's return over that period
(`app.records.keeping.forward_days`): the daily series the forward rule reads
(`app.records.keeping.forward_rule`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from app.books.simulation.decision_context import Context
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.policy import book_weights, step
from app.books.simulation.replay_params import policy_hash
from app.books.simulation.selection_record import trailing_returns, universe_betas, universe_hourly
from app.platform.core.units import DAY_MS, HOUR_MS
from app.portfolio.policy.settings import PolicyConfig
from app.records.keeping.book import LiveBook
from app.records.keeping.forward_baselines import NAMED, RandomDraw, Weights, by_name, named_targets
from app.records.keeping.forward_days import DayJudged, judged, packed
from app.records.keeping.hour_scorings import HourScorings
from app.records.keeping.shadow import Encoded, encode, fresh_json, restored

POLICY = "policy"
BASELINES = (*NAMED, "random")


def challenger_book(name: str) -> str:
    return f"challenger:{name}"


@dataclass(frozen=True)
class ShadowTrack:
    """A scoring book: the policy on `config`, deciding from `starts_ms` on."""

    book: str
    config: PolicyConfig
    starts_ms: int

    @cached_property
    def config_hash(self) -> str:
        return policy_hash(self.config)


@dataclass(frozen=True)
class Baselines:
    """The baselines' parameters (the replay's defaults)."""

    momentum_days: int = 30
    random_draws: int = 50
    random_seed: int = 0


@dataclass
class ForwardState:
    books: dict[str, LiveBook] = field(default_factory=dict)
    draws: list[tuple[RandomDraw, LiveBook]] = field(default_factory=list)
    marks: dict[str, float] = field(default_factory=dict)  # last known close by symbol
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)  # book -> stored state
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)  # book -> {at, weights}
    draw_orders: dict[str, Any] | None = None  # {at, weights: [per draw]}
    judging: list[dict[str, Any]] = field(default_factory=list)  # daily decisions to judge
    baselines_started: bool = False
    encoded: dict[str, Encoded] = field(default_factory=dict, compare=False, repr=False)
    """By book: the policy state its stored one was last encoded from (not stored)."""

    @classmethod
    def fresh(cls, baselines: Baselines) -> ForwardState:
        return cls(
            books={name: LiveBook() for name in (POLICY, *NAMED)},
            draws=[
                (RandomDraw.seeded(baselines.random_seed + k), LiveBook())
                for k in range(baselines.random_draws)
            ],
        )

    # One hour: settle and mark, judge, decide, trade.

    def mark(self, closes: Mapping[str, float], rates: Mapping[str, float]) -> dict[str, float]:
        """Settle the hour's funding on what is held, then mark every book at its closes."""
        self.marks.update(closes)
        equity: dict[str, float] = {}
        for name, book in self.books.items():
            book.settle(self.marks, rates)
            equity[name] = book.value(self.marks)
        values = []
        for _, book in self.draws:
            book.settle(self.marks, rates)
            values.append(book.value(self.marks))
        if self.draws:
            equity["random"] = sum(values) / len(values)
        return equity

    def trade_due(self, hour_ms: int, cost: float) -> tuple[dict[str, float], dict[str, float]]:
        """Trade every order due at `hour_ms`; what each book traded and paid."""
        turnover: dict[str, float] = {}
        fees: dict[str, float] = {}
        for name in [n for n, o in self.orders.items() if o["at"] == hour_ms]:
            book = self.books.setdefault(name, LiveBook())
            before = (book.turnover, book.fees)
            book.trade(self._priced(self.orders.pop(name)["weights"]), self.marks, cost)
            turnover[name], fees[name] = book.turnover - before[0], book.fees - before[1]
        if self.draw_orders is not None and self.draw_orders["at"] == hour_ms:
            moved = fee = 0.0
            for (_, book), target in zip(self.draws, self.draw_orders["weights"], strict=True):
                before = (book.turnover, book.fees)
                book.trade(self._priced(target), self.marks, cost)
                moved += book.turnover - before[0]
                fee += book.fees - before[1]
            turnover["random"], fees["random"] = moved / len(self.draws), fee / len(self.draws)
            self.draw_orders = None
        return turnover, fees

    def _priced(self, target: Weights) -> Weights:
        """`target` less what has no known price yet (that share stays in cash)."""
        return {s: w for s, w in target.items() if s in self.marks}

    def judge(
        self, hour_ms: int, closes: Mapping[str, float], equity: Mapping[str, float]
    ) -> list[DayJudged]:
        """Open the periods that trade at `hour_ms` (their entry closes and equity) and close
        those that end there: each book's return and skill IC over the period."""
        done: list[DayJudged] = []
        waiting = []
        for day in self.judging:
            if day["entry"] == hour_ms:
                # Only the known closes: JSON (PostgreSQL's jsonb) has no NaN; a missing one reads
                # back as NaN in `judged`.
                day["entry_closes"] = {s: closes[s] for s in _symbols(day) if s in closes}
                day["entry_equity"] = {b: equity[b] for b in day["books"] if b in equity}
            if day["following"] == hour_ms and "entry_closes" in day:
                done.extend(judged(day, closes, equity))
            else:
                waiting.append(day)
        self.judging = waiting
        return done

    def decide(
        self,
        hour_ms: int,
        history: MarketHistory,
        tracks: Sequence[ShadowTrack],
        baselines: Baselines,
        lag_h: int,
    ) -> None:
        """Every active scoring book's policy step at `hour_ms` (the first track is the policy,
        whose configuration is the baselines' reference), and at 00:00 UTC the baselines' and
        the day's judgement: orders trading at `hour_ms + lag`."""
        at = hour_ms + lag_h * HOUR_MS
        active = [t for t in tracks if t.starts_ms <= hour_ms]
        scorings = HourScorings(history, hour_ms, [t.config for t in active])
        seen: dict[str, Context] = {}
        for track in active:
            stored = self.policies.get(track.book, fresh_json())
            state = restored(stored, history, self.encoded.get(track.book))
            members = {h.index for h in state.members}
            ctx = scorings.at(track.config, members)
            decision = step(ctx, state, track.config, state.next_run_id())
            encoded = encode(state, history, self.encoded.get(track.book))
            self.policies[track.book], self.encoded[track.book] = encoded.stored, encoded
            self.books.setdefault(track.book, LiveBook())
            if decision.trade:
                weights = by_name(book_weights(decision, history), history) or {}
                self.orders[track.book] = {"at": at, "weights": weights}
            seen[track.book] = ctx
        if hour_ms % DAY_MS or not active:
            return
        reference = active[0].config
        core = scorings.at(reference, set())
        self._baselines(core, reference, baselines, at)
        self._open_day(hour_ms, at, core, seen, {t.book: t.config_hash for t in active})

    def _baselines(
        self, core: Context, reference: PolicyConfig, baselines: Baselines, at: int
    ) -> None:
        history = core.view.history
        named = named_targets(
            core,
            benchmark=reference.benchmark,
            top=reference.max_symbols,
            momentum_days=baselines.momentum_days,
            first=not self.baselines_started,
        )
        self.baselines_started = True
        for name, weights in named.items():
            if weights is not None:
                self.orders[name] = {"at": at, "weights": weights}
        eligible = [history.symbols[i] for i in core.eligible]
        self.draw_orders = {
            "at": at,
            "weights": [draw.targets(eligible, reference.max_symbols) for draw, _ in self.draws],
        }

    def _open_day(
        self,
        hour_ms: int,
        at: int,
        core: Context,
        seen: Mapping[str, Context],
        hashes: Mapping[str, str],
    ) -> None:
        """What the day's decision is judged on later: each book's composite and betas to the
        universe (read at t), the universe's symbols."""
        symbols = core.view.history.symbols
        trailing = trailing_returns(core)
        hourly = universe_hourly(core, trailing)
        books = {}
        for book, ctx in seen.items():
            own = trailing if ctx is core else trailing_returns(ctx)
            betas = universe_betas(ctx, hourly, own)
            books[book] = {
                "symbols": [symbols[i] for i in ctx.rows.tolist()],
                "composite": packed(ctx.table.composite),
                "beta": packed(betas),
                "config_hash": hashes[book],
            }
        self.judging.append(
            {
                "decided": hour_ms,
                "entry": at,
                "following": at + DAY_MS,
                "universe": [symbols[i] for i in core.eligible],
                "books": books,
            }
        )

    # Stored between hours.

    def to_json(self) -> dict[str, Any]:
        return {
            "books": {name: book.to_json() for name, book in self.books.items()},
            "draws": [{**draw.to_json(), "book": book.to_json()} for draw, book in self.draws],
            "marks": self.marks,
            "policies": self.policies,
            "orders": self.orders,
            "draw_orders": self.draw_orders,
            "judging": self.judging,
            "baselines_started": self.baselines_started,
        }

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> ForwardState:
        return cls(
            books={name: LiveBook.of(b) for name, b in stored["books"].items()},
            draws=[(RandomDraw.of(d), LiveBook.of(d["book"])) for d in stored["draws"]],
            marks=dict(stored["marks"]),
            policies=dict(stored["policies"]),
            orders=dict(stored["orders"]),
            draw_orders=stored["draw_orders"],
            judging=list(stored["judging"]),
            baselines_started=bool(stored["baselines_started"]),
        )


def _symbols(day: Mapping[str, Any]) -> set[str]:
    return {s for b in day["books"].values() for s in b["symbols"]} | set(day["universe"])
