"""The one engine of this process's background runs: job runs (scheduled or requested over the
API), replays, calibrations and what-if runs alike.

Each kind keeps its runs in a ledger (`job_run`, `replay_run`) whose repository answers the same
`RunLedger` questions; what a run does stays with its runner
(`app.platform.scheduler.runs.JobRunner`, `app.lab.runner.ReplayRunner`). The engine owns what every
run shares:
- which runs live here, each with its task and `Tracker` (its progress; whether to stop);
- one heartbeat: every second, in one transaction, each live run says it is alive in its ledger,
  with its progress. SQLite is one process, whose writes take turns on its one writer: nobody
  reads a heartbeat there, so each beat only reads whether the row is still where the run left it;
- one rule for a run that has left its row (cancelled over the API, or aborted as abandoned by a
  peer): it is told to stop at its next safe point (`LiveRun.lost`);
- one staleness rule: no heartbeat for five beats means its process is gone;
- one start-up sweep of every ledger (SQLite: whatever was left pending, its one process gone);
- one wait, for a run of this process (its task) or of another replica (its row, polled);
- one stop: no new runs; live ones end at their next safe point or, after a short grace, where
  they are, and each records itself aborted (see `app.platform.runtime.progress`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.platform.core.clock import utcnow
from app.platform.runtime.background import cancel_and_wait
from app.platform.runtime.progress import Tracker
from app.platform.runtime.replica import replica_name

logger = logging.getLogger(__name__)

HEARTBEAT_S = 1.0
STALE_AFTER = timedelta(seconds=5)  # five missed heartbeats: the process is gone
ABORT_GRACE_S = 2.0  # how long a stopping process lets its runs reach their next safe point
POLL_S = 0.25  # following a run of another replica
PENDING = ("queued", "running")

T = TypeVar("T")
Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class RunLedger(Protocol):
    """The questions the engine asks a ledger's repository (flushes, never commits)."""

    async def beat(self, run_id: int, status: str, now: datetime, progress: float) -> bool:
        """Record that the run, in `status`, is alive at `now` with `progress`; False when its
        row is not in `status` any more."""
        ...

    async def status_of(self, run_id: int) -> str | None:
        """The run's recorded status (None: no such run)."""
        ...

    async def abort_stale(self, before: datetime, now: datetime) -> list[int]:
        """Abort the pending runs with no heartbeat since `before`; their ids. Writes only when
        there is such a run (a startup must not queue behind another writer)."""
        ...


Ledger = Callable[[AsyncSession], RunLedger]
"""A ledger's repository class, built on a session."""


class RunRow(Protocol):
    """A ledger's row, as read."""

    id: int
    status: str
    progress: float


Row = TypeVar("Row", bound=RunRow)


@dataclass
class LiveRun:
    """A run of this process."""

    ledger: Ledger
    run_id: int
    name: str  # the job, or the replay's kind: for the logs
    status: str  # the status its row beats in: a replay is queued, then running
    tracker: Tracker = field(default_factory=Tracker)
    lost: bool = False
    """Its row left `status` elsewhere (cancelled, or aborted as abandoned): it should stop."""
    beating: bool = True
    """False while the run's own transaction moves its row on (no beat could tell meanwhile)."""


