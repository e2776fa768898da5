"""The runtime settings as a service reads them: each value an operator stored, or its declared
default when none is (a freshly migrated database stores none); and the default scoring algorithm
the migrations seed is the code's."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.configuration.registry import DEFAULTS, SETTINGS
from app.configuration.service import ConfigurationService
from app.platform.db.models.system_configuration import SystemConfiguration
from app.platform.settings_store.fields import reads
from app.platform.settings_store.reader import read_setting, read_typed, read_values
from app.scoring.models import ScoringAlgorithm
from app.scoring.run_config import DEFAULT_ALGORITHMS


@dataclass(frozen=True)
class _Typed:
    interval: int = field(metadata=reads(SETTINGS["retention_interval_s"]))
    interval_s: float = field(metadata=reads(SETTINGS["stale_data_limit_s"]))  # widened
    margin: float = field(metadata=reads(SETTINGS["replacement_margin"]))
    method: str = field(metadata=reads(SETTINGS["weighting_method"]))
    autopilot: bool = field(metadata=reads(SETTINGS["autopilot"]))
    excluded: tuple[str, ...] = field(metadata=reads(SETTINGS["excluded_categories"]))


@dataclass(frozen=True)
class _Mistyped:
    margin: int = field(metadata=reads(SETTINGS["replacement_margin"]))  # a number as an int


async def test_typed_settings_come_back_as_the_casts_made_them(session: AsyncSession) -> None:
    """An integer stored as JSON 3600 is the int 3600, a number stored as JSON 8 the float 8.0
    (what `int(v[key])` and `float(v[key])` made of them)."""
    for key, value in (("retention_interval_s", 3600), ("replacement_margin", 8)):
        session.add(SystemConfiguration(key=key, value=value, updated_by="desk"))
    await session.flush()
    typed = await read_typed(session, _Typed)
    assert (typed.interval, type(typed.interval)) == (3600, int)
    assert (typed.margin, type(typed.margin)) == (8.0, float)
    assert type(typed.interval_s) is float and typed.interval_s == DEFAULTS["stale_data_limit_s"]
    assert typed.method == DEFAULTS["weighting_method"]
    assert typed.autopilot is DEFAULTS["autopilot"]
    assert typed.excluded == tuple(DEFAULTS["excluded_categories"])
    assert type(await read_setting(session, SETTINGS["retention_interval_s"], int)) is int
    assert type(await read_setting(session, SETTINGS["replacement_margin"], float)) is float


async def test_a_field_of_another_type_than_its_setting_is_refused(session: AsyncSession) -> None:
    with pytest.raises(TypeError, match="replacement_margin is number"):
        await read_typed(session, _Mistyped)
    with pytest.raises(TypeError, match="autopilot is boolean"):
        await read_setting(session, SETTINGS["autopilot"], int)


async def test_a_migrated_database_stores_no_setting(session: AsyncSession) -> None:
    assert (await session.scalars(select(SystemConfiguration.key))).all() == []


async def test_every_setting_reads_as_its_declared_default(session: AsyncSession) -> None:
    assert await read_values(session, SETTINGS.values()) == DEFAULTS


async def test_a_stored_value_wins_over_the_default(session: AsyncSession) -> None:
    session.add(SystemConfiguration(key="replacement_margin", value=7.5, updated_by="desk"))
    await session.flush()
    assert await read_setting(session, SETTINGS["replacement_margin"], float) == 7.5
    values = await read_values(
        session, [SETTINGS["replacement_margin"], SETTINGS["min_holding_hours"]]
    )
    assert values == {"replacement_margin": 7.5, "min_holding_hours": 24}


async def test_a_change_stores_only_the_value_set_with_who_and_when(
    session: AsyncSession,
) -> None:
    service = ConfigurationService(session)
    changes, _ = await service.update(
        {"replacement_margin": 8, "min_holding_hours": 24}, actor=Actor("desk")
    )
    assert [(c.key, c.old, c.new) for c in changes] == [("replacement_margin", 5.0, 8.0)]
    rows = (await session.scalars(select(SystemConfiguration))).all()
    assert [(r.key, r.value, r.updated_by) for r in rows] == [("replacement_margin", 8.0, "desk")]
    assert rows[0].updated_at is not None
    assert rows[0].description == SETTINGS["replacement_margin"].description


async def test_the_seeded_scoring_algorithm_is_the_code_default(session: AsyncSession) -> None:
    rows = (await session.scalars(select(ScoringAlgorithm))).all()
    seeded = {r.name: (float(r.weight), dict(r.parameters)) for r in rows}
    assert seeded == DEFAULT_ALGORITHMS
