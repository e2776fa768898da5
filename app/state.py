"""AppState: the long-lived objects the lifespan owns, reachable from requests and jobs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.callers.service import ApiKeyService, stored_keys
from app.kucoin.gateway import KucoinGateway
from app.kucoin.websocket import TickerStream
from app.lab.repository import ReplayRepository
from app.lab.runner import ReplayRunner
from app.market.prices import PriceCache
from app.market.service import Holdings
from app.operations.readiness_cache import SharedReadiness
from app.platform.core.clock import utcnow
from app.platform.core.environment import Environment
from app.platform.core.security import BootstrapKeyring
from app.platform.db.engine import create_sessionmaker
from app.platform.db.repositories.jobs import JobRepository
from app.platform.db.session_flags import MEMBER_TABLE, Commit
from app.platform.events.hub import EventHub
from app.platform.events.wakeup import EventSignal
from app.platform.http.response_cache import ResponseCache
from app.platform.http.scrape import DomainGauges
from app.platform.runs.run_engine import RunEngine, Sessions
from app.platform.runtime.shutdown import ShutdownSignal
from app.platform.scheduler.runs import JobRunner
from app.platform.scheduler.schedule import Schedule
from app.portfolio.after_scoring import ExitsAndProposals
from app.portfolio.holdings import PortfolioHoldings
from app.portfolio.reader import PortfolioReadCache
from app.portfolio.ticker_follower import TickerFollower
from app.scoring.score_refresh import AfterScoring


@dataclass
class AppState:
    environment: Environment
    engine: AsyncEngine
    http: aiohttp.ClientSession
    keyring: BootstrapKeyring
    gateway: KucoinGateway
    prices: PriceCache
    schedule: Schedule[AppState]
    """The domains' jobs, as the scheduler runs them (`app.assembly.SCHEDULE`)."""
    domain_gauges: tuple[DomainGauges, ...]
    """The domains' gauges `GET /metrics` reads from the database, in its order
    (`app.assembly.DATABASE_GAUGES`)."""
    ticker_stream: TickerStream | None = None
    holdings: Holdings = field(default_factory=PortfolioHoldings)
    """What the portfolio holds, told to the domains below it (the universe sync's alerts)."""
    scoring_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Held while a scoring run is in progress in this process."""
    portfolio_cache: PortfolioReadCache | None = None
    response_cache: ResponseCache | None = None
    """Whole read answers of this replica (see `app.platform.http.response_cache`)."""
    events: EventSignal = field(default_factory=EventSignal)
    shutdown: ShutdownSignal = field(default_factory=ShutdownSignal)
    """Set when the process starts stopping (its signal), before open requests drain."""
    started_at: datetime = field(default_factory=utcnow)
    anonymous_readiness: SharedReadiness = field(default_factory=SharedReadiness)
    """`/status` without a key: computed once a second at most (see its module)."""
    sessionmaker: async_sessionmaker[AsyncSession] = field(init=False)
    """Every session of the app: each commit is followed by `after_commit`."""
    run_sessions: Sessions | None = None
    """Where background runs open their transactions (None: `sessionmaker`; the API suite joins
    them to its rolled-back session)."""
    runs: RunEngine = field(init=False)
    """Every background run of this process: heartbeats, the start-up sweep, waits, the stop."""
    replays: ReplayRunner = field(init=False)
    """Runs the replays requested over the API, in this process."""
    after_scoring: AfterScoring = field(init=False)
    """What follows a scoring run that scored: the portfolio's exits and proposals."""
    jobs: JobRunner[AppState] = field(init=False)
    """Runs the jobs, scheduled or requested over the API, in this process."""
    event_hub: EventHub = field(init=False)
    """The one outbox reader behind every event stream of this process."""
    ticker_follower: TickerFollower | None = field(init=False)
    """Keeps `ticker_stream` on the members after every change, this replica's or another's."""

    def __post_init__(self) -> None:
        self.sessionmaker = create_sessionmaker(self.engine, on_commit=self.after_commit)
        self.runs = RunEngine(
            self.run_sessions or self.sessionmaker,
            (JobRepository, ReplayRepository),
            single_process=self.environment.is_sqlite,
        )
        self.replays = ReplayRunner(self.runs)
        self.after_scoring = ExitsAndProposals(self)
        self.jobs = JobRunner(
            self.runs,
            context=self,
            trim_heap=self.environment.scheduler.trim_heap_after_runs,
            request_gap_s=self.environment.scheduler.request_gap_s,
        )
        events = self.environment.events
        self.event_hub = EventHub(
            self.sessionmaker, self.events, poll_s=events.poll_s, stream_buffer=events.stream_buffer
        )
        self.ticker_follower = None
        if self.ticker_stream is not None:
            self.ticker_follower = TickerFollower(self.sessionmaker, self.ticker_stream)

    def stored_keys(self, session: AsyncSession) -> ApiKeyService:
        """The stored API keys, read in `session` (authentication, `app.platform.http.auth`)."""
        return stored_keys(session, self.keyring)

    def after_commit(self, commit: Commit) -> None:
        """Whatever session committed: drop this replica's portfolio read cache if the
        transaction changed what it shows and its cached read answers if it wrote what they
        show (read-your-writes, before any notification arrives; SQLite has none), resync its
        ticker stream if it wrote the members (whoever did: a request, a job, the autopilot),
        wake its event streams if it wrote events, and start the replay or calibration runs
        it queued."""
        if commit.portfolio_changed and self.portfolio_cache is not None:
            self.portfolio_cache.invalidate()
        if commit.shows_in_reads and self.response_cache is not None:
            self.response_cache.invalidate()
        if commit.members_changed and self.ticker_follower is not None:
            self.ticker_follower.request()
        if commit.events_written:
            self.events.notify()
        for run_id in commit.runs_queued:
            self.replays.launch(run_id)

    def change_notified(self, table: str | None) -> None:
        """A change notification (PostgreSQL): a replica, maybe this one, committed a write to
        `table` (None: just (re)connected, so anything may have changed). The read caches drop
        what they have; the ticker stream resyncs if the members may have changed."""
        for cache in (self.portfolio_cache, self.response_cache):
            if cache is not None:
                cache.invalidate()
        if self.ticker_follower is not None and table in (None, MEMBER_TABLE):
            self.ticker_follower.request()
