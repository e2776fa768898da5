"""Use cases for API keys: authenticate a presented key, create, list and revoke keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.models import ApiKey
from app.callers.repository import ApiKeyRepository
from app.callers.schemas import ApiKeyRead
from app.platform.core.clock import utcnow
from app.platform.core.environment import Role
from app.platform.core.errors import NotFoundError
from app.platform.core.security import (
    BootstrapKeyring,
    Principal,
    generate_key,
    hash_key,
    hashes_match,
    public_id_of,
    stored_key_actor,
)

LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyService:
    """Authenticates presented API keys; creates, lists and revokes stored ones."""

    def __init__(self, session: AsyncSession, keyring: BootstrapKeyring) -> None:
        self.repository = ApiKeyRepository(session)
        self.keyring = keyring

    async def authenticate(self, presented: str) -> Principal | None:
        """The principal behind a presented key, or None if it is unknown or revoked."""
        presented_hash = hash_key(presented)
        bootstrap = self.keyring.match(presented_hash)
        if bootstrap is not None:
            return bootstrap
        stored = await self._stored(presented_hash, presented)
        if stored is None:
            return None
        now = utcnow()
        if stored.last_used_at is None or now - stored.last_used_at > LAST_USED_RESOLUTION:
            stored.last_used_at = now
        return Principal(
            name=stored_key_actor(stored.id, stored.name),
            role=Role(stored.role),
            api_key_id=stored.id,
        )

    async def recognises(self, presented: str) -> bool:
        """Whether `presented` is a stored key that authenticates; read only (its use is not
        recorded: no route has served it yet)."""
        return await self._stored(hash_key(presented), presented) is not None

    async def _stored(self, presented_hash: str, presented: str) -> ApiKey | None:
        """The stored, unrevoked key `presented` is, if any."""
        public_id = public_id_of(presented)
        if public_id is None:
            return None
        stored = await self.repository.get_by_public_id(public_id)
        if stored is None or not hashes_match(stored.key_hash, presented_hash):
            return None
        return None if stored.revoked_at is not None else stored

    async def is_active(self, key_id: int) -> bool:
        """Whether the stored key `key_id` still authenticates (exists, not revoked)."""
        stored = await self.repository.get(key_id)
        return stored is not None and stored.revoked_at is None

    async def create(self, *, name: str, role: Role, created_by: str) -> tuple[ApiKey, str]:
        """Create a key; the full key is returned once and never stored."""
        full_key, public_id = generate_key()
        api_key = ApiKey(
            name=name,
            role=role.value,
            prefix=public_id,
            key_hash=hash_key(full_key),
            created_by=created_by,
        )
        return await self.repository.add(api_key), full_key

    async def list(
        self, *, include_revoked: bool = False, limit: int, offset: int = 0
    ) -> Sequence[ApiKeyRead]:
        """A page of the stored keys, oldest first (never their secrets)."""
        rows = await self.repository.list(
            include_revoked=include_revoked, limit=limit, offset=offset
        )
        return [ApiKeyRead.model_validate(k) for k in rows]

    async def revoke(self, key_id: int) -> ApiKey:
        """Revoke a key; revoking an already revoked key is a no-op that returns it."""
        api_key = await self.repository.get(key_id)
        if api_key is None:
            raise NotFoundError(f"No API key with id {key_id}")
        if api_key.revoked_at is None:
            api_key.revoked_at = utcnow()
        return api_key


def stored_keys(session: AsyncSession, keyring: BootstrapKeyring) -> ApiKeyService:
    """The stored API keys in `session` (authentication's `StoredKeys`, handed over by the app's
    state: the platform's HTTP layer knows no domain)."""
    return ApiKeyService(session, keyring)
