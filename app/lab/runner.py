"""Runs queued replays, calibrations and what-ifs of the service's own history in the background
of this process.

A run is booked and its session released; the lab worker process reads the stored history
(with the warm-up its first decision needs) and computes it, one run at a time, and the report
it hands back, serialized, is stored. The run engine (`app.platform.runs.run_engine`) beats its
heartbeat while it waits for its turn and while it runs, with its progress, so a replica starting
meanwhile aborts only the runs whose replica is gone; a run the engine finds no longer queued or
running in its row (`DELETE /replays/{id}`) stops at its next step, and the cancel stands; one
that computes past `replay_time_limit_s` stops there too, and ends failed (`run-time-limit`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from app.books.replay_config import ReplaySettings
from app.lab import compute
from app.lab.repository import ReplayRepository
from app.lab.work import prepared
from app.platform.core.clock import utcnow
from app.platform.core.errors import (
    PROBLEM_TYPE_PREFIX,
    RUN_ABORTED,
    AppError,
    ValidationFailedError,
)
from app.platform.runs.run_engine import HEARTBEAT_S, LiveRun, RunEngine
from app.platform.runtime.heap import release_free_heap
from app.platform.runtime.offload import LAB, SharedProgress, in_worker
from app.platform.runtime.progress import RunAborted
from app.platform.settings_store.reader import read_typed

logger = logging.getLogger(__name__)
FAILED_SLUG = "replay-failed"
ABORTED = {**RUN_ABORTED, "detail": "the service stopped during the run; request it again"}


class RunCancelled(Exception):
    """The run's row was ended elsewhere (cancelled) while this process ran it."""


class RunOverTime(ValidationFailedError):
    """The run computed for its whole time limit (`replay_time_limit_s`) and was stopped."""

    slug, title = "run-time-limit", "Run time limit reached"

    def __init__(self, limit_s: float) -> None:
        super().__init__(
            f"the run computed for its whole time limit ({limit_s:g} s, the runtime setting "
            "replay_time_limit_s) and was stopped; ask for a shorter range, a longer interval "
            "or fewer members",
            extra={"time_limit_s": limit_s},
        )


class ReplayRunner:
    """Executes replay runs, one at a time, each in its own short transactions."""

    def __init__(self, engine: RunEngine) -> None:
        self.engine = engine
        self._slot = asyncio.Semaphore(1)

    def launch(self, run_id: int) -> None:
        """Start a committed, queued run in the background (on the event loop; returns at
        once)."""
        self.engine.launch(ReplayRepository, run_id, "replay", self._run, status="queued")

    async def ended(self, run_id: int, timeout_s: float) -> None:
        """Once run `run_id` has ended, or `timeout_s` passed."""
        await self.engine.wait(ReplayRepository, run_id, timeout_s)

    async def _run(self, live: LiveRun) -> None:
        run_id = live.run_id
        started = time.perf_counter()
        try:
            async with self._slot:
                started = time.perf_counter()
                await self._execute(live, started)
        except RunCancelled:
            logger.info("replays: run %d stopped: its row was ended elsewhere (cancelled)", run_id)
        except (RunAborted, asyncio.CancelledError):
            await self._finish(
                run_id, started, status="aborted", error=ABORTED["detail"], problem=ABORTED
            )
        except Exception as exc:
            if isinstance(exc, RunOverTime):
                logger.warning("replays: run %d stopped at its time limit", run_id)
            else:
                logger.exception("replay %d failed", run_id)
            await self._finish(
                run_id,
                started,
                status="failed",
                error=failure_of(run_id, exc),
                problem=failure_problem(run_id, exc),
            )
        finally:
            # A run's report passed through this process (megabytes of JSON for a
            # calibration): what it freed goes back to the system, as after a job's run.
            if not self.engine.stopping:
                await release_free_heap()

    async def _execute(self, live: LiveRun, started: float) -> None:
        run_id = live.run_id
        _stop_if_told(live)
        live.beating = False  # its row moves from queued to running in the claim below
        async with self.engine.sessions() as session:
            repository = ReplayRepository(session)
            # The claim first: a run cancelled before its turn never starts.
            now = utcnow()
            claimed = await repository.start(
                run_id, started_at=now, heartbeat_at=now, replica=self.engine.replica
            )
            if not claimed:
                return  # cancelled (or aborted) before its turn: it never starts
            run = await repository.get(run_id)
            assert run is not None  # just claimed
            settings = await read_typed(session, ReplaySettings)
            work = await prepared(session, run, settings)
            limit_s = settings.time_limit_s
            await repository.set(run_id, config=work.config, policy_hash=work.policy_hash)
            await session.commit()
        live.status, live.beating = "running", True
        # The session is released: the worker reads and computes while the engine beats.
        progress = SharedProgress()
        try:
            computing = asyncio.ensure_future(
                in_worker(
                    compute.stored,
                    work.compute,
                    work.finish,
                    work.config_hash,
                    work.scorer,
                    progress.channel,
                    work.history,
                    *work.args,
                    worker=LAB,
                )
            )
            computing.add_done_callback(_retrieved)
            while not computing.done():
                await asyncio.wait({computing}, timeout=HEARTBEAT_S)
                live.tracker.report(progress.done)
                _stop_if_told(live)  # the `finally` stops the worker at its next step
                if time.perf_counter() - started > limit_s:
                    raise RunOverTime(limit_s)
            result = computing.result()
        finally:
            progress.stop()  # cancelled (the run or the service): the worker ends at its next step
            progress.close()
        await self._finish(
            run_id,
            started,
            status="succeeded",
            report=result.report,
            config_hash=result.config_hash,
            progress=1.0,
        )

    async def _finish(self, run_id: int, started: float, **values: Any) -> None:
        """End the run with `values`, unless it has ended already (a cancel stands)."""
        duration_ms = round((time.perf_counter() - started) * 1000, 3)
        async with self.engine.sessions() as session:
            await ReplayRepository(session).finish(
                run_id,
                finished_at=utcnow(),
                duration_ms=duration_ms,
                replica=self.engine.replica,
                **values,
            )
            await session.commit()


def _stop_if_told(live: LiveRun) -> None:
    """End the run here if its row was ended elsewhere, or its process is stopping."""
    if live.lost:
        raise RunCancelled(live.run_id)
    if live.tracker.stopping:
        raise RunAborted("the service is stopping")


def failure_of(run_id: int, exc: Exception) -> str:
    """What a failed run shows to read keys (its `error`): its problem type and the run's id, and
    the detail of an error written for clients; never an exception's own text (it may carry a
    query, a path or a connection string), which goes to the log only."""
    if isinstance(exc, AppError):
        return f"{exc.type}: run {run_id}: {exc.detail}"
    return f"{PROBLEM_TYPE_PREFIX}{FAILED_SLUG}: run {run_id} failed; the service log has the cause"


def failure_problem(run_id: int, exc: Exception) -> dict[str, Any]:
    """The problem a failed run records in its ledger, as a failed job run does (same rule)."""
    if isinstance(exc, AppError):
        return {**exc.problem(), "run_id": run_id}
    return {
        "type": PROBLEM_TYPE_PREFIX + FAILED_SLUG,
        "title": "Replay failed",
        "status": 500,
        "detail": "the run failed on an unexpected error; the service log has it under the "
        "run's id",
        "run_id": run_id,
    }


def _retrieved(future: asyncio.Future[Any]) -> None:
    """A computation its run stopped waiting for ends on its own: its outcome is not news."""
    if not future.cancelled():
        future.exception()
