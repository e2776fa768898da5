"""Queries on `api_key`; flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import ApiKey


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
