"""The one wiring point: every use-case service of one transaction, built from its session and
the app's long-lived objects (a `ServiceContext`: the app state). The API dependencies, the
scheduler's jobs and the CLI all go through `Services`, so each gets the same collaborators (the
gateway, the price cache, the locks). The few services that open sessions themselves (status,
event streams, a history import: the command line's) are built by the functions at the end."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.service import AlertService, alert_service
from app.callers.service import ApiKeyService
from app.kucoin.gateway import KucoinGateway
from app.lab.history_import import HistoryImportService
from app.market.service import UniverseService
from app.services.context import ServiceContext, StatusContext, StreamContext
from app.services.events.stream import EventStreamService
from app.services.health.status import StatusService
from app.services.maintenance.retention import RetentionService
from app.settings.service import ConfigurationService
from app.signals.outcomes import SignalOutcomeService
from app.signals.service import SignalService, signal_service

OpenSession = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class Services:
    """The services of one session (one transaction); each is built on first use."""

    def __init__(self, session: AsyncSession, state: ServiceContext) -> None:
        self.session = session
        self.state = state

    @cached_property
    def universe(self) -> UniverseService:
        return UniverseService(self.session, self.state.gateway)

    @cached_property
    def signals(self) -> SignalService:
        return signal_service(self.session, self.state.gateway)

    @cached_property
    def signal_outcomes(self) -> SignalOutcomeService:
        return SignalOutcomeService(self.session)

    @cached_property
    def alerts(self) -> AlertService:
        return alert_service(self.session, self.state.gateway)

    @cached_property
    def api_keys(self) -> ApiKeyService:
        return ApiKeyService(self.session, self.state.keyring)

    @cached_property
    def configuration(self) -> ConfigurationService:
        return ConfigurationService(self.session)

    @cached_property
    def retention(self) -> RetentionService:
        return RetentionService(self.session)


def status_service(state: StatusContext) -> StatusService:
    """Status needs no request transaction: it opens its own short connections."""
    return StatusService(state)


# Services that open their sessions themselves: a stream that outlives any transaction, an import
# committed symbol by symbol.


def event_streams(state: StreamContext, open_session: OpenSession) -> EventStreamService:
    events = state.settings.events
    return EventStreamService(
        open_session,
        state.event_hub,
        heartbeat_s=events.heartbeat_s,
        retry_ms=int(events.poll_s * 1000),
        start_timeout_s=state.settings.database.connect_timeout_s,
    )


def history_imports(open_session: OpenSession, gateway: KucoinGateway) -> HistoryImportService:
    """The history import commits symbol by symbol, so that an interrupted one resumes."""
    return HistoryImportService(open_session, gateway)
