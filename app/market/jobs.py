"""The market's job: the contract universe synced from KuCoin."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.exchange_errors import RateLimited, Unavailable
from app.kucoin.gateway import WithGateway
from app.market.service import Holdings, UniverseService
from app.market.settings import UNIVERSE_SYNC_INTERVAL_S
from app.platform.runs.job import Degraded, Job, problem_of


class SyncState(WithGateway, Protocol):
    """What the universe sync takes from the app's state: the gateway, and what the portfolio
    holds (a held contract's delisting is critical)."""

    @property
    def holdings(self) -> Holdings: ...


async def universe_sync(session: AsyncSession, state: SyncState) -> dict[str, Any] | Degraded:
    """Sync the contract universe from KuCoin (degraded, changing nothing, when unreachable)."""
    try:
        result = await UniverseService(session, state.gateway).sync(state.holdings)
    except (Unavailable, RateLimited) as exc:  # raised by the fetch, before any write
        return Degraded({}, problem_of(exc))
    return {**result.model_dump(), "synced_at": result.synced_at.isoformat()}


UNIVERSE_SYNC = Job("universe_sync", UNIVERSE_SYNC_INTERVAL_S, universe_sync)
