"""Queries on `api_key` and `idempotency_key`: keys by id and public id, listings, and a keyed
request's claim, stored answer and release; flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypedDict

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.models import ApiKey, IdempotencyKey
from app.platform.db.inserts import insert_unless_taken


class ApiKeyRepository:
    """The `api_key` table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key_id: int) -> ApiKey | None:
        return await self.session.get(ApiKey, key_id)

    async def get_by_public_id(self, public_id: str) -> ApiKey | None:
        return await self.session.scalar(select(ApiKey).where(ApiKey.prefix == public_id))

    async def list(self, *, include_revoked: bool, limit: int, offset: int) -> Sequence[ApiKey]:
        query = select(ApiKey).order_by(ApiKey.id)
        if not include_revoked:
            query = query.where(ApiKey.revoked_at.is_(None))
        return (await self.session.scalars(query.limit(limit).offset(offset))).all()

    async def add(self, api_key: ApiKey) -> ApiKey:
        self.session.add(api_key)
        await self.session.flush()
        return api_key


class ClaimRow(TypedDict):
    """An `idempotency_key` row claiming a key (`state` in_progress)."""

    key: str
    principal: str
    method: str
    path: str
    request_hash: str
    state: str
    created_at: datetime
    expires_at: datetime


class IdempotencyRepository:
    """The `idempotency_key` table: claims and stored answers."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def try_claim(self, row: ClaimRow) -> int | None:
        """Insert an in-progress claim; None when (key, principal, method, path) exists."""
        return await insert_unless_taken(self.session, IdempotencyKey, **row)

    async def find(self, key: str, principal: str, method: str, path: str) -> IdempotencyKey | None:
        return await self.session.scalar(
            select(IdempotencyKey).where(
                IdempotencyKey.key == key,
                IdempotencyKey.principal == principal,
                IdempotencyKey.method == method,
                IdempotencyKey.path == path,
            )
        )

    async def remove(self, claim_id: int) -> None:
        await self.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == claim_id))

    async def complete(
        self, claim_id: int, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        await self.session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.id == claim_id)
            .values(
                state="completed",
                response_status=status,
                response_headers=headers,
                response_body=body,
            )
        )
