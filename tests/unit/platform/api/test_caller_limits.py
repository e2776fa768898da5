"""The token buckets on a clock the tests move: burst, refill and the wait they answer; memory
bounded however many callers come (idle ones forgotten); a key this replica has not seen,
looked up within a budget, once, and remembered when unknown; what counts as a heavy read; one
cache key for one question; the shared anonymous readiness computed once per second."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.types import Message, Scope

from app.operations.readiness_cache import SharedReadiness
from app.operations.schemas import Status
from app.platform.core.environment_sections import LimitsEnvironment
from app.platform.core.errors import TooManyRequestsError
from app.platform.core.security import BootstrapKeyring
from app.platform.http.query_params import canonical_query
from app.platform.http.rate_limit import CallerLimits, TokenBuckets, is_heavy
from app.platform.http.stream_cap import SlottedStream, StreamSlots


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TestTokenBuckets:
    def test_a_burst_then_the_wait_for_the_next_token(self) -> None:
        clock = Clock()
        buckets = TokenBuckets("read", rate=2.0, burst=3, max_callers=10, clock=clock)
        assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
        assert buckets.take("a") == pytest.approx(0.5)
        assert buckets.take("b") == 0.0  # another caller, another bucket
        clock.now += 0.5
        assert buckets.take("a") == 0.0
        assert buckets.take("a") == pytest.approx(0.5)

    def test_a_refused_call_takes_nothing(self) -> None:
        clock = Clock()
        buckets = TokenBuckets("read", rate=1.0, burst=1, max_callers=10, clock=clock)
        buckets.take("a")
        for _ in range(5):
            assert buckets.take("a") == pytest.approx(1.0)
        clock.now += 1.0
        assert buckets.take("a") == 0.0

    def test_callers_rotating_addresses_never_hold_more_than_the_bound(self) -> None:
        clock = Clock()
        buckets = TokenBuckets("read", rate=1.0, burst=100, max_callers=1000, clock=clock)
        for n in range(100_000):
            buckets.take(f"address:10.{n >> 16}.{(n >> 8) & 255}.{n & 255}")
        assert len(buckets) == 1000

    def test_idle_buckets_are_forgotten(self) -> None:
        clock = Clock()
        buckets = TokenBuckets("read", rate=10.0, burst=10, max_callers=1000, clock=clock)
        for n in range(500):
            buckets.take(f"caller-{n}")
        clock.now += 1.0  # every bucket full again
        buckets.take("newcomer")
        assert len(buckets) == 1


class TestHeavy:
    @pytest.mark.parametrize(
        ("route", "method", "window", "heavy"),
        [
            ("get_correlation", None, None, True),
            ("get_portfolio_metrics", None, "24", True),
            ("get_timeline", None, None, True),
            ("get_replay_timeline", None, None, True),
            ("get_weights", "hrp", None, True),
            ("get_weights", "risk_parity", None, True),
            ("get_weights", "equal", None, False),
            ("get_weights", None, None, False),
            ("get_rankings", None, "720", False),
            ("get_rankings", None, "721", True),  # any window above the setting
            ("get_rankings", None, "abc", False),  # not a number: the route's own 422
        ],
    )
    def test_what_is_heavy(
        self, route: str, method: str | None, window: str | None, heavy: bool
    ) -> None:
        assert is_heavy(route, method, window, 720) is heavy


STORED = "msk_0000abcd_" + "s" * 43


class Lookups:
    """A key check that counts its calls: `STORED` is valid, any other key unknown, and
    `failing` makes it raise as a database that is down does."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.failing = False
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, presented: str) -> bool:
        self.calls.append(presented)
        await self.gate.wait()
        if self.failing:
            raise ConnectionRefusedError("database down")
        return presented == STORED


def limits_with(lookups: Lookups, **values: Any) -> CallerLimits:
    limits = CallerLimits(LimitsEnvironment(**values), BootstrapKeyring([]))
    limits.check_key = lookups
    return limits


def scope_with(key: str) -> Scope:
    return {"headers": [(b"x-api-key", key.encode())], "client": ("10.0.0.1", 40000)}


