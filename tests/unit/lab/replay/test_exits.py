"""Exits in the replay: a member whose candles end (delisted mid-replay) leaves at the first
decision after its last close is older than the grace, replaced without hysteresis, and the pure
rule given the same facts as the live service would read them says the same; a member excluded
for a reason that heals stays."""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

import numpy as np

from app.books.replay_config import policy_config
from app.books.simulation.decision_context import context_at
from app.books.simulation.funding_index import Funding
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.policy import Holding, PolicyState, step
from app.books.simulation.replay_params import ReplayParams, policy_hash
from app.configuration.registry import DEFAULTS
from app.lab.replay.replaying import iso, replay
from app.platform.core.units import HOUR_MS
from app.portfolio.maths.correlation import pairwise_correlation
from app.portfolio.policy.exit_rule import (
    STALE,
    ExitFact,
    choose_replacements,
    due_exits,
    exit_outsiders,
)
from app.portfolio.policy.replacement_facts import CorrelationTable, OutsiderFact
from app.records.keeping.family import PRESETS
from app.scoring.scorers.gate import CANDLE_GAPS
from tests.replay_data import START_MS, generated_run_config, random_walks

# The seed's weights: the expected picks (LEAVING at rank 3, its newcomer) were derived under them.
SEED = PRESETS["seed"].overrides()
POLICY = policy_config(generated_run_config(), DEFAULTS, SEED)
GRACE_H = POLICY.exit_grace_hours
HISTORY = random_walks(14, 24 * 24)
START = START_MS + 24 * 12 * HOUR_MS
WINDOW = ReplayParams(start_ms=START, end_ms=START + 6 * 24 * HOUR_MS, every_h=4, random_draws=2)
LEAVING = "S009USDT"  # rank 3 from the first decision on (see test_the_member_is_held_before)
LAST_CLOSE = START + 26 * HOUR_MS  # its last candle closes 2 h after a decision
EXIT_AT = START + 52 * HOUR_MS  # the first decision with LAST_CLOSE more than 24 h before it


def without_candles(history: MarketHistory, symbol: str, columns: np.ndarray) -> MarketHistory:
    """`history` with `symbol`'s candles (and settlements) at `columns` gone."""
    i = history.index_of(symbol)
    arrays = {}
    for name in ("open", "high", "low", "close", "volume"):
        values = getattr(history, name).copy()
        values[i, columns] = np.nan
        arrays[name] = values
    funding = list(history.funding)
    record = funding[i]
    if record is not None:
        gone = np.isin(record.at_ms, history.grid_ms[columns] + HOUR_MS)
        funding[i] = Funding(record.at_ms[~gone], record.rate[~gone])
    return dataclasses.replace(history, **arrays, funding=funding, _index={})


def closing_after(history: MarketHistory, ms: int) -> np.ndarray:
    return np.flatnonzero(history.grid_ms + HOUR_MS > ms)


DELISTED = without_candles(HISTORY, LEAVING, closing_after(HISTORY, LAST_CLOSE))


def at(report: dict, ms: int) -> dict:
    return next(d for d in report["decisions"] if d["at"] == iso(ms))


@cache
def delisted_replay() -> dict[str, Any]:
    """The replay over DELISTED, once a process when a test first asks (as a class attribute
    it ran at collection: a second of CPU in every test worker, run or not)."""
    return replay(DELISTED, POLICY, WINDOW)


class TestDelistedMidReplay:
    @property
    def report(self) -> dict[str, Any]:
        return delisted_replay()

    def test_the_member_is_held_before_its_candles_end(self) -> None:
        first = replay(HISTORY, POLICY, WINDOW)["decisions"][0]
        assert LEAVING in first["members"]
        assert LEAVING in at(self.report, LAST_CLOSE - 2 * HOUR_MS)["members"]

    def test_it_stays_within_the_grace(self) -> None:
        for t in range(LAST_CLOSE + 2 * HOUR_MS, EXIT_AT, WINDOW.every_h * HOUR_MS):
            decision = at(self.report, t)
            assert LEAVING in decision["members"], iso(t)
            assert decision["exits"] == []
        assert (EXIT_AT - 4 * HOUR_MS - LAST_CLOSE) / HOUR_MS == 22.0 <= GRACE_H

    def test_it_leaves_at_the_first_decision_past_the_grace_for_the_best_outsider(self) -> None:
        decision = at(self.report, EXIT_AT)
        [exit_] = decision["exits"]
        assert exit_["member"] == LEAVING and exit_["reason"] == STALE
        newcomer = exit_["outsider"]
        assert (
            newcomer is not None
            and newcomer not in at(self.report, EXIT_AT - 4 * HOUR_MS)["members"]
        )
        assert newcomer in decision["members"]
        assert LEAVING not in decision["members"] and decision["traded"]
        assert self.report["exits"] == [{"at": iso(EXIT_AT), **exit_}]
        later = [d for d in self.report["decisions"] if d["at"] > iso(EXIT_AT)]
        assert later and all(LEAVING not in d["members"] and not d["exits"] for d in later)

    def test_the_pure_rule_on_the_facts_live_would_read_agrees(self) -> None:
        """The live service's inputs: the gate's reason from the run, the last candle's age from
        the stored candles, the correlation from `pairwise_correlation` of stored closes."""
        for t, due in ((EXIT_AT - 4 * HOUR_MS, False), (EXIT_AT, True)):
            before = at(self.report, t - 4 * HOUR_MS)["members"]
            held = {DELISTED.index_of(s) for s in before}
            ctx = context_at(DELISTED, t, POLICY, held)
            facts = [
                ExitFact(
                    i,
                    s,
                    ctx.table.reasons[ctx.positions[i]],
                    (t - LAST_CLOSE) / HOUR_MS if s == LEAVING else 0.0,
                )
                for s in before
                for i in [DELISTED.index_of(s)]
            ]
            exits = due_exits(facts, GRACE_H)
            assert [(d.member.symbol, d.reason) for d in exits] == ([(LEAVING, STALE)] * due)
        remaining = [DELISTED.index_of(s) for s in before if s != LEAVING]  # the last t's
        outsiders = [OutsiderFact(i, DELISTED.symbols[i]) for i in ctx.eligible if i not in held]
        ranked = exit_outsiders(outsiders, ctx.composite, len(exits))
        ids = remaining + [o.id for o in ranked]
        hours = POLICY.correlation_window_hours
        closes = DELISTED.at(t).candles("close", hours + 1)[ids]
        table = CorrelationTable(ids, pairwise_correlation(np.diff(np.log(closes), axis=1)))
        [chosen] = choose_replacements(
            exits, remaining, ranked, table, POLICY.replacement.correlation_limit
        )
        assert chosen.outsider == self.report["exits"][0]["outsider"]


