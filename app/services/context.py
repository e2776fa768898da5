"""What the services take from the application's long-lived objects, as protocols:
`app.state.AppState` (built by the lifespan) is one, and no service imports the app's wiring."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.security import BootstrapKeyring
from app.kucoin.gateway import KucoinGateway
from app.market.prices import PriceCache
from app.services.events.hub import EventHub
from app.services.runs.engine import RunEngine


class ServiceContext(Protocol):
    """The collaborators every transaction's services share (`app.services.factory`)."""

    @property
    def gateway(self) -> KucoinGateway: ...

    @property
    def prices(self) -> PriceCache: ...

    @property
    def scoring_lock(self) -> asyncio.Lock: ...

    @property
    def keyring(self) -> BootstrapKeyring: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def runs(self) -> RunEngine: ...


class RunProgress(Protocol):
    def progress(self, run_id: int) -> float | None:
        """The live progress of a job run of this process."""
        ...


class StatusContext(ServiceContext, Protocol):
    """What `/health` and `/status` read besides the database."""

    @property
    def engine(self) -> AsyncEngine: ...

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]: ...

    @property
    def started_at(self) -> datetime: ...

    @property
    def jobs(self) -> RunProgress: ...


class StreamContext(ServiceContext, Protocol):
    """What an event stream follows besides the database."""

    @property
    def event_hub(self) -> EventHub: ...
