"""AppState: the long-lived objects the lifespan owns, reachable from requests and jobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.config import Settings
from app.db.types import utcnow
from app.exchange.gateway import KucoinGateway
from app.security import BootstrapKeyring


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    http: aiohttp.ClientSession
    keyring: BootstrapKeyring
    gateway: KucoinGateway
    started_at: datetime = field(default_factory=utcnow)
