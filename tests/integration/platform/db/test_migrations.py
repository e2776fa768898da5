"""The migrations on fresh databases: a full round trip, and no drift from the models."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, pool, text
from sqlalchemy.ext.asyncio import create_async_engine

import app.tables  # noqa: F401  (registers every table on Base.metadata)
from alembic import command
from app.platform.db.base import Base
from app.platform.db.migrations import alembic_config
from app.platform.db.revisions import head_revision
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url

BACKENDS = ["postgresql", "sqlite"]

T = TypeVar("T")


@pytest.fixture(params=BACKENDS)
async def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of its own, never the shared migrated one."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    url = await create_postgres_database("mysymbols_migrations")
    try:
        yield url
    finally:
        await drop_postgres_database(url)


async def migrate(url: str, direction: str, revision: str, *, force: bool = True) -> None:
    """Alembic's commands block and run their own event loop (alembic/env.py), so use a thread.
    A downgrade is `force`d past the ones that refuse to destroy the record or the audit
    (`-x force=1`), as these tests are about what the downgrades do."""
    config = alembic_config(url)
    if direction == "upgrade":
        await asyncio.to_thread(command.upgrade, config, revision)
        return
    config.cmd_opts = argparse.Namespace(x=["force=1"] if force else [])
    await asyncio.to_thread(command.downgrade, config, revision)


async def inspect_database(url: str, look: Callable[[Connection], T]) -> T:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(look)
    finally:
        await engine.dispose()


def table_names(sync_conn: Connection) -> set[str]:
    return set(inspect(sync_conn).get_table_names())


def version_numbers(sync_conn: Connection) -> list[str]:
    return list(sync_conn.scalars(text("SELECT version_num FROM alembic_version")))


def schema_diff(sync_conn: Connection) -> list[Any]:
    context = MigrationContext.configure(
        sync_conn,
        opts={
            "compare_type": True,
            "render_as_batch": sync_conn.dialect.name == "sqlite",
        },
    )
    return list(compare_metadata(context, Base.metadata))


class TestRoundTrip:
    async def test_upgrade_downgrade_upgrade_leaves_the_full_schema_at_head(
        self, fresh_url: str
    ) -> None:
        await migrate(fresh_url, "upgrade", "head")
        await migrate(fresh_url, "downgrade", "base")

        left = await inspect_database(fresh_url, table_names)
        assert left <= {"alembic_version"}, f"tables left after downgrade: {sorted(left)}"
        if left:
            assert await inspect_database(fresh_url, version_numbers) == []

        await migrate(fresh_url, "upgrade", "head")

        tables = await inspect_database(fresh_url, table_names)
        missing = set(Base.metadata.tables) - tables
        assert not missing, f"tables missing after upgrade: {sorted(missing)}"
        assert await inspect_database(fresh_url, version_numbers) == [head_revision()]


class TestNoDrift:
    async def test_autogenerate_finds_no_difference_from_the_models(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "head")

        diff = await inspect_database(fresh_url, schema_diff)

        assert diff == [], "autogenerate found differences:\n" + "\n".join(map(repr, diff))


class TestSymbolForms:
    async def test_0020_stores_each_synced_symbols_ccxt_form(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0019")
        columns = "symbol, kucoin_symbol, base_currency, quote_currency, settle_currency, "
        columns += "contract_type, is_inverse, lot_size, tick_size, multiplier, max_leverage, "
        columns += "status, is_eligible, first_seen_at, last_seen_at"
        rows = [
            ("BTCUSDT", "XBTUSDTM", "BTC", "USDT", "USDT"),
            ("BSVUSDT", "BCHSVUSDTM", "BCHSV", "USDT", "USDT"),
            ("ETHUSDT-261225", "ETHUSDTMZ26", "ETH", "USDT", "USDT"),
        ]

        def insert(sync_conn: Connection) -> None:
            for values in rows:
                sync_conn.execute(
                    text(
                        f"INSERT INTO symbol ({columns}) VALUES (:s, :k, :b, :q, :t, 'FFWCSX', "
                        "false, 1, 0.01, 0.001, 50, 'Open', true, "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    dict(zip(("s", "k", "b", "q", "t"), values, strict=True)),
                )
            sync_conn.commit()

        await inspect_database(fresh_url, insert)
        await migrate(fresh_url, "upgrade", "head")

        def forms(sync_conn: Connection) -> dict[str, str]:
            found = sync_conn.execute(text("SELECT symbol, ccxt_symbol FROM symbol")).all()
            return {r[0]: r[1] for r in found}

        assert await inspect_database(fresh_url, forms) == {
            "BTCUSDT": "BTC/USDT:USDT",
            "BSVUSDT": "BSV/USDT:USDT",  # ccxt's name for KuCoin's BCHSV
            "ETHUSDT-261225": "ETH/USDT:USDT-261225",
        }


def algorithm_rows(sync_conn: Connection) -> dict[str, tuple[str, Any]]:
    found = sync_conn.execute(text("SELECT name, weight, parameters FROM scoring_algorithm"))
    return {name: (f"{float(weight):.4f}", _json(params)) for name, weight, params in found}


def change_rows(sync_conn: Connection) -> list[tuple[str, Any]]:
    found = sync_conn.execute(text("SELECT actor, evidence FROM scoring_config_change ORDER BY id"))
    return [(actor, _json(evidence)) for actor, evidence in found]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value  # SQLite hands JSON as text


class TestRiskLedDefault:
    async def test_0024_puts_candidate_g_in_force_with_its_evidence(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0024")
        rows = await inspect_database(fresh_url, algorithm_rows)
        assert {name: weight for name, (weight, _) in rows.items()} == {
            "technical": "0.0000",
            "fundamental": "0.0000",
            "market_structure": "0.0000",
            "risk": "1.0000",
        }
        assert rows["technical"][1]["version"] == 2
        assert rows["risk"][1] == {"volatility_window": 168, "benchmark": "BTCUSDT"}
        ((actor, evidence),) = await inspect_database(fresh_url, change_rows)
        assert actor == "migration" and evidence["candidate"] == "G"
        assert evidence["cited_as"] == "held-out confirmation, 2026-11-25"
        assert [h["skill_ic"] for h in evidence["held_out"]] == [0.0143, 0.008]

    async def test_0024_leaves_an_algorithm_an_admin_changed(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0023")

        def reweigh(sync_conn: Connection) -> None:
            for name, weight in (("risk", 0.35), ("technical", 0.15)):
                sync_conn.execute(
                    text("UPDATE scoring_algorithm SET weight = :w WHERE name = :n"),
                    {"w": weight, "n": name},
                )
            sync_conn.commit()

        await inspect_database(fresh_url, reweigh)
        await migrate(fresh_url, "upgrade", "0024")
        rows = await inspect_database(fresh_url, algorithm_rows)
        assert (rows["technical"][0], rows["risk"][0]) == ("0.1500", "0.3500")
        assert await inspect_database(fresh_url, change_rows) == []

    async def test_its_downgrade_restores_the_seed_and_records_it(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0024")
        await migrate(fresh_url, "downgrade", "0023")
        rows = await inspect_database(fresh_url, algorithm_rows)
        assert {name: weight for name, (weight, _) in rows.items()} == {
            "technical": "0.3000",
            "fundamental": "0.2500",
            "market_structure": "0.2500",
            "risk": "0.2000",
        }
        assert "version" not in rows["technical"][1]
        changes = await inspect_database(fresh_url, change_rows)
        assert [e["kind"] for _, e in changes] == ["adoption", "downgrade"]
