"""Runs queued replays and calibrations of the service's own history in the background of this
process.

A run loads the stored history (with the warm-up its first decision needs), replays it off the
event loop (in a worker thread, one run at a time) and stores the report; its progress and a
heartbeat are written every second, so a reader can tell a live run from one whose replica died.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.calibration.run import calibrate
from app.db.repositories.replays import ReplayRepository
from app.db.types import utcnow
from app.progress import RunAborted
from app.replay.config import config_json, policy_hash
from app.replay.run import replay
from app.services.replay.db_source import load_db_history
from app.services.replay.service import (
    calibration_params_of,
    deployment_policy,
    params_of,
    warm_up,
)

logger = logging.getLogger(__name__)
HEARTBEAT_S = 1.0
ABANDONED_AFTER = timedelta(seconds=30)


class ReplayRunner:
    """Executes replay runs, one at a time, each in its own short transactions."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker
        self._slot = asyncio.Semaphore(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = False

    def start(self) -> None:
        """At startup, in the background (the database may be slow or down): abort the runs a
        stopped process left behind."""
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
        task.add_done_callback(self._tasks.discard)

    async def wait(self) -> None:
        """Until every launched run has finished (tests, and a clean shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        self._stopping = True
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.wait()

    async def _run(self, run_id: int) -> None:
        async with self._slot:
            try:
                await self._execute(run_id)
            except (RunAborted, asyncio.CancelledError):
                await self._finish(
                    run_id, status="aborted", error="the service stopped during the run; "
                    "request it again",
                )  # fmt: skip
            except Exception as exc:
                logger.exception("replay %d failed", run_id)
                await self._finish(run_id, status="failed", error=f"{type(exc).__name__}: {exc}")

    async def _execute(self, run_id: int) -> None:
        async with self.sessionmaker() as session:
            repository = ReplayRepository(session)
            run = await repository.get(run_id)
            if run is None or run.status != "queued":
                return
            params = params_of(run)
            policy = await deployment_policy(
                session, run.params.get("overrides"), run.params.get("top")
            )
            history = await load_db_history(
                session, run.data_from - warm_up(policy, params), run.data_to
            )
            config = config_json(policy, params)
            await repository.set(
                run_id, status="running", started_at=utcnow(), heartbeat_at=utcnow(),
                config=config, policy_hash=policy_hash(policy),
            )  # fmt: skip
            await session.commit()
            calibration = calibration_params_of(run, params) if run.kind == "calibration" else None
        done = [0.0]

        def progress(finished: int, total: int) -> None:
            if self._stopping:
                raise RunAborted("the service is stopping")  # ends at this decision
            done[0] = finished / total

        def staged(stage: str, finished: int, total: int) -> None:
            # Choosing per fold is most of a calibration; the out-of-sample run the rest.
            progress(finished if stage == "testing" else 9 * finished, 10 * total)

        if calibration is not None:
            body = functools.partial(calibrate, history, policy, calibration, staged)
        else:
            body = functools.partial(replay, history, policy, params, progress)
        work = asyncio.create_task(asyncio.to_thread(body))
        while not work.done():
            await asyncio.wait({work}, timeout=HEARTBEAT_S)
            async with self.sessionmaker() as session:
                await ReplayRepository(session).heartbeat(run_id, round(done[0], 6), utcnow())
                await session.commit()
        report: dict[str, Any] = work.result()
        await self._finish(
            run_id, status="succeeded", report=report, config_hash=report["config_hash"],
            progress=1.0,
        )  # fmt: skip

    async def _finish(self, run_id: int, **values: Any) -> None:
        async with self.sessionmaker() as session:
            await ReplayRepository(session).set(run_id, finished_at=utcnow(), **values)
            await session.commit()
