"""The decision policy's settings as this deployment has them: the one loader the live services
read the policy through (the replay builds from the same `policy_from_settings`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.policy.config import POLICY_KEYS, PolicySettings, policy_from_settings
from app.services.settings.registry import read_settings


async def load_policy(session: AsyncSession) -> PolicySettings:
    """The policy's settings stored in `system_configuration` (or their registered defaults)."""
    return policy_from_settings(await read_settings(session, POLICY_KEYS))