class TestHealingExclusions:
    def test_a_member_with_a_candle_gap_shorter_than_the_grace_stays(self) -> None:
        hole = np.flatnonzero(
            (HISTORY.grid_ms + HOUR_MS > LAST_CLOSE)
            & (HISTORY.grid_ms + HOUR_MS <= LAST_CLOSE + 20 * HOUR_MS)
        )
        gapped = without_candles(HISTORY, LEAVING, hole)
        report = replay(gapped, POLICY, WINDOW)
        assert report["exits"] == []
        after = LAST_CLOSE + 22 * HOUR_MS  # the candles are back, the gap is still seen
        i = gapped.index_of(LEAVING)
        ctx = context_at(gapped, after, POLICY, {i})
        assert ctx.table.reasons[ctx.positions[i]] == CANDLE_GAPS
        assert i not in ctx.composite
        for t in range(LAST_CLOSE + 2 * HOUR_MS, after + 1, WINDOW.every_h * HOUR_MS):
            assert LEAVING in at(report, t)["members"], iso(t)


class TestDropped:
    def test_a_leaving_member_no_outsider_can_replace_is_dropped_and_the_seats_close_up(
        self,
    ) -> None:
        history = random_walks(5, 24 * 24)
        config = policy_config(generated_run_config(), DEFAULTS, top=5)
        t = START + 2 * 24 * HOUR_MS
        gone = history.symbols[2]
        cut = without_candles(history, gone, closing_after(history, t - 30 * HOUR_MS))
        every = list(range(5))
        state = PolicyState(members=[Holding(i, i + 1, START) for i in every])
        ctx = context_at(cut, t, config, set(every))
        decision = step(ctx, state, config, run_id=1)
        assert decision.exits == [{"member": gone, "outsider": None, "reason": STALE}]
        assert sorted(decision.members) == sorted(s for s in history.symbols if s != gone)
        scores = [ctx.composite[cut.index_of(s)] for s in decision.members]
        assert scores == sorted(scores, reverse=True)  # reported by rank: best first
        assert [h.seat for h in state.members] == [1, 2, 3, 4]
        held = [history.symbols[h.index] for h in state.members]
        assert held == [s for s in history.symbols if s != gone]
        assert decision.added == [] and sum(decision.weights.values()) == 100


class TestGraceSetting:
    def test_the_runtime_setting_feeds_the_policy_and_its_hash(self) -> None:
        assert GRACE_H == 24.0
        stored = policy_config(generated_run_config(), {**DEFAULTS, "exit_grace_hours": 48}, SEED)
        overridden = policy_config(
            generated_run_config(), DEFAULTS, {**SEED, "policy": {"exit_grace_hours": 48}}
        )
        assert stored.exit_grace_hours == overridden.exit_grace_hours == 48.0
        assert policy_hash(stored) == policy_hash(overridden) != policy_hash(POLICY)

    def test_a_longer_grace_keeps_the_member_longer(self) -> None:
        longer = policy_config(
            generated_run_config(), DEFAULTS, {**SEED, "policy": {"exit_grace_hours": 48}}
        )
        report = replay(DELISTED, longer, WINDOW)
        [exit_] = report["exits"]
        assert exit_["at"] == iso(LAST_CLOSE + 50 * HOUR_MS)  # 50 h > 48 h, at 46 h it stayed
        assert LEAVING in at(report, EXIT_AT)["members"]
