"""The scoring run configuration in force: the scoring algorithm rows and the runtime settings,
read from the database."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.settings_store.reader import read_typed
from app.scoring.repository import ScoringRepository
from app.scoring.run_config import RunConfig, run_config
from app.scoring.settings import ScoringSettings


async def load_run_config(
    session: AsyncSession, settings: ScoringSettings | None = None
) -> RunConfig:
    """The configuration in force now (`settings`: when the caller read them with its own)."""
    if settings is None:
        settings = await read_typed(session, ScoringSettings)
    algorithms = await ScoringRepository(session).algorithms()
    return run_config(
        [(a.name, float(a.weight), dict(a.parameters), a.is_active) for a in algorithms], settings
    )
