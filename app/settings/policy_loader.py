"""The decision policy's settings as this deployment has them: the one loader the live services
read the policy through (the replay builds from the same `policy_from_settings`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.policy.config import PolicySettings
from app.settings.registry import read_typed


async def load_policy(session: AsyncSession) -> PolicySettings:
    """The policy's settings stored in `system_configuration` (or their registered defaults)."""
    return await read_typed(session, PolicySettings)
