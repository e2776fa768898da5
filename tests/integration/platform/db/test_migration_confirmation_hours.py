"""Migration 0026: the replacement hysteresis' setting counts hours. A stored number of
confirmations n (judged at daily decisions, n runs span (n - 1) x 24 h) becomes those hours, and
the downgrade rounds back up to runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Connection, text

from tests.integration.platform.db.test_migrations import fresh_url, inspect_database, migrate

__all__ = ["fresh_url"]  # the fixture: an empty database of its own


def settings(sync_conn: Connection) -> dict[str, Any]:
    found = sync_conn.execute(
        text(
            "SELECT key, value FROM system_configuration "
            "WHERE key IN ('replacement_confirmations', 'replacement_confirmation_hours')"
        )
    )
    return {k: json.loads(v) if isinstance(v, str) else v for k, v in found}


def store_confirmations(runs: int) -> Callable[[Connection], None]:
    def store(sync_conn: Connection) -> None:
        sync_conn.execute(
            text(
                "UPDATE system_configuration SET value = :v WHERE key = 'replacement_confirmations'"
            ),
            {"v": json.dumps(runs)},
        )
        sync_conn.commit()

    return store


class TestConfirmationHours:
    async def test_a_fresh_database_counts_a_day(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0026")
        assert await inspect_database(fresh_url, settings) == {"replacement_confirmation_hours": 24}

    @pytest.mark.parametrize(("runs", "hours"), [(1, 0), (3, 48), (20, 168)])
    async def test_a_stored_count_becomes_the_hours_it_spanned_daily(
        self, fresh_url: str, runs: int, hours: int
    ) -> None:
        await migrate(fresh_url, "upgrade", "0025")
        await inspect_database(fresh_url, store_confirmations(runs))
        await migrate(fresh_url, "upgrade", "0026")
        assert await inspect_database(fresh_url, settings) == {
            "replacement_confirmation_hours": hours
        }

    async def test_the_downgrade_rounds_back_up_to_runs(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0025")
        await inspect_database(fresh_url, store_confirmations(3))
        await migrate(fresh_url, "upgrade", "0026")
        await migrate(fresh_url, "downgrade", "0025")
        assert await inspect_database(fresh_url, settings) == {"replacement_confirmations": 3}
