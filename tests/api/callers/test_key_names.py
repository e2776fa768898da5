"""Key names and the audit trail, on both databases: a stored key writes as `key-<id>:<name>` in
String(80) actor columns. A new name is capped so that its actor fits whole; a longer name stored
before the cap writes too, its actor cut to fit (PostgreSQL refused it with a 500 before)."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.models import ApiKey
from app.platform.core.security import KEY_NAME_MAX_LENGTH, generate_key, hash_key, stored_key_actor
from app.platform.db.models.system_configuration import ConfigurationChange
from tests.conftest import ADMIN_KEY
from tests.helpers import assert_problem

BASE = "/api/symbol-mgmt"
ADMIN = {"X-API-Key": ADMIN_KEY}


async def change_a_setting(client: httpx.AsyncClient, key: str) -> httpx.Response:
    """An audited write: one `configuration_change` row whose actor is the caller."""
    body = {"values": {"alert_cooldown_s": 1200}}
    return await client.put(f"{BASE}/config", json=body, headers={"X-API-Key": key})


async def actors(session: AsyncSession) -> list[str]:
    return list((await session.scalars(select(ConfigurationChange.actor))).all())


class TestKeyNameCap:
    async def test_the_longest_allowed_name_writes_with_its_whole_name(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        assert KEY_NAME_MAX_LENGTH == 65  # 80 less `key-` and `:` and a 10-digit id
        name = "n" * KEY_NAME_MAX_LENGTH
        assert stored_key_actor(9_999_999_999, name) == f"key-9999999999:{name}"  # 80, whole
        created = await client.post(
            f"{BASE}/api-keys", json={"name": name, "role": "admin"}, headers=ADMIN
        )
        assert created.status_code == 201, created.text
        response = await change_a_setting(client, created.json()["key"])
        assert response.status_code == 200, response.text
        assert await actors(session) == [f"key-{created.json()['id']}:{name}"]

    async def test_a_longer_name_is_refused_at_creation(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        body = {"name": "n" * (KEY_NAME_MAX_LENGTH + 1), "role": "admin"}
        problem = assert_problem(
            await client.post(f"{BASE}/api-keys", json=body, headers=ADMIN),
            422,
            "validation-error",
        )
        assert "name" in str(problem)
        assert (await session.scalars(select(ApiKey))).all() == []

    async def test_a_73_character_name_stored_before_the_cap_writes(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        full_key, public_id = generate_key()
        name = "legacy-" + "x" * 66
        assert len(name) == 73
        stored = ApiKey(  # the 20 000th key: `key-20000:` and the name are 83 characters
            id=20_000,
            name=name,
            role="admin",
            prefix=public_id,
            key_hash=hash_key(full_key),
            created_by="test",
        )
        session.add(stored)
        await session.flush()
        response = await change_a_setting(client, full_key)
        assert response.status_code == 200, response.text
        (actor,) = await actors(session)
        assert actor == f"key-20000:{name}"[:80]  # the id whole, the name cut to fit
