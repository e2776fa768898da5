"""The registry of runtime settings (and the default scoring algorithm) and what the migrations
seed are one and the same."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from app.settings.typed.setting import setting
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.models.system_configuration import SystemConfiguration
from app.scoring.models import ScoringAlgorithm
from app.scoring.run_config import DEFAULT_ALGORITHMS
from app.settings.registry import (
    DEFAULTS,
    SETTINGS,
    read_setting,
    read_settings,
    read_typed,
)


@dataclass(frozen=True)
class _Typed:
    interval: int = field(metadata=setting("retention_interval_s"))
    interval_s: float = field(metadata=setting("stale_data_limit_s"))  # an integer, widened
    margin: float = field(metadata=setting("replacement_margin"))
    method: str = field(metadata=setting("weighting_method"))
    autopilot: bool = field(metadata=setting("autopilot"))
    excluded: tuple[str, ...] = field(metadata=setting("excluded_categories"))


@dataclass(frozen=True)
class _Mistyped:
    margin: int = field(metadata=setting("replacement_margin"))  # a number read as an int


async def test_typed_settings_come_back_as_the_casts_made_them(session: AsyncSession) -> None:
    """An integer stored as JSON 3600 is the int 3600, a number stored as JSON 8 the float 8.0
    (what `int(v[key])` and `float(v[key])` made of them)."""
    for key, value in (("retention_interval_s", 3600), ("replacement_margin", 8)):
        row = await session.get(SystemConfiguration, key)
        assert row is not None
        row.value = value
    await session.flush()
    typed = await read_typed(session, _Typed)
    assert (typed.interval, type(typed.interval)) == (3600, int)
    assert (typed.margin, type(typed.margin)) == (8.0, float)
    assert type(typed.interval_s) is float and typed.interval_s == DEFAULTS["stale_data_limit_s"]
    assert typed.method == DEFAULTS["weighting_method"]
    assert typed.autopilot is DEFAULTS["autopilot"]
    assert typed.excluded == tuple(DEFAULTS["excluded_categories"])
    assert type(await read_setting(session, "retention_interval_s", int)) is int
    assert type(await read_setting(session, "replacement_margin", float)) is float


async def test_a_field_of_another_type_than_its_setting_is_refused(session: AsyncSession) -> None:
    with pytest.raises(TypeError, match="replacement_margin is number"):
        await read_typed(session, _Mistyped)
    with pytest.raises(TypeError, match="autopilot is boolean"):
        await read_setting(session, "autopilot", int)


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
    assert await read_setting(session, "replacement_margin", float) == 7.5
    values = await read_settings(session, ["replacement_margin", "min_holding_hours"])
    assert values == {"replacement_margin": 7.5, "min_holding_hours": 24}


async def test_a_deleted_row_falls_back_to_the_registered_default(session: AsyncSession) -> None:
    row = await session.get(SystemConfiguration, "alert_cooldown_s")
    assert row is not None
    await session.delete(row)
    await session.flush()
    assert (
        await read_setting(session, "alert_cooldown_s", int) == DEFAULTS["alert_cooldown_s"] == 900
    )


async def test_the_seeded_scoring_algorithm_is_the_code_default(session: AsyncSession) -> None:
    rows = (await session.scalars(select(ScoringAlgorithm))).all()
    seeded = {r.name: (float(r.weight), dict(r.parameters)) for r in rows}
    assert seeded == DEFAULT_ALGORITHMS
