"""Migration 0039: each record's job gets its own interval, copied from the one they shared
(`track_record_interval_s`), which stays until a later release (expand only)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, text

from tests.integration.platform.db.test_migrations import fresh_url, inspect_database, migrate

__all__ = ["fresh_url"]  # the fixture: an empty database of its own

KEYS = ("track_record_interval_s", "as_run_record_interval_s", "forward_record_interval_s")


def intervals(sync_conn: Connection) -> dict[str, Any]:
    found = sync_conn.execute(
        text("SELECT key, value FROM system_configuration WHERE key IN (:a, :b, :c)"),
        dict(zip("abc", KEYS, strict=True)),
    )
    return {k: json.loads(v) if isinstance(v, str) else v for k, v in found}


def store_interval(seconds: int | None) -> Callable[[Connection], None]:
    def store(sync_conn: Connection) -> None:
        if seconds is None:
            sync_conn.execute(
                text("DELETE FROM system_configuration WHERE key = 'track_record_interval_s'")
            )
        else:
            sync_conn.execute(
                text(
                    "UPDATE system_configuration SET value = :v "
                    "WHERE key = 'track_record_interval_s'"
                ),
                {"v": json.dumps(seconds)},
            )
        sync_conn.commit()

    return store


class TestRecordIntervals:
    async def test_both_jobs_take_the_interval_they_shared(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0038")
        await inspect_database(fresh_url, store_interval(1800))
        await migrate(fresh_url, "upgrade", "0039")
        assert await inspect_database(fresh_url, intervals) == dict.fromkeys(KEYS, 1800)

    async def test_a_missing_shared_row_gives_its_default(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0038")
        await inspect_database(fresh_url, store_interval(None))
        await migrate(fresh_url, "upgrade", "0039")
        assert await inspect_database(fresh_url, intervals) == dict.fromkeys(KEYS[1:], 600)

    async def test_the_downgrade_leaves_the_shared_interval(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0038")
        await inspect_database(fresh_url, store_interval(1800))
        await migrate(fresh_url, "upgrade", "0039")
        await migrate(fresh_url, "downgrade", "0038")
        assert await inspect_database(fresh_url, intervals) == {"track_record_interval_s": 1800}
