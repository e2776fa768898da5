"""A first start's progress as `/status` shows it, from the database (so any replica can say):
bootstrapping until a scoring run has scored anything; the step is the universe sync until the
universe is stored, then the score refresh."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.market.repository.symbols import MarketDataReads
from app.operations.schemas import BootstrapCheck
from app.platform.db.models import JobRun
from app.platform.db.repositories.jobs import JobRepository
from app.scoring.repository import ScoringRunReads

STEPS = ("universe_sync", "score_refresh")  # the scheduler's bootstrap steps, in order


class RunProgress(Protocol):
    def progress(self, run_id: int) -> float | None:
        """The live progress of a job run of this process."""
        ...


class WithJobs(Protocol):
    """What a first start's progress takes from the app's state: its job runner."""

    @property
    def jobs(self) -> RunProgress: ...


async def bootstrap_progress(state: WithJobs, session: AsyncSession) -> BootstrapCheck | None:
    """None once a run has scored anything; else the step under way and how far it is."""
    # The runs first, what they produced after: a run that commits between the reads then shows
    # as done (progress only moves forward), never as not yet started.
    jobs = JobRepository(session)
    runs = [await jobs.running(step) for step in STEPS]
    fractions = [_fraction(state, run) for run in runs]
    connection = await session.connection()
    if await ScoringRunReads(connection).has_scored_run():
        return None
    index = 1 if await MarketDataReads(connection).has_symbols() else 0
    step, running = STEPS[index], runs[index]
    last = await jobs.last_ended(step)
    problem = None if last is None or last.status == "succeeded" else last.problem
    return BootstrapCheck(
        step=step,
        step_progress=round(fractions[index], 6),
        progress=round((index + fractions[index]) / len(STEPS), 6),
        run_id=None if running is None else running.id,
        problem=problem,
    )


def _fraction(state: WithJobs, run: JobRun | None) -> float:
    """How far a running run is (this replica's live figure when it runs here); 0 if none."""
    if run is None:
        return 0.0
    live = state.jobs.progress(run.id)
    return min(max(run.progress if live is None else live, 0.0), 1.0)