class RunEngine:
    """Tracks, beats, sweeps, follows and stops the background runs of this process."""

    def __init__(
        self,
        sessions: Sessions,
        ledgers: Sequence[Ledger],
        *,
        single_process: bool,
        replica: str | None = None,
    ) -> None:
        self.sessions = sessions
        """Where the engine's own transactions are opened (the runners' too)."""
        self.ledgers = tuple(ledgers)
        self.single_process = single_process
        self.replica = replica or replica_name()
        """This process, as its runs' rows name it."""
        self.stopping = False
        self.swept = asyncio.Event()
        """Set once the start-up sweep of abandoned runs is over."""
        self._live: dict[tuple[Ledger, int], LiveRun] = {}
        self._tasks: dict[tuple[Ledger, int], asyncio.Task[Any]] = {}
        self._background: list[asyncio.Task[None]] = []
        self._closing = asyncio.Event()  # set once the runs have ended: the heartbeat stops

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Sweep the runs a stopped process left behind (in the background: the database may be
        slow or down at startup), and beat the heartbeats of this process's runs."""
        now = utcnow()  # now, not when the task runs: nothing this process claims is swept
        sweep = asyncio.create_task(self._sweep(self.stale_before(now) or now), name="runs-sweep")
        beat = asyncio.create_task(self._beat(), name="runs-heartbeats")
        self._background += [sweep, beat]

    async def stop(self, grace_s: float = ABORT_GRACE_S) -> None:
        """No new runs; the live ones end at their next safe point, or are cancelled after
        `grace_s`; each records its own end."""
        self.stopping = True
        for run in self._live.values():
            run.tracker.stopping = True
        tasks = list(self._tasks.values())
        if tasks:
            await asyncio.wait(tasks, timeout=grace_s)
        # Cancelled once: each records its own end, a write not to be cut short (a cancellation
        # swallowed on the way lets its run go on to that end).
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # The heartbeat ends between two beats, never inside one: a query cancelled midway can
        # leave its connection unusable (aiosqlite's, a test's shared one).
        self._closing.set()
        if self._background:
            await asyncio.wait(self._background, timeout=grace_s + HEARTBEAT_S)
        for task in self._background:
            await cancel_and_wait(task)
        self._background = []

    def stale_before(self, now: datetime) -> datetime | None:
        """Runs with no heartbeat since this moment are abandoned (None on SQLite: its one
        process knows its own runs, and writes no heartbeat)."""
        return None if self.single_process else now - STALE_AFTER

    # -- the runs of this process ------------------------------------------------------------

    def launch(
        self,
        ledger: Ledger,
        run_id: int,
        name: str,
        work: Callable[[LiveRun], Coroutine[Any, Any, T]],
        *,
        status: str = "running",
    ) -> asyncio.Task[T]:
        """Run `work` for run `run_id` (recorded in `ledger` in `status`) in the background."""
        key = (ledger, run_id)
        live = self._live[key] = LiveRun(ledger, run_id, name, status)
        live.tracker.stopping = self.stopping  # launched while stopping: it ends at once, aborted
        task = asyncio.create_task(work(live), name=f"{name}-{run_id}")
        self._tasks[key] = task

        def ended(_: object) -> None:
            self._live.pop(key, None)
            self._tasks.pop(key, None)

        task.add_done_callback(ended)
        return task

    def live(self, ledger: Ledger, run_id: int) -> LiveRun | None:
        return self._live.get((ledger, run_id))

    def live_in(self, ledger: Ledger) -> Iterator[LiveRun]:
        return (run for run in list(self._live.values()) if run.ledger is ledger)

    async def all_ended(self) -> None:
        """Until every run launched here has ended (a clean shutdown, and tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    def progress(self, ledger: Ledger, run_id: int) -> float | None:
        """The live progress of a run of this process (fresher than its row)."""
        live = self._live.get((ledger, run_id))
        return None if live is None else round(live.tracker.done, 6)

    def with_live_progress(self, ledger: Ledger, run: Row) -> Row:
        """`run` as read, with this process's live progress when it runs here: fresher than its
        row (written once a second on PostgreSQL, never on SQLite). Shown, not changed: the
        reader's session writes nothing back (on SQLite a read that wrote was refused once the
        runner had committed since its read, a 503)."""
        live = self.progress(ledger, run.id)
        if live is not None and run.status == "running":
            set_committed_value(run, "progress", live)
        return run

    async def wait(self, ledger: Ledger, run_id: int, timeout_s: float) -> None:
        """Until the run has ended, or `timeout_s` passed: a run of this process by its task,
        another replica's by its row."""
        task = self._tasks.get((ledger, run_id))
        if task is not None:
            await asyncio.wait([task], timeout=timeout_s)
            return
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            async with self.sessions() as session:
                if await ledger(session).status_of(run_id) not in PENDING:
                    return
            await asyncio.sleep(POLL_S)

    # -- heartbeats and the sweep ------------------------------------------------------------

    async def _beat(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), HEARTBEAT_S)
            if self._closing.is_set():
                return
            if not self._live:
                continue
            try:
                await self._beat_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database is down: the runs' own transactions will tell
                logger.warning("runs: heartbeats not written", exc_info=True)

    async def _beat_once(self) -> None:
        async with self.sessions() as session:
            now = utcnow()
            for run in list(self._live.values()):
                if not run.beating:
                    continue
                ledger = run.ledger(session)
                if self.single_process:
                    there = await ledger.status_of(run.run_id) == run.status
                else:
                    done = round(run.tracker.done, 6)
                    there = await ledger.beat(run.run_id, run.status, now, done)
                if not there and not run.lost:
                    run.lost = run.tracker.stopping = True
                    logger.info("runs: %s %d left %s elsewhere", run.name, run.run_id, run.status)
            await session.commit()

    async def _sweep(self, before: datetime) -> None:
        now = utcnow()
        try:
            async with self.sessions() as session:
                swept = [await ledger(session).abort_stale(before, now) for ledger in self.ledgers]
                await session.commit()
        except Exception:
            logger.warning("runs: abandoned runs not checked at startup", exc_info=True)
            return
        finally:
            self.swept.set()
        for ledger, ids in zip(self.ledgers, swept, strict=True):
            if ids:
                logger.warning(
                    "runs: %d %s run(s) left by a stopped process marked aborted",
                    len(ids),
                    getattr(ledger, "__name__", ledger),
                )
