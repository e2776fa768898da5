"""WeightLimiter and CircuitBreaker on a fake clock: exact waits, no real sleeping."""

from __future__ import annotations

import pytest

from app.kucoin.breaker import BreakerState, CircuitBreaker
from app.kucoin.exchange_errors import CircuitOpen
from app.kucoin.ratelimit import TRANSIT_MARGIN_S, PoolExhausted, WeightLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class TestWeightLimiter:
    async def test_sends_up_to_the_quota_without_waiting(self, clock: FakeClock) -> None:
        limiter = WeightLimiter(10, 30, clock=clock, sleep=clock.sleep)
        for _ in range(5):
            await limiter.acquire(2)
        assert clock.slept == []
        assert limiter.used == 10

    async def test_waits_until_the_oldest_send_leaves_the_window(self, clock: FakeClock) -> None:
        limiter = WeightLimiter(10, 30, clock=clock, sleep=clock.sleep)
        await limiter.acquire(6)
        clock.now += 10
        await limiter.acquire(4)
        await limiter.acquire(3)  # needs the first 6 to expire: 20 s from now
        assert clock.slept == [20.0]

    async def test_follows_tighter_server_headers(self, clock: FakeClock) -> None:
        limiter = WeightLimiter(2000, 30, clock=clock, sleep=clock.sleep)
        limiter.observe(remaining=3, reset_ms=4500)
        await limiter.acquire(3)
        await limiter.acquire(3)
        assert clock.slept == [4.5 + TRANSIT_MARGIN_S]  # the reset, and the request's transit

    async def test_after_a_429_nothing_goes_out_until_the_reset(self, clock: FakeClock) -> None:
        limiter = WeightLimiter(2000, 30, clock=clock, sleep=clock.sleep)
        limiter.block_for(7.25)
        assert limiter.blocked_for_s == 7.25
        await limiter.acquire(1)
        assert clock.slept == [7.25]

    async def test_refuses_to_wait_longer_than_allowed(self, clock: FakeClock) -> None:
        limiter = WeightLimiter(2000, 30, clock=clock, sleep=clock.sleep)
        limiter.block_for(45)
        with pytest.raises(PoolExhausted) as caught:
            await limiter.acquire(1, max_wait_s=31)
        assert caught.value.wait_s == 45
        assert clock.slept == []
        assert limiter.used == 0

    async def test_weight_above_the_quota_is_a_programming_error(self, clock: FakeClock) -> None:
        with pytest.raises(ValueError, match="exceeds"):
            await WeightLimiter(5, 30, clock=clock, sleep=clock.sleep).acquire(6)


class TestCircuitBreaker:
    def test_opens_at_the_threshold_and_refuses(self, clock: FakeClock) -> None:
        breaker = CircuitBreaker(failure_threshold=3, reset_timeout_s=10, clock=clock)
        for _ in range(3):
            breaker.before_call()
            breaker.record_failure()
        assert breaker.state is BreakerState.OPEN
        with pytest.raises(CircuitOpen):
            breaker.before_call()
        assert breaker.snapshot().retry_in_s == 10

    def test_half_open_lets_exactly_one_probe_through(self, clock: FakeClock) -> None:
        breaker = CircuitBreaker(failure_threshold=1, reset_timeout_s=10, clock=clock)
        breaker.record_failure()
        clock.now += 10
        breaker.before_call()
        assert breaker.state is BreakerState.HALF_OPEN
        with pytest.raises(CircuitOpen, match="probe"):
            breaker.before_call()
        breaker.record_success()
        assert breaker.state is BreakerState.CLOSED
        breaker.before_call()

    def test_an_abandoned_probe_frees_the_slot(self, clock: FakeClock) -> None:
        breaker = CircuitBreaker(failure_threshold=1, reset_timeout_s=10, clock=clock)
        breaker.record_failure()
        clock.now += 10
        breaker.before_call()
        breaker.abandon_probe()
        breaker.before_call()  # a new probe may go
        assert breaker.state is BreakerState.HALF_OPEN

    def test_a_failed_probe_reopens_for_a_full_timeout(self, clock: FakeClock) -> None:
        breaker = CircuitBreaker(failure_threshold=2, reset_timeout_s=10, clock=clock)
        breaker.record_failure()
        breaker.record_failure()
        clock.now += 10
        breaker.before_call()
        breaker.record_failure()
        assert breaker.state is BreakerState.OPEN
        assert breaker.snapshot().retry_in_s == 10
        assert breaker.snapshot().times_opened == 2
