"""The one retry delay and the one background-task lifecycle."""

from __future__ import annotations

import asyncio

import pytest

from app.platform.runtime.background import BackgroundTask, cancel_and_wait
from app.platform.runtime.backoff import backoff_delay


class TestBackoffDelay:
    def test_doubles_from_the_base_with_half_fixed_and_half_random(self) -> None:
        assert backoff_delay(1, base_s=0.5, max_s=30, rng=lambda: 0.0) == 0.25
        assert backoff_delay(1, base_s=0.5, max_s=30, rng=lambda: 1.0) == 0.5
        assert backoff_delay(4, base_s=0.5, max_s=30, rng=lambda: 0.0) == 2.0
        assert backoff_delay(4, base_s=0.5, max_s=30, rng=lambda: 0.5) == 3.0

    def test_never_exceeds_the_cap(self) -> None:
        assert backoff_delay(40, base_s=0.5, max_s=30, rng=lambda: 1.0) == 30.0
        assert backoff_delay(40, base_s=0.5, max_s=30, rng=lambda: 0.0) == 15.0

    def test_an_attempt_below_one_waits_like_the_first(self) -> None:
        assert backoff_delay(0, base_s=2, max_s=30, rng=lambda: 0.0) == 1.0


class TestBackgroundTask:
    async def test_start_is_idempotent_stop_cancels_and_ready_is_signalled(self) -> None:
        started = 0
        stopped = asyncio.Event()

        async def body() -> None:
            nonlocal started
            started += 1
            task.mark_ready()
            try:
                await asyncio.Event().wait()
            finally:
                stopped.set()

        task = BackgroundTask("test-body", body)
        task.start()
        task.start()
        await task.wait_ready(1.0)
        assert task.running and started == 1
        await task.stop()
        assert stopped.is_set() and not task.running and not task.ready.is_set()

    async def test_waiting_for_a_body_that_never_gets_ready_times_out(self) -> None:
        task = BackgroundTask("never-ready", lambda: asyncio.sleep(10))
        task.start()
        with pytest.raises(TimeoutError):
            await task.wait_ready(0.01)
        await task.stop()

    async def test_a_finished_body_can_be_started_again(self) -> None:
        runs = 0

        async def body() -> None:
            nonlocal runs
            runs += 1

        task = BackgroundTask("short", body)
        for expected in (1, 2):
            task.start()
            for _ in range(10):
                if not task.running:
                    break
                await asyncio.sleep(0)
            assert not task.running and runs == expected
        await task.stop()


class TestCancelAndWait:
    async def test_a_cancellation_the_task_swallows_is_repeated_until_it_ends(self) -> None:
        swallowed = 0

        async def waits_for_work() -> None:
            nonlocal swallowed
            while True:
                try:
                    await asyncio.Event().wait()
                except asyncio.CancelledError:
                    if swallowed:
                        raise
                    swallowed += 1  # as SQLAlchemy's pool does during a force-close

        task = asyncio.create_task(waits_for_work())
        await asyncio.sleep(0)
        await asyncio.wait_for(cancel_and_wait(task), 5)
        assert task.cancelled() and swallowed == 1

    async def test_the_exception_a_task_ended_on_is_raised_its_cancellation_is_not(self) -> None:
        async def fails_when_cancelled() -> None:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                raise RuntimeError("cleanup failed") from None

        failing = asyncio.create_task(fails_when_cancelled())
        await asyncio.sleep(0)
        with pytest.raises(RuntimeError, match="cleanup failed"):
            await cancel_and_wait(failing)
        waiting = asyncio.create_task(asyncio.Event().wait())
        await asyncio.sleep(0)
        await cancel_and_wait(waiting)
        assert waiting.cancelled()
