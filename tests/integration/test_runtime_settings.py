"""The registry of runtime settings (and the default scoring algorithm) and what the migrations
seed are one and the same."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import ScoringAlgorithm, SystemConfiguration
from app.services.scoring.config import DEFAULT_ALGORITHMS
from app.services.settings.registry import DEFAULTS, SETTINGS, read_setting, read_settings


async def test_migrations_seed_every_registered_setting_with_its_default(
    session: AsyncSession,
) -> None:
    rows = await session.execute(select(SystemConfiguration.key, SystemConfiguration.value))
    seeded = {key: value for key, value in rows.all()}
    assert seeded == DEFAULTS


async def test_the_exit_grace_is_seeded_with_the_registry_default_and_description(
    session: AsyncSession,
) -> None:
    row = await session.get(SystemConfiguration, "exit_grace_hours")
    assert row is not None
    assert (row.value, row.updated_by) == (24, "migration")
    assert row.description == SETTINGS["exit_grace_hours"].description


async def test_a_stored_value_wins_over_the_default(session: AsyncSession) -> None:
    row = await session.get(SystemConfiguration, "replacement_margin")
    assert row is not None
    row.value = 7.5
    await session.flush()
    assert await read_setting(session, "replacement_margin") == 7.5
    values = await read_settings(session, ["replacement_margin", "min_holding_hours"])
    assert values == {"replacement_margin": 7.5, "min_holding_hours": 24}


async def test_a_deleted_row_falls_back_to_the_registered_default(session: AsyncSession) -> None:
    row = await session.get(SystemConfiguration, "alert_cooldown_s")
    assert row is not None
    await session.delete(row)
    await session.flush()
    assert await read_setting(session, "alert_cooldown_s") == DEFAULTS["alert_cooldown_s"] == 900


async def test_the_seeded_scoring_algorithm_is_the_code_default(session: AsyncSession) -> None:
    rows = (await session.scalars(select(ScoringAlgorithm))).all()
    seeded = {r.name: (float(r.weight), dict(r.parameters)) for r in rows}
    assert seeded == DEFAULT_ALGORITHMS
