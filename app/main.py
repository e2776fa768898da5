"""Application factory and lifespan; `uvicorn app.main:app` builds the app from the environment."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import __version__
from app.assembly import DATABASE_GAUGES, ROUTERS, SCHEDULE
from app.dashboard import MOUNT as DASHBOARD
from app.dashboard import install_dashboard
from app.kucoin.factory import create_gateway, create_http_session
from app.kucoin.websocket import TickerStream
from app.market.prices import PriceCache
from app.platform.core import headers
from app.platform.core.environment import Environment
from app.platform.core.log import configure_logging, log_writer
from app.platform.core.paths import API_PREFIX
from app.platform.core.security import BootstrapKeyring
from app.platform.db.engine import create_engine
from app.platform.db.notifications import CHANGES, EVENTS, ChangeListener
from app.platform.db.rate_budget import shared_window
from app.platform.events.hub import SHUTTING_DOWN
from app.platform.http.auth import stored_key_check
from app.platform.http.docs_ui import install_docs
from app.platform.http.openapi import install_openapi, operation_id
from app.platform.http.problems import install_error_handlers
from app.platform.http.protection import ProtectionLayer
from app.platform.http.rate_limit import CallerLimits
from app.platform.http.response_cache import ResponseCache
from app.platform.http.root import install_root
from app.platform.http.routers import metrics
from app.platform.runs.run_engine import Sessions
from app.platform.runtime.collector import service_heap
from app.platform.runtime.gil import loop_first_gil
from app.platform.runtime.heap import tune_heap
from app.platform.runtime.offload import READS, prestart, stop_workers
from app.platform.runtime.replica import replica_name
from app.platform.runtime.shutdown import ShutdownSignal
from app.platform.scheduler.loop import Scheduler
from app.platform.webhooks.dispatcher import WebhookDispatcher
from app.platform.webhooks.resolver import receiver_session
from app.portfolio.maths import heavy_reads
from app.portfolio.reader import PortfolioReadCache
from app.state import AppState

logger = logging.getLogger(__name__)

WORKERS_STOP_S = 5.0  # at a signal, for the ended worker processes to be reaped
CORS_REQUEST_HEADERS = [
    headers.API_KEY,
    "Authorization",
    "Content-Type",
    headers.IDEMPOTENCY_KEY,
    "If-None-Match",
    headers.LAST_EVENT_ID,
    headers.REQUEST_ID,
]
CORS_RESPONSE_HEADERS = [
    "Age",
    "ETag",
    "Location",
    "Retry-After",
    headers.REQUEST_ID,
    headers.CACHE,
    headers.IDEMPOTENT_REPLAYED,
    headers.MARKET_SOURCE,
]


def create_app(environment: Environment, *, run_sessions: Sessions | None = None) -> FastAPI:
    """Build the service from an explicit environment (tests pass their own, and the API suite where
    its background runs open their transactions: its rolled-back session)."""
    configure_logging(environment.log_level, environment.log_format)
    keyring = BootstrapKeyring(environment.api_keys)
    response_cache = ResponseCache(
        environment.reads.cache_ttl_s,
        single_process=environment.is_sqlite,
        max_bytes=environment.reads.cache_max_bytes,
        keyring=keyring,
        open_reads=environment.auth.open_reads,
        stale_s=environment.reads.stale_max_s,
        refresh_ahead_s=environment.reads.refresh_ahead_s,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with log_writer():  # records formatted and written off the event loop while serving
            async with serve(app):
                yield

    @asynccontextmanager
    async def serve(app: FastAPI) -> AsyncIterator[None]:
        # Each part's stop is pushed as it starts, so they stop in reverse: the scheduler first,
        # the worker processes last.
        tune_heap()  # before the first large buffer (app.platform.runtime.heap)
        async with AsyncExitStack() as stack:
            shutdown = ShutdownSignal()
            stack.push_async_callback(_stop_workers_if_signalled, shutdown)
            engine = create_engine(environment)
            stack.push_async_callback(engine.dispose)
            http = create_http_session(environment.kucoin)
            stack.push_async_callback(http.close)
            gateway = create_gateway(
                environment.kucoin, http, shared=shared_window(environment, engine, replica_name())
            )
            prices = PriceCache(gateway)
            stream = None
            if environment.kucoin.websocket_enabled:
                stream = TickerStream(gateway.client, gateway.converter, prices.on_tick)
                stack.push_async_callback(stream.stop)
            state = AppState(
                environment=environment,
                engine=engine,
                http=http,
                keyring=keyring,
                gateway=gateway,
                prices=prices,
                schedule=SCHEDULE,
                domain_gauges=DATABASE_GAUGES,
                ticker_stream=stream,
                portfolio_cache=PortfolioReadCache() if environment.portfolio.read_cache else None,
                response_cache=response_cache,
                shutdown=shutdown,
                run_sessions=run_sessions,
            )
            app.state.app_state = state
            stack.push_async_callback(response_cache.close)  # its refreshes read the database
            app.state.caller_limits.check_key = stored_key_check(state)
            # Told at SIGTERM, before uvicorn drains: streams end, `?wait=` callers get a 503.
            shutdown.on_stop(lambda: state.event_hub.close(SHUTTING_DOWN))
            shutdown.install()  # before the rest starts: a signal meanwhile is heard too
            follower = state.ticker_follower
            if follower is not None:
                await follower.resync()  # subscribed before serving; then after every change
                follower.start()
                stack.push_async_callback(follower.stop)
            if not environment.is_sqlite:
                channels = {
                    EVENTS: _ignoring_payload(state.events.notify),
                    CHANGES: state.change_notified,
                }
                listener = ChangeListener(
                    environment.database_url,
                    channels=channels,
                    on_listening=_set_listening(state),
                    connect_timeout_s=environment.database.connect_timeout_s,
                )
                listener.start()
                stack.push_async_callback(listener.stop)
            state.event_hub.start()
            stack.push_async_callback(state.event_hub.stop)
            receivers = receiver_session(environment.webhooks)
            stack.push_async_callback(receivers.close)
            webhooks = WebhookDispatcher(
                environment.webhooks,
                state.sessionmaker,
                receivers,
                state.events,
                replica=replica_name(),
                poll_s=environment.events.poll_s,
            )
            webhooks.start()  # only when URLs are configured
            stack.push_async_callback(webhooks.stop)
            # Serve once the dispatcher follows the outbox, so no change after startup goes
            # unsent.
            if environment.webhooks.urls and not await webhooks.ready(
                environment.database.connect_timeout_s
            ):
                logger.warning("webhooks: not following the outbox yet; starting anyway")
            # The heavy reads' worker too: their first caller finds it ready, not spawning.
            prestart(heavy_reads.__name__, worker=READS)
            state.runs.start()
            stack.push_async_callback(state.runs.stop)
            if environment.scheduler.enabled:
                scheduler = Scheduler(state)
                scheduler.start()
                # No new ticks; a run in flight is the job runner's to stop.
                stack.push_async_callback(scheduler.stop)
            # Pushed last, so run first: a stop no signal announced (a test's server, a lost
            # signal) is announced, and the signals go back to the server.
            stack.callback(shutdown.uninstall)
            stack.callback(shutdown.set)
            await stack.enter_async_context(service_heap())
            stack.enter_context(loop_first_gil())
            yield

    app = FastAPI(
        title="MySymbols",
        version=__version__,
        summary="The managed KuCoin futures symbol portfolio behind a trading engine.",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None,  # install_docs serves them and the document, with their files (no CDN)
        redoc_url=None,
        openapi_url=None,
        # A path off by a slash is a 404: a redirect would name a URL the caller did not ask
        # for, and Starlette's is built from the request's Host header.
        redirect_slashes=False,
    )
    limits = app.state.caller_limits = CallerLimits(environment.limits, keyring)
    app.add_middleware(  # request ids, body limit, callers' limits, response cache, metrics, log
        ProtectionLayer,
        limits=limits,
        cache=response_cache,
        max_body_bytes=environment.limits.max_body_bytes,
    )
    if environment.cors.origins:  # outermost: preflights and the headers of every answer
        app.add_middleware(
            CORSMiddleware,
            allow_origins=environment.cors.origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
            max_age=environment.cors.max_age_s,
        )
    install_error_handlers(app, retry_after_s=environment.database.retry_after_s)
    install_openapi(app, environment.api_contact)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(metrics.prometheus_router(environment.metrics))
    install_docs(app)
    dashboard = install_dashboard(app)
    install_root(app, dashboard=f"{DASHBOARD}/" if dashboard else None)
    return app


async def _stop_workers_if_signalled(shutdown: ShutdownSignal) -> None:
    """A signal stops the process once the lifespan ends (no interpreter exit): its worker
    processes are ended here."""
    if shutdown.signalled:
        await stop_workers(WORKERS_STOP_S)


def _caches(state: AppState) -> list[PortfolioReadCache | ResponseCache]:
    return [c for c in (state.portfolio_cache, state.response_cache) if c is not None]


def _ignoring_payload(callback: Callable[[], None]) -> Callable[[str | None], None]:
    def notified(_payload: str | None) -> None:
        callback()

    return notified


def _set_listening(state: AppState) -> Callable[[bool], None]:
    def set_listening(listening: bool) -> None:
        for cache in _caches(state):
            cache.set_listening(listening)

    return set_listening


def __getattr__(name: str) -> Any:
    """Build the module-level `app` on first access, so importing this module reads no env."""
    if name == "app":
        app = create_app(Environment())
        globals()["app"] = app
        return app
    raise AttributeError(name)
