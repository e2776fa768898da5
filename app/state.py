"""AppState: the long-lived objects the lifespan owns, reachable from requests and jobs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.config import Settings
from app.db.types import utcnow
from app.exchange.gateway import KucoinGateway
from app.exchange.websocket import TickerStream
from app.scheduler.runs import JobRunner
from app.security import BootstrapKeyring
from app.services.market.prices import PriceCache
from app.services.portfolio.reads import PortfolioReadCache
from app.services.replay.runner import ReplayRunner
from app.services.system.event_hub import EventHub
from app.services.system.event_signal import EventSignal
from app.shutdown import ShutdownSignal

if TYPE_CHECKING:
    from app.api.response_cache import ResponseCache


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    http: aiohttp.ClientSession
    keyring: BootstrapKeyring
    gateway: KucoinGateway
    prices: PriceCache
    ticker_stream: TickerStream | None = None
    scoring_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Held while a scoring run is in progress in this process."""
    portfolio_cache: PortfolioReadCache | None = None
    response_cache: ResponseCache | None = None
    """Whole read answers of this replica (see `app.api.response_cache`)."""
    events: EventSignal = field(default_factory=EventSignal)
    shutdown: ShutdownSignal = field(default_factory=ShutdownSignal)
    """Set when the process starts stopping (its signal), before open requests drain."""
    started_at: datetime = field(default_factory=utcnow)
    replays: ReplayRunner = field(init=False)
    """Runs the replays requested over the API, in this process."""
    jobs: JobRunner = field(init=False)
    """Runs the jobs, scheduled or requested over the API, in this process."""
    event_hub: EventHub = field(init=False)
    """The one outbox reader behind every event stream of this process."""

    def __post_init__(self) -> None:
        self.replays = ReplayRunner(self.sessionmaker)
        self.jobs = JobRunner(self)
        events = self.settings.events
        self.event_hub = EventHub(
            self.sessionmaker, self.events, poll_s=events.poll_s, stream_buffer=events.stream_buffer
        )
