"""Runs queued replays, calibrations and what-ifs of the service's own history in the background
of this process.

A run is booked and its session released; the evidence worker process reads the stored history
(with the warm-up its first decision needs) and computes it, one run at a time, and the report
it hands back, serialized, is stored.
Its progress and a heartbeat are written every second, so a reader can tell a live run from one
whose replica died; while it waits for its turn, the replica that queued it beats its heart
too, so a replica starting meanwhile aborts only the runs whose replica is gone. Each heartbeat
is also the run's check for cancellation (`DELETE /replays/{id}`): a run no longer queued or
running there stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import utcnow
from app.core.errors import PROBLEM_TYPE_PREFIX, AppError
from app.db.repositories.replays import ReplayRepository
from app.runtime.offload import EVIDENCE, SharedProgress, in_worker, prestart
from app.runtime.progress import RunAborted
from app.services.replay import reports, worker
from app.services.replay.work import prepared

logger = logging.getLogger(__name__)
HEARTBEAT_S = 1.0
ABANDONED_AFTER = timedelta(seconds=30)
FAILED_SLUG = "replay-failed"


class RunCancelled(Exception):
    """The run's row was ended elsewhere (cancelled) while this process ran it."""


class ReplayRunner:
    """Executes replay runs, one at a time, each in its own short transactions."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, single_process: bool = False
    ) -> None:
        self.sessionmaker = sessionmaker
        # SQLite is one process: no peer reads a queued run's heartbeat, so none is written
        # (each would be one more writer for the one lock).
        self.single_process = single_process
        self._slot = asyncio.Semaphore(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._running: dict[int, asyncio.Task[None]] = {}

    def start(self) -> None:
        """At startup, in the background (the database may be slow or down): abort the runs a
        stopped process left behind; and start the evidence worker (about 110 MB), so that the
        process's first run does not pay its spawn and imports beside the event loop."""
        for module in (worker, reports):  # what a run's call names, by module
            prestart(module.__name__, worker=EVIDENCE)
        task = asyncio.create_task(self._abort_abandoned(), name="replay-sweep")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _abort_abandoned(self) -> None:
        now = utcnow()
        try:
            async with self.sessionmaker() as session:
                count = await ReplayRepository(session).abort_abandoned(now - ABANDONED_AFTER, now)
                await session.commit()
        except Exception:
            logger.warning("replays: abandoned runs not checked at startup", exc_info=True)
            return
        if count:  # any replica's: a live run beats its heartbeat every second
            logger.warning("%d replay run(s) left by a stopped process marked aborted", count)

    def launch(self, run_id: int) -> None:
        """Start a committed, queued run in the background (on the event loop; returns at
        once)."""
        task = asyncio.create_task(self._run(run_id), name=f"replay-{run_id}")
        self._tasks.add(task)
        self._running[run_id] = task
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _: self._running.pop(run_id, None))

    async def ended(self, run_id: int, timeout_s: float) -> None:
        """Once run `run_id`, launched here, has ended, or `timeout_s` passed (at once when it
        is not running here: ended already, or another replica's)."""
        task = self._running.get(run_id)
        if task is not None:
            await asyncio.wait({task}, timeout=timeout_s)

    async def wait(self) -> None:
        """Until every launched run has finished (tests, and a clean shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.wait()

    async def _run(self, run_id: int) -> None:
        waiting = None
        if not self.single_process:
            waiting = asyncio.create_task(self._beat_while_queued(run_id), name=f"replay-{run_id}q")
        try:
            async with self._slot:
                if waiting is not None:
                    waiting.cancel()
                await self._execute(run_id)
        except RunCancelled:
            logger.info("replays: run %d stopped, cancelled while it ran", run_id)
        except (RunAborted, asyncio.CancelledError):
            await self._finish(
                run_id,
                status="aborted",
                error="the service stopped during the run; request it again",
            )
        except Exception as exc:
            logger.exception("replay %d failed", run_id)
            await self._finish(run_id, status="failed", error=failure_of(run_id, exc))
        finally:
            if waiting is not None:
                waiting.cancel()

    async def _beat_while_queued(self, run_id: int) -> None:
        """While the run waits for this replica's slot: its heartbeat every second, so a
        starting peer sees it is looked after. Stops when it is no longer queued."""
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            try:
                async with self.sessionmaker() as session:
                    beating = await ReplayRepository(session).heartbeat(run_id, "queued", utcnow())
                    await session.commit()
            except Exception:  # the database blinked: the next beat tries again
                logger.warning("replays: queued run %d's heartbeat failed", run_id, exc_info=True)
                continue
            if not beating:
                return

    async def _execute(self, run_id: int) -> None:
        async with self.sessionmaker() as session:
            repository = ReplayRepository(session)
            # The claim first, the transaction's first statement: on SQLite it waits for the
            # write lock instead of failing on a snapshot a request's write has moved past.
            if not await repository.start(run_id, started_at=utcnow(), heartbeat_at=utcnow()):
                return  # cancelled (or aborted) before its turn: it never starts
            run = await repository.get(run_id)
            assert run is not None  # just claimed
            work = await prepared(session, run)
            await repository.set(run_id, config=work.config, policy_hash=work.policy_hash)
            await session.commit()
        # The session is released: the worker reads and computes while this loop beats the heart.
        progress = SharedProgress()
        try:
            computing = asyncio.ensure_future(
                in_worker(
                    worker.stored,
                    work.compute,
                    work.finish,
                    work.config_hash,
                    work.scorer,
                    progress.channel,
                    work.history,
                    *work.args,
                    worker=EVIDENCE,
                )
            )
            computing.add_done_callback(_retrieved)
            while not computing.done():
                await asyncio.wait({computing}, timeout=HEARTBEAT_S)
                async with self.sessionmaker() as session:
                    running = await ReplayRepository(session).heartbeat(
                        run_id, "running", utcnow(), progress=round(progress.done, 6)
                    )
                    await session.commit()
                if not running:  # cancelled: the `finally` stops the worker at its next step
                    raise RunCancelled(run_id)
            result = computing.result()
        finally:
            progress.stop()  # cancelled (the run or the service): the worker ends at its next step
            progress.close()
        await self._finish(
            run_id,
            status="succeeded",
            report=result.report,
            config_hash=result.config_hash,
            progress=1.0,
        )

    async def _finish(self, run_id: int, **values: Any) -> None:
        """End the run with `values`, unless it has ended already (a cancel stands)."""
        async with self.sessionmaker() as session:
            await ReplayRepository(session).finish(run_id, finished_at=utcnow(), **values)
            await session.commit()


def failure_of(run_id: int, exc: Exception) -> str:
    """What a failed run stores and shows to read keys: its problem type and the run's id, and
    the detail of an error written for clients; never an exception's own text (it may carry a
    query, a path or a connection string), which goes to the log only."""
    if isinstance(exc, AppError):
        return f"{exc.type}: run {run_id}: {exc.detail}"
    return f"{PROBLEM_TYPE_PREFIX}{FAILED_SLUG}: run {run_id} failed; the service log has the cause"


def _retrieved(future: asyncio.Future[Any]) -> None:
    """A computation its run stopped waiting for ends on its own: its outcome is not news."""
    if not future.cancelled():
        future.exception()
