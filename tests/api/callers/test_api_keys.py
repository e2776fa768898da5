"""API keys: roles read < trade < admin, hashed storage, 401 versus 403, revocation."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.models import ApiKey
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.core.security import hash_key
from app.platform.http.auth import ReaderDep, TraderDep
from app.platform.http.sessions import get_session
from tests.conftest import ADMIN_KEY, ADMIN_NAME, READ_KEY, TRADE_KEY, start_app
from tests.helpers import assert_problem

KEYS_URL = "/api/symbol-mgmt/api-keys"


async def create_key(client: httpx.AsyncClient, name: str, role: str) -> dict[str, object]:
    response = await client.post(
        KEYS_URL, json={"name": name, "role": role}, headers={"X-API-Key": ADMIN_KEY}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


class TestAuthentication:
    async def test_missing_key_is_401_with_challenge(self, client: httpx.AsyncClient) -> None:
        response = await client.get(KEYS_URL)
        assert_problem(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"] == 'ApiKey header="X-API-Key"'

    async def test_unknown_key_is_401(self, client: httpx.AsyncClient) -> None:
        response = await client.get(KEYS_URL, headers={"X-API-Key": "msk_deadbeef_nothing-here"})
        body = assert_problem(response, 401, "unauthenticated")
        assert body["detail"] == "The API key is unknown or revoked."

    async def test_lower_role_is_403_naming_both_roles(self, client: httpx.AsyncClient) -> None:
        for key, role in ((READ_KEY, "read"), (TRADE_KEY, "trade")):
            response = await client.get(KEYS_URL, headers={"X-API-Key": key})
            body = assert_problem(response, 403, "forbidden")
            assert body["required_role"] == "admin"
            assert body["key_role"] == role


class TestKeyAdministration:
    async def test_created_key_is_stored_only_as_hash(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        created = await create_key(client, "trading-engine", "trade")
        full_key = str(created["key"])
        assert full_key.startswith(str(created["prefix"]) + "_")
        row = await session.scalar(select(ApiKey).where(ApiKey.id == created["id"]))
        assert row is not None
        assert row.key_hash == hash_key(full_key)
        assert full_key not in (row.key_hash, row.prefix, row.name)
        assert row.created_by == ADMIN_NAME

    async def test_list_never_shows_secrets(self, client: httpx.AsyncClient) -> None:
        created = await create_key(client, "dashboard", "read")
        response = await client.get(KEYS_URL, headers={"X-API-Key": ADMIN_KEY})
        assert response.status_code == 200
        listed = [k for k in response.json() if k["id"] == created["id"]]
        assert len(listed) == 1
        assert "key" not in listed[0]
        assert str(created["key"]) not in response.text

    async def test_the_list_pages_oldest_first(self, client: httpx.AsyncClient) -> None:
        created = [(await create_key(client, f"desk-{n}", "read"))["id"] for n in range(3)]
        admin = {"X-API-Key": ADMIN_KEY}
        everything = [k["id"] for k in (await client.get(KEYS_URL, headers=admin)).json()]
        start = everything.index(created[0])
        page = await client.get(KEYS_URL, params={"limit": 2, "offset": start}, headers=admin)
        assert [k["id"] for k in page.json()] == created[:2]
        too_many = await client.get(KEYS_URL, params={"limit": 1001}, headers=admin)
        assert assert_problem(too_many, 422, "validation-error")["errors"][0]["field"] == "limit"

    async def test_created_admin_key_can_administer(self, client: httpx.AsyncClient) -> None:
        created = await create_key(client, "ops", "admin")
        response = await client.get(KEYS_URL, headers={"X-API-Key": str(created["key"])})
        assert response.status_code == 200

    async def test_revoked_key_is_refused_and_revoke_is_idempotent(
        self, client: httpx.AsyncClient
    ) -> None:
        created = await create_key(client, "ops", "admin")
        key = {"X-API-Key": str(created["key"])}
        assert (await client.get(KEYS_URL, headers=key)).status_code == 200
        first = await client.delete(f"{KEYS_URL}/{created['id']}", headers={"X-API-Key": ADMIN_KEY})
        second = await client.delete(
            f"{KEYS_URL}/{created['id']}", headers={"X-API-Key": ADMIN_KEY}
        )
        assert first.status_code == second.status_code == 200
        assert first.json()["revoked_at"] is not None
        assert first.json()["revoked_at"] == second.json()["revoked_at"]
        assert (await client.get(KEYS_URL, headers=key)).status_code == 401
        active = (await client.get(KEYS_URL, headers={"X-API-Key": ADMIN_KEY})).json()
        assert created["id"] not in [k["id"] for k in active]

    async def test_revoking_unknown_key_is_404(self, client: httpx.AsyncClient) -> None:
        response = await client.delete(f"{KEYS_URL}/999999", headers={"X-API-Key": ADMIN_KEY})
        assert_problem(response, 404, "not-found")

    async def test_forged_key_with_known_public_id_is_refused(
        self, client: httpx.AsyncClient
    ) -> None:
        created = await create_key(client, "engine", "trade")
        forged = f"{created['prefix']}_not-the-secret"
        response = await client.get(KEYS_URL, headers={"X-API-Key": forged})
        assert_problem(response, 401, "unauthenticated")


class TestOpenReads:
    """Reads may be opened by a setting; writes always need a key of the right role."""

    @pytest.fixture
    async def open_client(
        self,
        database_url: str,
        make_environment: Callable[..., Environment],
        session: AsyncSession,
    ) -> AsyncIterator[httpx.AsyncClient]:
        app: FastAPI = create_app(make_environment(database_url, auth={"open_reads": True}))

        @app.get("/probe/read")
        async def read_probe(principal: ReaderDep) -> dict[str, str]:
            return {"actor": principal.name}

        @app.post("/probe/write")
        async def write_probe(principal: TraderDep) -> dict[str, str]:
            return {"actor": principal.name}

        async def test_session() -> AsyncIterator[AsyncSession]:
            yield session

        app.dependency_overrides[get_session] = test_session
        async for client in start_app(app):
            yield client

    async def test_read_without_key_is_anonymous(self, open_client: httpx.AsyncClient) -> None:
        response = await open_client.get("/probe/read")
        assert response.status_code == 200
        assert response.json() == {"actor": "anonymous"}

    async def test_write_without_key_is_still_401(self, open_client: httpx.AsyncClient) -> None:
        assert (await open_client.post("/probe/write")).status_code == 401

    async def test_admin_without_key_is_still_401(self, open_client: httpx.AsyncClient) -> None:
        assert (await open_client.get(KEYS_URL)).status_code == 401

    async def test_bad_key_is_401_even_for_reads(self, open_client: httpx.AsyncClient) -> None:
        response = await open_client.get("/probe/read", headers={"X-API-Key": "wrong-key-123456"})
        assert response.status_code == 401
