"""A stored key's last use stays out of the change feed (migration 0035): recording it, once a
minute per key, emptied every replica's read caches. Any other change to a key still notifies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from app.platform.db.notifications import CHANGES
from tests.databases import asyncpg_dsn, drop_postgres_database, migrated_postgres_database

SENTINEL = "sentinel"
WAIT_S = 30


@pytest.fixture
async def dsn() -> AsyncIterator[str]:
    """A database of its own with one stored key (these statements commit)."""
    url = await migrated_postgres_database("mysymbols_key_use")
    connection = await asyncpg.connect(asyncpg_dsn(url))
    await connection.execute(
        "INSERT INTO api_key (name, role, prefix, key_hash, created_at, created_by) "
        "VALUES ('engine', 'read', 'msk_quiet', repeat('a', 64), now(), 'test')"
    )
    await connection.close()
    yield asyncpg_dsn(url)
    await drop_postgres_database(url)


async def notified(dsn: str, statement: str) -> list[str]:
    """The change notifications (their tables) that `statement`'s commit sends: those heard
    before a sentinel the same connection sends next, as notifications of one session come in
    the order of their commits."""
    heard: asyncio.Queue[str] = asyncio.Queue()
    listener = await asyncpg.connect(dsn)
    writer = await asyncpg.connect(dsn)
    await listener.add_listener(CHANGES, lambda *args: heard.put_nowait(str(args[3])))
    tables: list[str] = []
    try:
        await writer.execute(statement)
        await writer.execute("SELECT pg_notify($1, $2)", CHANGES, SENTINEL)
        while (table := await asyncio.wait_for(heard.get(), WAIT_S)) != SENTINEL:
            tables.append(table)
    finally:
        await writer.close()
        await listener.close()
    return tables


async def test_recording_a_keys_use_notifies_no_one(dsn: str) -> None:
    assert await notified(dsn, "UPDATE api_key SET last_used_at = now()") == []


async def test_revoking_a_key_still_notifies(dsn: str) -> None:
    assert await notified(dsn, "UPDATE api_key SET revoked_at = now()") == ["api_key"]


async def test_a_new_key_still_notifies(dsn: str) -> None:
    statement = (
        "INSERT INTO api_key (name, role, prefix, key_hash, created_at, created_by) "
        "VALUES ('other', 'read', 'msk_other', repeat('b', 64), now(), 'test')"
    )
    assert await notified(dsn, statement) == ["api_key"]
