"""WeightLimiter with a shared window on a fake clock: who decides, the fallback share, the way
back, and the spend ledger."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from app.kucoin import spend
from app.kucoin.ratelimit import WeightLimiter
from app.kucoin.shared_budget import SharedWindowUnavailable
from app.platform.db.rate_budget import wait_for_room
from tests.unit.kucoin.test_ratelimit_breaker import FakeClock


class MemoryWindow:
    """A shared window in memory, on the same fake clock (the database's stands in tests of
    `app.platform.db.rate_budget`); `down` makes it unreachable."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[tuple[float, int]] = []
        self.holds: list[float] = []
        self.down = False

    async def spend(self, weight: int, quota: int, window_s: float) -> float:
        if self.down:
            raise SharedWindowUnavailable("ConnectionRefusedError")
        now = self.clock()
        self.sent = [(at, w) for at, w in self.sent if at > now - window_s]
        used = sum(w for _, w in self.sent)
        if used + weight <= quota:
            self.sent.append((now, weight))
            return 0.0
        return self.sent[0][0] + window_s - now

    async def used(self, window_s: float) -> int:
        if self.down:
            raise SharedWindowUnavailable("ConnectionRefusedError")
        return sum(w for at, w in self.sent if at > self.clock() - window_s)

    async def record(self, sent_ago: list[tuple[float, int]]) -> None:
        if self.down:
            raise SharedWindowUnavailable("ConnectionRefusedError")
        self.sent = sorted(self.sent + [(self.clock() - ago, w) for ago, w in sent_ago])

    async def hold(self, seconds: float, quota: int, window_s: float) -> None:
        if self.down:
            raise SharedWindowUnavailable("ConnectionRefusedError")
        self.holds.append(seconds)
        self.sent = sorted([*self.sent, (self.clock() + seconds - window_s, quota)])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def limiter(clock: FakeClock, window: MemoryWindow, replicas: int = 2) -> WeightLimiter:
    return WeightLimiter(
        100,
        30.0,
        shared=window,
        replicas=replicas,
        retry_shared_s=10.0,
        clock=clock,
        sleep=clock.sleep,
    )


class TestSharedMode:
    async def test_another_replicas_spend_makes_this_one_wait(self, clock: FakeClock) -> None:
        window = MemoryWindow(clock)
        mine, theirs = limiter(clock, window), limiter(clock, window)
        await theirs.acquire(90)
        await mine.acquire(10)
        assert clock.slept == []
        await mine.acquire(5)  # 105 > 100 together, though this replica sent only 10
        assert clock.slept == [30.0]
        assert mine.mode == "shared" and mine.waited_s == 30.0
        assert await mine.available() == 100 - 5

    async def test_unreachable_falls_back_to_the_share_then_returns(self, clock: FakeClock) -> None:
        window = MemoryWindow(clock)
        budget = limiter(clock, window, replicas=4)
        window.down = True
        await budget.acquire(25)  # the share: 100 / 4
        assert budget.mode == "fallback" and budget.local_quota == 25
        assert budget.snapshot().fallback_reason == "ConnectionRefusedError"
        await budget.acquire(1)  # over the share: waits for its own send to leave
        assert clock.slept == [30.0]
        window.down = False
        clock.now += 10.0  # past the retry delay
        await budget.acquire(1)
        assert budget.mode == "shared" and budget.local_quota == 100
        # The send made 10 s ago while falling back still counts: handed over first. The first
        # one (40 s ago) has left the window.
        assert window.sent == [(clock.now - 10.0, 1), (clock.now, 1)]

    async def test_what_a_replica_sent_while_falling_back_counts_for_the_others(
        self, clock: FakeClock
    ) -> None:
        window = MemoryWindow(clock)
        lost, other = limiter(clock, window), limiter(clock, window)
        window.down = True
        await lost.acquire(50)  # its share: 100 / 2
        window.down = False
        clock.now += 10.0
        await lost.acquire(10)  # back: hands over the 50
        await other.acquire(40)
        assert clock.slept == []
        await other.acquire(1)  # 50 + 10 + 40: full until the 50 leaves, 20 s from now
        assert clock.slept == [20.0]

    async def test_a_429_holds_every_replica_until_the_reset(self, clock: FakeClock) -> None:
        window = MemoryWindow(clock)
        hit, other = limiter(clock, window), limiter(clock, window)
        await hit.acquire(5)
        hit.block_for(12.0)  # KuCoin: 429, reset in 12 s
        await asyncio.sleep(0)  # the hold is written by a task of its own
        assert await other.available() == 0
        await other.acquire(5)
        assert clock.slept == [pytest.approx(12.0)]
        assert other.mode == hit.mode == "shared"

    async def test_a_429_seen_while_falling_back_is_shared_on_the_way_back(
        self, clock: FakeClock
    ) -> None:
        window = MemoryWindow(clock)
        hit = limiter(clock, window)
        window.down = True
        await hit.acquire(5)
        hit.block_for(12.0)
        await asyncio.sleep(0)
        assert window.holds == []  # nobody to tell yet
        window.down = False
        clock.now += 10.0  # past the retry delay: back, with 2 s of the reset left
        await hit.acquire(1)
        assert window.holds == [pytest.approx(2.0)] and hit.mode == "shared"

    async def test_a_hold_lasts_one_window_at_most(self, clock: FakeClock) -> None:
        window = MemoryWindow(clock)
        hit = limiter(clock, window)
        await hit.acquire(5)
        hit.block_for(3600.0)  # a reset header no KuCoin window gives
        await asyncio.sleep(0)
        assert window.holds == [30.0]

    async def test_without_a_window_the_limiter_is_the_budget(self, clock: FakeClock) -> None:
        alone = WeightLimiter(100, 30.0, clock=clock, sleep=clock.sleep)
        await alone.acquire(100)
        assert alone.mode == "local" and await alone.available() == 0


class TestLedger:
    async def test_waits_go_to_the_ledger_of_the_current_context(self, clock: FakeClock) -> None:
        budget = WeightLimiter(10, 30.0, clock=clock, sleep=clock.sleep)
        await budget.acquire(10)
        with spend.recording() as ledger:
            await budget.acquire(4)
            spend.charge("depth", 5)
            spend.charge("depth", 5)
        spend.charge("depth", 5)  # outside: nobody's
        assert ledger.to_json() == {
            "weight": 10,
            "weight_by_endpoint": {"depth": 10},
            "requests_by_endpoint": {"depth": 2},
            "limiter_wait_s": 30.0,
        }


class TestWaitForRoom:
    NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)

    def test_fits_or_waits_for_the_oldest_sends_to_leave(self) -> None:
        sent = [(self.NOW - timedelta(seconds=20), 60), (self.NOW - timedelta(seconds=5), 30)]
        assert wait_for_room(sent, 10, 100, 30.0, self.NOW) == 0.0
        assert wait_for_room(sent, 11, 100, 30.0, self.NOW) == pytest.approx(10.0)
        assert wait_for_room(sent, 71, 100, 30.0, self.NOW) == pytest.approx(25.0)
