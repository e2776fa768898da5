"""A history handed to the evidence worker through shared memory arrives as the service read
it (tables, dtypes, memory order, settlements known, known-but-none, unknown), and its block is
freed once the call is over."""

from __future__ import annotations

import dataclasses
from multiprocessing.shared_memory import SharedMemory

import numpy as np
import pytest

from app.replay.config import HOUR_MS, ReplayParams
from app.replay.history import Funding, MarketHistory
from app.replay.run import replay
from app.runtime.offload import EVIDENCE, in_worker
from app.services.replay.config import default_run_config, policy_config
from app.services.replay.shared_history import TABLES, SharedHistory, shared
from app.services.system.runtime_settings import DEFAULTS
from tests.replay_data import START_MS, random_walks


def loaded(history: SharedHistory) -> MarketHistory:
    return history.load()


def assert_same(got: MarketHistory, want: MarketHistory) -> None:
    assert (got.symbols, got.source) == (want.symbols, want.source)
    for name in TABLES:
        mine, theirs = getattr(got, name), getattr(want, name)
        assert mine.dtype == theirs.dtype and mine.shape == theirs.shape
        assert mine.flags.f_contiguous == theirs.flags.f_contiguous
        np.testing.assert_array_equal(mine, theirs)  # NaN holes where they were
    assert [f is None for f in got.funding] == [f is None for f in want.funding]
    for mine_f, theirs_f in zip(got.funding, want.funding, strict=True):
        if theirs_f is not None:
            assert mine_f is not None
            np.testing.assert_array_equal(mine_f.at_ms, theirs_f.at_ms, strict=True)
            np.testing.assert_array_equal(mine_f.rate, theirs_f.rate, strict=True)


async def test_a_history_reaches_the_worker_whole_and_its_block_is_freed_after() -> None:
    history = random_walks(6, 24 * 20, seed=11)
    funding: list[Funding | None] = list(history.funding)
    funding[2] = None  # unknown
    funding[4] = Funding(np.empty(0, np.int64), np.empty(0))  # known: none settled
    close = np.asfortranarray(history.close.copy())
    close[3, :50] = np.nan  # listed later
    history = dataclasses.replace(history, close=close, funding=funding, source="database")
    async with shared(history) as handle:
        assert_same(await in_worker(loaded, handle, worker=EVIDENCE), history)
        block = handle.arrays.block
    with pytest.raises(FileNotFoundError):
        SharedMemory(name=block)


async def test_a_replay_of_the_shared_history_equals_the_replay_of_the_history() -> None:
    history = random_walks(12, 24 * 45, seed=5)
    policy = policy_config(default_run_config(), DEFAULTS)
    params = ReplayParams(
        start_ms=START_MS + 24 * 32 * HOUR_MS, end_ms=START_MS + 24 * 44 * HOUR_MS, every_h=24
    )
    async with shared(history) as handle:
        arrived = await in_worker(loaded, handle, worker=EVIDENCE)
    assert replay(arrived, policy, params) == replay(history, policy, params)
