"""Migration 0041: the rows of `system_configuration` that merely copy a seeded default go; the
values an operator set, and the record of changes, stay; the configuration API answers as
before; the downgrade seeds the copies again."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.configuration.registry import SETTINGS
from app.configuration.service import ConfigurationService
from app.scoring.scorers.shortlist import MAX_PORTFOLIO_SYMBOLS
from tests.integration.platform.db.test_migrations import fresh_url, inspect_database, migrate

__all__ = ["fresh_url"]  # the fixture: an empty database of its own

MIGRATION = (
    Path(__file__).resolve().parents[4] / "alembic/versions/0041_settings_stored_when_changed.py"
)


def migration_0041() -> Any:
    spec = importlib.util.spec_from_file_location("migration_0041", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def test_the_databases_rank_cap_falls_back_to_the_declared_default() -> None:
    """Without a stored `max_portfolio_symbols`, the triggers cap active ranks at its default:
    the migration's copy of it, which a change of the declaration must carry to the triggers."""
    assert MAX_PORTFOLIO_SYMBOLS.default == migration_0041().RANK_CAP_DEFAULT


def default_changed_since() -> set[str]:
    """The settings whose declared default a later release changed from the seed 0041 dropped
    (`scoring_candles`, 500 then, 721 since): a dropped copy of one reads as the new default."""
    return {
        key
        for key, (seeded, _) in migration_0041().SEEDED.items()
        if key in SETTINGS and SETTINGS[key].default != seeded
    }


def stored(sync_conn: Connection) -> dict[str, tuple[Any, str | None]]:
    rows = sync_conn.execute(
        text("SELECT key, CAST(value AS TEXT), updated_by FROM system_configuration")
    )
    return {k: (json.loads(v), by) for k, v, by in rows}


def changes(sync_conn: Connection) -> int:
    return int(sync_conn.execute(text("SELECT count(*) FROM configuration_change")).scalar_one())


def operator_sets(sync_conn: Connection) -> None:
    """What `PUT /config` leaves: two values an operator set (one back at its default), a
    migration-written row whose value someone edited by hand, and their change record."""
    for key, value, by in (
        ("replacement_margin", 7.5, "desk"),
        ("max_portfolio_symbols", 10, "desk"),
        ("alert_cooldown_s", 60, "migration"),
    ):
        sync_conn.execute(
            text("UPDATE system_configuration SET value = :v, updated_by = :by WHERE key = :k"),
            {"v": json.dumps(value), "by": by, "k": key},
        )
    sync_conn.execute(
        text(
            "INSERT INTO configuration_change (changed_at, actor, key, old_value, new_value) "
            "VALUES (CURRENT_TIMESTAMP, 'desk', 'replacement_margin', '5.0', '7.5')"
        )
    )
    sync_conn.commit()


async def listing(url: str) -> list[tuple[str, Any, bool]]:
    """`GET /config`'s settings, as the service lists them (a number as a number: some seeds
    wrote `40` where the declared default is `40.0`)."""
    engine = create_async_engine(url)
    try:
        async with AsyncSession(engine) as session:
            found = await ConfigurationService(session).list_settings()
    finally:
        await engine.dispose()
    return [(s.setting.key, s.value, type(s.value) is bool) for s in found]


class TestSettingsStoredWhenChanged:
    async def test_a_fresh_database_holds_no_setting(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "head")
        assert await inspect_database(fresh_url, stored) == {}

    async def test_an_upgrade_keeps_what_an_operator_set(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0040")
        seeded = await inspect_database(fresh_url, stored)
        assert len(seeded) == 62 and {by for _, by in seeded.values()} == {"migration"}
        await inspect_database(fresh_url, operator_sets)
        before = await listing(fresh_url)
        await migrate(fresh_url, "upgrade", "0041")
        assert await inspect_database(fresh_url, stored) == {
            "replacement_margin": (7.5, "desk"),
            "max_portfolio_symbols": (10, "desk"),
            "alert_cooldown_s": (60, "migration"),
        }
        assert await inspect_database(fresh_url, changes) == 1
        changed = default_changed_since()
        assert changed == {"scoring_candles"}
        after = await listing(fresh_url)
        assert [s for s in after if s[0] not in changed] == [
            s for s in before if s[0] not in changed
        ]

    async def test_the_downgrade_seeds_the_copies_again(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0040")
        seeded = await inspect_database(fresh_url, stored)
        await migrate(fresh_url, "upgrade", "0041")
        await migrate(fresh_url, "downgrade", "0040")
        assert await inspect_database(fresh_url, stored) == seeded
