"""`GET /metrics` as Prometheus text: the counted families, the process's memory and CPU, and
gauges read from the service's state at scrape time.

State gauges (breaker, response cache, connection pool) cost nothing; the database ones (the
domains' own, in the order the assembly lists them: the portfolio's members, their target,
weight sum and untradable ones, the market data's age, the records' returns and age) take a few
small queries under a short deadline, and when the database does not answer in time they are
left out and `mysymbols_metrics_database_up` is 0: a scrape never waits on, or fails with, the
database.

Several worker processes: set `PROMETHEUS_MULTIPROC_DIR` to an empty directory, the same for all
of them, before they start; any worker then answers for all (prometheus_client's multiprocess
mode). Process memory and CPU are per process and not shown then; state gauges are the answering
worker's.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from typing import Protocol

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import QueuePool

from app import __version__
from app.kucoin.breaker import BreakerState
from app.kucoin.gateway import KucoinGateway
from app.platform.db.sqlite_writer import readers
from app.platform.http.response_cache import ResponseCache

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# A domain's gauges read on the scrape's connection, under its deadline.
DomainGauges = Callable[[AsyncConnection], Awaitable[list[Metric]]]
DATABASE_DEADLINE_S = 1.0
_registry: CollectorRegistry | None = None


def counted_registry() -> CollectorRegistry:
    """The registry of the counted families: this process's, or every worker's."""
    global _registry
    if _registry is None:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            _registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(_registry)  # type: ignore[no-untyped-call]
        else:
            _registry = REGISTRY
    return _registry


class _Families:
    """Families computed for one scrape, in the shape `generate_latest` reads."""

    def __init__(self, families: Iterable[Metric]) -> None:
        self.families = list(families)

    def collect(self) -> Iterator[Metric]:
        return iter(self.families)


class ScrapeState(Protocol):
    """What a scrape reads of the app's state."""

    @property
    def engine(self) -> AsyncEngine: ...

    @property
    def gateway(self) -> KucoinGateway: ...

    @property
    def response_cache(self) -> ResponseCache | None: ...

    @property
    def domain_gauges(self) -> Sequence[DomainGauges]: ...


async def render(state: ScrapeState) -> bytes:
    """The whole exposition for one scrape."""
    read = await _database_gauges(readers(state.engine), state.domain_gauges)
    own = [*_state_gauges(state), *read]
    return generate_latest(counted_registry()) + generate_latest(_Families(own))


def _state_gauges(state: ScrapeState) -> Iterator[Metric]:
    info = GaugeMetricFamily("mysymbols_build_info", "The running version.", labels=["version"])
    info.add_metric([__version__], 1)
    yield info
    breaker = state.gateway.breaker()
    states = GaugeMetricFamily(
        "mysymbols_kucoin_breaker_state",
        "KuCoin circuit breaker: 1 for its current state.",
        labels=["state"],
    )
    for each in BreakerState:
        states.add_metric([each.value], 1.0 if breaker.state is each else 0.0)
    yield states
    yield CounterMetricFamily(
        "mysymbols_kucoin_breaker_opened",
        "Times the KuCoin breaker opened since the start.",
        value=breaker.times_opened,
    )
    cache = state.response_cache
    if cache is not None:
        yield GaugeMetricFamily(
            "mysymbols_response_cache_bytes",
            "Bytes the response cache keeps: its answers' bodies and their keys.",
            value=cache.bytes,
        )
        yield GaugeMetricFamily(
            "mysymbols_response_cache_entries",
            "Answers the response cache keeps.",
            value=len(cache),
        )
    pool = state.engine.pool
    if isinstance(pool, QueuePool):
        yield GaugeMetricFamily(
            "mysymbols_db_pool_in_use",
            "Database connections checked out of the pool.",
            value=pool.checkedout(),
        )
        yield GaugeMetricFamily(
            "mysymbols_db_pool_idle",
            "Database connections idle in the pool.",
            value=pool.checkedin(),
        )


async def _database_gauges(
    engine: AsyncEngine, domain_gauges: Sequence[DomainGauges]
) -> list[Metric]:
    up = GaugeMetricFamily(
        "mysymbols_metrics_database_up",
        "1 when this scrape read the database's gauges in time, else 0 (they are left out).",
    )
    try:
        async with asyncio.timeout(DATABASE_DEADLINE_S), engine.connect() as connection:
            domains = [await gauges(connection) for gauges in domain_gauges]
    except Exception as exc:  # a scrape reports what it has, whatever the database does
        logger.debug("metrics: database gauges skipped (%s)", exc.__class__.__name__)
        up.add_metric([], 0)
        return [up]
    up.add_metric([], 1)
    return [up, *(gauge for read in domains for gauge in read)]
