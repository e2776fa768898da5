"""A few of one kind of work at once in an event loop (`app.platform.runtime.turns`)."""

from __future__ import annotations

import asyncio
import threading

from app.platform.runtime.turns import Turns


class TestTurns:
    async def test_at_most_n_hold_a_turn_and_the_others_wait_theirs(self) -> None:
        turns, held, most = Turns(2), 0, 0
        two_held, release = asyncio.Event(), asyncio.Event()

        async def work() -> None:
            nonlocal held, most
            async with turns.taken():
                held += 1
                most = max(most, held)
                if held == 2:
                    two_held.set()
                await release.wait()
                held -= 1

        tasks = [asyncio.ensure_future(work()) for _ in range(5)]
        await two_held.wait()
        for _ in range(10):  # the other three had their chances
            await asyncio.sleep(0)
        assert (held, sum(t.done() for t in tasks)) == (2, 0)
        release.set()
        await asyncio.gather(*tasks)
        assert (held, most) == (0, 2)

    def test_each_event_loop_has_turns_of_its_own(self) -> None:
        """The tests run a loop each, and a service's process may run another beside: a turn
        held in one loop is never waited for in another."""
        turns = Turns(1)
        holding, done = threading.Event(), threading.Event()

        async def hold() -> None:
            async with turns.taken():
                holding.set()
                await asyncio.to_thread(done.wait, 30)

        async def take() -> str:
            async with turns.taken():
                return "taken"

        other = threading.Thread(target=asyncio.run, args=(hold(),))
        other.start()
        try:
            assert holding.wait(30)
            assert asyncio.run(asyncio.wait_for(take(), 10)) == "taken"
        finally:
            done.set()
            other.join(30)
