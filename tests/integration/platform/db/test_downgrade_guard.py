"""Downgrades that would destroy the record or the audit refuse unless forced (`-x force=1` or
MYSYMBOLS_ALLOW_DESTRUCTIVE_DOWNGRADE=1), on fresh PostgreSQL and SQLite databases: the
refused one leaves its tables and their rows."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from app.platform.db.downgrade_guard import FORCE_ENV, DestructiveDowngradeRefused
from tests.integration.platform.db.test_migrations import (
    fresh_url,
    inspect_database,
    migrate,
    table_names,
    version_numbers,
)

__all__ = ["fresh_url"]

# Each revision whose downgrade destroys the record or the audit, and a table it would drop.
DESTRUCTIVE = {
    "0011": "scoring_config_change",
    "0014": "configuration_change",
    "0021": "track_record",
    "0029": "forward_record",
}


def audit_rows(sync_conn: Connection) -> int:
    return int(sync_conn.scalar(text("SELECT count(*) FROM configuration_change")) or 0)


def write_audit_row(sync_conn: Connection) -> None:
    sync_conn.execute(
        text(
            "INSERT INTO configuration_change (changed_at, actor, key, new_value) "
            "VALUES (CURRENT_TIMESTAMP, 'admin', 'retention_event_days', '14')"
        )
    )
    sync_conn.commit()


class TestDestructiveDowngrades:
    @pytest.mark.parametrize(("revision", "table"), sorted(DESTRUCTIVE.items()))
    async def test_refuses_without_force_and_keeps_the_table(
        self, fresh_url: str, revision: str, table: str
    ) -> None:
        await migrate(fresh_url, "upgrade", revision)

        with pytest.raises(DestructiveDowngradeRefused, match=f"downgrading {revision}"):
            await migrate(fresh_url, "downgrade", "-1", force=False)

        assert table in await inspect_database(fresh_url, table_names)
        assert await inspect_database(fresh_url, version_numbers) == [revision]

    async def test_the_audit_keeps_its_rows_when_refused(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0014")
        await inspect_database(fresh_url, write_audit_row)

        with pytest.raises(DestructiveDowngradeRefused):
            await migrate(fresh_url, "downgrade", "0013", force=False)

        assert await inspect_database(fresh_url, audit_rows) == 1

    async def test_goes_ahead_when_forced_by_the_environment(
        self, fresh_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        await migrate(fresh_url, "upgrade", "0021")
        monkeypatch.setenv(FORCE_ENV, "1")

        await migrate(fresh_url, "downgrade", "0020", force=False)

        assert "track_record" not in await inspect_database(fresh_url, table_names)
        assert await inspect_database(fresh_url, version_numbers) == ["0020"]