class TestKeysLookedUp:
    async def test_a_stored_key_is_looked_up_once_then_known(self) -> None:
        lookups = Lookups()
        limits = limits_with(lookups)
        assert limits.caller(scope_with(STORED)) == "address:10.0.0.1"
        assert await limits.recognised(STORED)
        assert limits.caller(scope_with(STORED)).startswith("key:")
        assert lookups.calls == [STORED]

    async def test_an_unknown_key_is_remembered_and_a_malformed_one_never_looked_up(
        self,
    ) -> None:
        lookups = Lookups()
        limits = limits_with(lookups)
        unknown = "msk_0000ffff_" + "u" * 43
        assert [await limits.recognised(unknown) for _ in range(5)] == [False] * 5
        assert not await limits.recognised("made-up")
        assert lookups.calls == [unknown]

    async def test_lookups_a_second_are_bounded(self) -> None:
        lookups = Lookups()
        limits = limits_with(lookups, key_lookups_burst=3, key_lookups_per_s=0.01)
        keys = [f"msk_{n:08x}_" + "u" * 43 for n in range(10)]
        assert [await limits.recognised(key) for key in keys] == [False] * 10
        assert lookups.calls == keys[:3]
        assert not await limits.recognised(STORED)  # the budget is spent for everyone

    async def test_callers_of_one_key_at_once_share_one_lookup(self) -> None:
        lookups = Lookups()
        lookups.gate.clear()
        limits = limits_with(lookups)
        waiting = [asyncio.ensure_future(limits.recognised(STORED)) for _ in range(20)]
        await asyncio.sleep(0)
        lookups.gate.set()
        assert await asyncio.gather(*waiting) == [True] * 20
        assert lookups.calls == [STORED]

    async def test_a_database_that_cannot_tell_is_asked_again(self) -> None:
        lookups = Lookups()
        lookups.failing = True
        limits = limits_with(lookups)
        assert not await limits.recognised(STORED)
        lookups.failing = False
        assert await limits.recognised(STORED)
        assert lookups.calls == [STORED, STORED]


class TestStreamSlots:
    def test_per_caller_then_in_all_and_given_back(self) -> None:
        slots = StreamSlots(per_caller=2, in_all=3)
        slots.take("a")
        slots.take("a")
        with pytest.raises(TooManyRequestsError) as per_key:
            slots.take("a")
        slots.take("b")
        with pytest.raises(TooManyRequestsError) as in_all:
            slots.take("c")
        assert per_key.value.extra == {"limit": "streams_per_key"}
        assert in_all.value.extra == {"limit": "streams_per_process"}
        slots.give_back("a")
        slots.take("c")
        assert slots.open == 3


class TestSlottedStream:
    async def test_holds_a_slot_only_while_it_is_sent(self) -> None:
        """Built by the route and never started (a dependency's teardown that fails, a client
        gone first): no slot held. Started: held while it streams, given back when done or
        when it fails. Refused as it starts, before any byte is sent."""
        slots = StreamSlots(per_caller=1, in_all=5)
        sent: list[Message] = []
        seen_open: list[int] = []

        async def lines(fail: bool) -> AsyncIterator[str]:
            seen_open.append(slots.open)
            yield "data: 1\n\n"
            if fail:
                raise RuntimeError("the stream broke")

        async def receive() -> Message:
            await asyncio.sleep(3600)  # the client never disconnects
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)

        def stream(fail: bool = False) -> SlottedStream:
            return SlottedStream(
                lines(fail), slots=slots, caller="k", media_type="text/event-stream", headers={}
            )

        scope: Scope = {"type": "http", "asgi": {"spec_version": "2.4"}}
        unstarted = stream()
        assert slots.open == 0
        await stream()(scope, receive, send)
        assert (seen_open, slots.open) == ([1], 0)
        with pytest.raises(RuntimeError):
            await stream(fail=True)(scope, receive, send)
        assert slots.open == 0
        slots.take("k")  # another stream of the same key, open
        sent.clear()
        with pytest.raises(TooManyRequestsError):
            await unstarted(scope, receive, send)
        assert sent == [] and slots.open == 1


class TestCanonicalQuery:
    def test_one_key_whatever_the_order_and_repeated_names_keep_theirs(self) -> None:
        assert canonical_query(b"limit=5&symbol=BTCUSDT") == canonical_query(
            b"symbol=BTCUSDT&limit=5"
        )
        assert canonical_query(b"b=2&a=1&a=0") == b"a=1&a=0&b=2"
        assert canonical_query(b"limit=5") == b"limit=5"


class TestSharedReadiness:
    async def test_one_computation_for_simultaneous_callers_then_once_a_second(self) -> None:
        clock = Clock()
        shared = SharedReadiness(ttl_s=1.0, clock=clock)
        calls = 0

        async def compute() -> Status:
            nonlocal calls
            calls += 1
            await asyncio.sleep(0.01)
            return Status(status="ready", ready=True)

        answers = await asyncio.gather(*(shared.get(compute) for _ in range(20)))
        assert calls == 1 and all(a.ready for a in answers)
        clock.now += 0.9
        await shared.get(compute)
        assert calls == 1
        clock.now += 0.2
        await shared.get(compute)
        assert calls == 2
