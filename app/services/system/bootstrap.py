"""A first start's progress as `/status` shows it, from the database (so any replica can say):
bootstrapping until a scoring run has scored anything; the step is the universe sync until the
universe is stored, then the score refresh."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories.jobs import JobRepository
from app.db.repositories.system import SystemRepository
from app.schemas.system import BootstrapCheck
from app.state import AppState

STEPS = ("universe_sync", "score_refresh")  # the scheduler's bootstrap steps, in order


async def bootstrap_progress(state: AppState, session: AsyncSession) -> BootstrapCheck | None:
    """None once a run has scored anything; else the step under way and how far it is."""
    system = SystemRepository(await session.connection())
    if await system.has_scored_run():
        return None
    index = 1 if await system.has_symbols() else 0
    step = STEPS[index]
    jobs = JobRepository(session)
    running = await jobs.running(step)
    fraction = 0.0
    if running is not None:
        live = state.jobs.progress(running.id)
        fraction = min(max(running.progress if live is None else live, 0.0), 1.0)
    last = await jobs.last_ended(step)
    problem = None if last is None or last.status == "succeeded" else last.problem
    return BootstrapCheck(
        step=step,  # type: ignore[arg-type]  # one of the literal's values
        step_progress=round(fraction, 6),
        progress=round((index + fraction) / len(STEPS), 6),
        run_id=None if running is None else running.id,
        problem=problem,
    )
