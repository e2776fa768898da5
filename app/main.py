"""Application factory and lifespan; `uvicorn app.main:app` builds the app from the environment."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import __version__
from app.api.body_limit import BodyLimitMiddleware
from app.api.middleware import (
    MARKET_SOURCE_HEADER,
    MarketSourceMiddleware,
    RequestContextMiddleware,
)
from app.api.openapi import install_openapi, operation_id
from app.api.problems import install_error_handlers
from app.api.query_params import refuse_unknown_query
from app.api.rate_limit import CallerLimitMiddleware, CallerLimits, limit_heavy_reads
from app.api.response_cache import ResponseCache, ResponseCacheMiddleware
from app.api.routers import (
    alerts,
    api_keys,
    config,
    events,
    evidence,
    jobs,
    metrics,
    pairlist,
    portfolio,
    portfolio_ops,
    replays,
    scoring,
    signals,
    symbols,
    system,
)
from app.core.config import Settings
from app.core.log import configure_logging, log_writer
from app.core.security import BootstrapKeyring
from app.dashboard import install_dashboard
from app.db.engine import create_engine
from app.db.notifications import CHANGES, EVENTS, ChangeListener
from app.db.rate_budget import shared_window
from app.exchange.factory import create_gateway, create_http_session
from app.exchange.websocket import TickerStream
from app.observability.http import RequestMetricsMiddleware
from app.runtime.collector import service_heap
from app.runtime.gil import loop_first_gil
from app.runtime.offload import stop_workers
from app.scheduler.job import replica_name
from app.scheduler.runner import Scheduler
from app.services.market.prices import PriceCache
from app.services.portfolio.reads import PortfolioReadCache
from app.services.system.event_hub import SHUTTING_DOWN
from app.services.system.webhooks import WebhookDispatcher
from app.state import AppState

logger = logging.getLogger(__name__)

WORKERS_STOP_S = 5.0  # at a signal, for the ended worker processes to be reaped
API_PREFIX = "/api/symbol-mgmt"
CORS_REQUEST_HEADERS = [
    "X-API-Key", "Authorization", "Content-Type", "Idempotency-Key", "If-None-Match",
    "Last-Event-ID", "X-Request-ID",
]  # fmt: skip
CORS_RESPONSE_HEADERS = [
    "ETag", "Location", "Retry-After", "X-Request-ID", "X-Cache", "Idempotent-Replayed",
    MARKET_SOURCE_HEADER,
]  # fmt: skip


def create_app(settings: Settings) -> FastAPI:
    """Build the service from explicit settings (tests pass their own)."""
    configure_logging(settings.log_level, settings.log_format)
    keyring = BootstrapKeyring(settings.api_keys)
    response_cache = ResponseCache(
        settings.reads.cache_ttl_s,
        single_process=settings.is_sqlite,
        max_bytes=settings.reads.cache_max_bytes,
        keyring=keyring,
        open_reads=settings.auth.open_reads,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with log_writer():  # records formatted and written off the event loop while serving
            async with serve(app):
                yield

    @asynccontextmanager
    async def serve(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        http = create_http_session(settings.kucoin)
        gateway = create_gateway(
            settings.kucoin, http, shared=shared_window(settings, engine, replica_name())
        )
        prices = PriceCache(gateway)
        stream = None
        if settings.kucoin.websocket_enabled:
            stream = TickerStream(gateway.client, gateway.converter, prices.on_tick)
        app.state.app_state = AppState(
            settings=settings,
            engine=engine,
            http=http,
            keyring=keyring,
            gateway=gateway,
            prices=prices,
            ticker_stream=stream,
            portfolio_cache=PortfolioReadCache() if settings.portfolio.read_cache else None,
            response_cache=response_cache,
        )
        app.state.app_state.replays.start()
        app.state.app_state.jobs.start()
        event_hub = app.state.app_state.event_hub
        event_hub.start()
        # Told at SIGTERM, before uvicorn drains: streams end, `?wait=` callers get a 503.
        app.state.app_state.shutdown.on_stop(lambda: event_hub.close(SHUTTING_DOWN))
        app.state.app_state.shutdown.install()
        listener = None
        state = app.state.app_state
        follower = state.ticker_follower
        if follower is not None:
            await follower.resync()  # subscribed before serving; then after every change
            follower.start()
        if not settings.is_sqlite:
            channels = {EVENTS: _ignoring_payload(state.events.notify),
                        CHANGES: state.change_notified}  # fmt: skip
            listener = ChangeListener(
                settings.database_url,
                channels=channels,
                on_listening=_set_listening(state),
                connect_timeout_s=settings.database.connect_timeout_s,
            )
            listener.start()
        scheduler = None
        if settings.scheduler.enabled:
            scheduler = Scheduler(state)
            scheduler.start()
        webhooks = WebhookDispatcher(
            settings.webhooks, state.sessionmaker, http, state.events, replica=replica_name(),
            poll_s=settings.events.poll_s,
        )  # fmt: skip
        webhooks.start()  # only when URLs are configured
        # Serve once the dispatcher follows the outbox, so no change after startup goes unsent.
        if settings.webhooks.urls and not await webhooks.ready(settings.database.connect_timeout_s):
            logger.warning("webhooks: not following the outbox yet; starting anyway")
        try:
            with service_heap(), loop_first_gil():
                yield
        finally:
            state.shutdown.set()  # a stop no signal announced (a test's server, a lost signal)
            state.shutdown.uninstall()
            if scheduler is not None:
                await scheduler.stop()  # no new ticks; a run in flight is the runner's to stop
            await state.jobs.stop()
            await state.replays.stop()
            await webhooks.stop()
            await event_hub.stop()
            if listener is not None:
                await listener.stop()
            if follower is not None:
                await follower.stop()
            if stream is not None:
                await stream.stop()
            await http.close()
            await engine.dispose()
            if state.shutdown.signalled:
                await stop_workers(WORKERS_STOP_S)

    app = FastAPI(
        title="MySymbols",
        version=__version__,
        summary="The managed KuCoin futures symbol portfolio behind a trading engine.",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.caller_limits = CallerLimits(settings.limits, keyring)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(ResponseCacheMiddleware, cache=response_cache)
    app.add_middleware(  # outside the cache: a flood of cached answers still costs the loop
        CallerLimitMiddleware, limits=app.state.caller_limits,
        liveness=f"{API_PREFIX}/health", readiness=f"{API_PREFIX}/status",
    )  # fmt: skip
    app.add_middleware(MarketSourceMiddleware)  # outside the cache: cached answers carry it too
    # Outside everything that could read a body; inside the metrics and CORS, which read none,
    # so its 413s are counted and a browser can read them.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.limits.max_body_bytes)
    app.add_middleware(RequestMetricsMiddleware)  # outside the cache: its answers count too
    if settings.cors.origins:  # outermost: preflights and the headers of every answer
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors.origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
            max_age=settings.cors.max_age_s,
        )
    install_error_handlers(app, retry_after_s=settings.database.retry_after_s)
    install_openapi(app)
    # Every API route: unknown query parameters refused, heavy reads taken from their bucket.
    guards = [Depends(refuse_unknown_query), Depends(limit_heavy_reads)]
    for router in (
        system.router, api_keys.router, symbols.router, scoring.router, portfolio.router,
        portfolio_ops.router, pairlist.router, events.router, alerts.router, signals.router,
        replays.router, evidence.router, jobs.router, config.router,
    ):  # fmt: skip
        app.include_router(router, prefix=API_PREFIX, dependencies=guards)
    app.include_router(metrics.metrics_router(settings.metrics))  # /metrics, where scrapers look
    install_dashboard(app)
    return app


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
        app = create_app(Settings())
        globals()["app"] = app
        return app
    raise AttributeError(name)
