"""The one wiring point: every use-case service of one transaction, built from its session and
the app's long-lived objects (a `ServiceContext`: the app state). The API dependencies, the
scheduler's jobs and the CLI all go through `Services`, so each gets the same collaborators (the
gateway, the price cache, the locks). The few services that open sessions themselves (status,
event streams, an algorithm change, a history import) are built by the functions at the end."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.service import AlertService, alert_service
from app.callers.service import ApiKeyService
from app.kucoin.gateway import KucoinGateway
from app.market.service import UniverseService
from app.portfolio.autopilot import AutopilotService
from app.portfolio.membership import MembershipService
from app.services.context import ServiceContext, StatusContext, StreamContext
from app.services.events.stream import EventStreamService
from app.services.health.status import StatusService
from app.services.maintenance.retention import RetentionService
from app.services.records.as_run_update import TrackRecordService
from app.services.records.evidence import LiveEvidenceService
from app.services.records.forward_read import ForwardEvidenceService
from app.services.records.forward_service import ForwardService
from app.services.replay.evidence import EvidenceService
from app.services.replay.importer import HistoryImportService
from app.services.replay.service import ReplayService
from app.services.scoring.algorithms import AlgorithmChangeService, AlgorithmService
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
    def membership(self) -> MembershipService:
        return MembershipService(self.session, self.state.gateway, self.state.prices)

    @cached_property
    def autopilot(self) -> AutopilotService:
        return AutopilotService(self.session, self.membership)

    @cached_property
    def algorithms(self) -> AlgorithmService:
        return AlgorithmService(self.session)

    @cached_property
    def track_record(self) -> TrackRecordService:
        return TrackRecordService(self.session)

    @cached_property
    def live_evidence(self) -> LiveEvidenceService:
        return LiveEvidenceService(self.session)

    @cached_property
    def forward_evidence(self) -> ForwardEvidenceService:
        return ForwardEvidenceService(self.session)

    @cached_property
    def forward_record(self) -> ForwardService:
        return ForwardService(self.session, self.autopilot)

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
    def replays(self) -> ReplayService:
        return ReplayService(
            self.session,
            self.state.runs,
            max_pending_per_key=self.state.settings.replays.max_pending_per_key,
        )

    @cached_property
    def evidence(self) -> EvidenceService:
        return EvidenceService(self.session)

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


# Services that open their sessions themselves: a stream that outlives any transaction, a change
# with a replay between its two transactions, an import committed symbol by symbol.


def event_streams(state: StreamContext, open_session: OpenSession) -> EventStreamService:
    events = state.settings.events
    return EventStreamService(
        open_session,
        state.event_hub,
        heartbeat_s=events.heartbeat_s,
        retry_ms=int(events.poll_s * 1000),
        start_timeout_s=state.settings.database.connect_timeout_s,
    )


def algorithm_changes(open_session: OpenSession) -> AlgorithmChangeService:
    return AlgorithmChangeService(open_session)


def history_imports(open_session: OpenSession, gateway: KucoinGateway) -> HistoryImportService:
    """The history import commits symbol by symbol, so that an interrupted one resumes."""
    return HistoryImportService(open_session, gateway)
