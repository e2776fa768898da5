"""Queries on `idempotency_key`: claim a key, read it, complete it, release it."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import IdempotencyKey


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
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(IdempotencyKey)
            .values(**row)
            .on_conflict_do_nothing()
            .returning(IdempotencyKey.id)
        )
        claimed: int | None = await self.session.scalar(statement)  # None: taken already
        return claimed

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
