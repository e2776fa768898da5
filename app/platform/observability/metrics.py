"""The service's Prometheus metric families and the one-line hooks that move them.

The rest of the code calls the functions here at the points where something happened (a request
answered, a job run ended, a KuCoin call returned, a scoring run finished, a statement ran long);
the families live in prometheus_client's default registry, or, when `PROMETHEUS_MULTIPROC_DIR`
is set before the process starts, in its shared files (several workers, one scrape). What is
read from the service's state at scrape time is in `app.platform.http.scrape`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Mapping
from typing import TypeVar

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

T = TypeVar("T")
disable_created_metrics()  # type: ignore[no-untyped-call]  # `*_created`: double the output for a start time

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_RUN = (0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
_WAIT = (0.001, 0.01, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "mysymbols_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "mysymbols_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route"],
    buckets=_LATENCY,
)

JOB_RUNS = Counter(
    "mysymbols_job_runs",
    "Job runs ended, by job and the status they ended with.",
    ["job", "status"],
)
JOB_DURATION = Histogram(
    "mysymbols_job_run_duration_seconds",
    "Duration of job runs, by job and status.",
    ["job", "status"],
    buckets=_RUN,
)
JOB_LAST_END = Gauge(
    "mysymbols_job_last_end_timestamp_seconds",
    "When a run of the job last ended with the status.",
    ["job", "status"],
    multiprocess_mode="mostrecent",
)

KUCOIN_REQUESTS = Counter(
    "mysymbols_kucoin_requests",
    "KuCoin HTTP requests sent, by endpoint and outcome.",
    ["endpoint", "outcome"],
)
KUCOIN_DURATION = Histogram(
    "mysymbols_kucoin_request_duration_seconds",
    "Time for KuCoin to answer one request.",
    ["endpoint"],
    buckets=_LATENCY,
)
KUCOIN_429 = Counter(
    "mysymbols_kucoin_rate_limited",
    "KuCoin answers 429 (quota exhausted), by endpoint.",
    ["endpoint"],
)
KUCOIN_WAIT = Histogram(
    "mysymbols_kucoin_rate_limit_wait_seconds",
    "Time a KuCoin request waited for the rate limiter before it was sent.",
    buckets=_WAIT,
)
KUCOIN_REFUSED = Counter(
    "mysymbols_kucoin_rate_limit_refusals",
    "KuCoin requests not sent because the quota frees up only after longer than a caller waits.",
)

SCORING_DURATION = Histogram(
    "mysymbols_scoring_run_duration_seconds", "Duration of completed scoring runs.", buckets=_RUN
)
SCORING_SCORED = Gauge(
    "mysymbols_scoring_last_scored_symbols",
    "Symbols scored by the latest scoring run.",
    multiprocess_mode="mostrecent",
)
SCORING_EXCLUDED = Gauge(
    "mysymbols_scoring_last_excluded_symbols",
    "Symbols the latest scoring run excluded, by data-quality reason.",
    ["reason"],
    multiprocess_mode="mostrecent",
)

DB_POOL_WAITS = Counter(
    "mysymbols_db_pool_waits", "Connection checkouts that found the pool at its limit and waited."
)
DB_POOL_WAIT = Histogram(
    "mysymbols_db_pool_wait_seconds",
    "Time those checkouts waited for a connection.",
    buckets=_WAIT,
)
DB_SLOW_QUERIES = Counter(
    "mysymbols_db_slow_queries", "Statements that ran longer than database.slow_query_ms."
)

EVENT_OUTBOX_READS = Counter(
    "mysymbols_event_outbox_reads",
    "Reads of the event outbox for the open event streams (one per wake-up, for all of them).",
)
EVENT_STREAMS = Gauge("mysymbols_event_streams", "Event streams open.", multiprocess_mode="livesum")

WEBHOOK_DELIVERIES = Counter(
    "mysymbols_webhook_deliveries",
    "Webhook deliveries ended, by event kind and outcome (delivered; coalesced: a critical alert "
    "carried in a digest; failed: retries spent, a 3xx or 4xx; dropped: past the rate limit or "
    "the URL's queue bound).",
    ["kind", "outcome"],
)
WEBHOOK_LAG = Gauge(
    "mysymbols_webhook_delivery_lag_seconds",
    "Age of the oldest event still waiting for delivery to the receiver (host:port#the first 6 "
    "hex digits of the URL's SHA-256); 0 when its queue is empty.",
    ["receiver"],
    multiprocess_mode="livemax",
)

_SYMBOL_PATHS = (
    (re.compile(r"^/api/v1/contracts/(?!active$)[^/]+$"), "/api/v1/contracts/{symbol}"),
)
_OUTCOMES = {
    "exchange-rate-limited": "rate_limited",
    "exchange-unavailable": "unavailable",
    "exchange-bad-response": "bad_response",
    "exchange-request-rejected": "rejected",
    "unknown-symbol": "unknown_symbol",
}
_excluded_reasons: set[str] = set()


# RFC 9110's methods and PATCH (RFC 5789); any other token a client sends is `other`, so no
# caller can grow the label set (h11 passes any token on, httptools dozens of WebDAV ones).
HTTP_METHODS = frozenset(
    ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
)
OTHER_METHOD = "other"


def method_label(method: str) -> str:
    """`method` as the HTTP families label it: a standard method, else `other`."""
    return method if method in HTTP_METHODS else OTHER_METHOD


# The HTTP families' children by (method label, route, status), found once each: `labels()`
# validates and converts its values at every call. Bounded as the labels are.
_http_children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """An HTTP answer: counted and timed by method (bounded), route template and status."""
    label = method_label(method)
    key = (label, route, status)
    children = _http_children.get(key)
    if children is None:
        children = _http_children[key] = (
            HTTP_REQUESTS.labels(label, route, str(status)),
            HTTP_DURATION.labels(label, route),
        )
    children[0].inc()
    children[1].observe(seconds)


def observe_job_run(job: str, status: str, seconds: float | None) -> None:
    """A run of `job` ended with `status` (whatever the runner records) after `seconds`."""
    JOB_RUNS.labels(job, status).inc()
    JOB_LAST_END.labels(job, status).set(time.time())
    if seconds is not None:
        JOB_DURATION.labels(job, status).observe(seconds)


def kucoin_endpoint(path: str) -> str:
    """The path with its symbol replaced by `{symbol}` (symbols otherwise travel in the query)."""
    for pattern, template in _SYMBOL_PATHS:
        if pattern.match(path):
            return template
    return path


async def kucoin_request(path: str, sending: Awaitable[T]) -> T:
    """Await one request to KuCoin, counting it by endpoint and outcome (429s apart)."""
    endpoint = kucoin_endpoint(path)
    started = time.perf_counter()
    try:
        result = await sending
    except Exception as exc:
        outcome = _OUTCOMES.get(str(getattr(exc, "slug", "")), "error")
        KUCOIN_REQUESTS.labels(endpoint, outcome).inc()
        if outcome == "rate_limited":
            KUCOIN_429.labels(endpoint).inc()
        raise
    finally:
        KUCOIN_DURATION.labels(endpoint).observe(time.perf_counter() - started)
    KUCOIN_REQUESTS.labels(endpoint, "ok").inc()
    return result


async def rate_limit_wait(acquiring: Awaitable[T]) -> T:
    """Await the rate limiter's permission, observing how long it held the request back."""
    started = time.perf_counter()
    try:
        return await acquiring
    except Exception:
        KUCOIN_REFUSED.inc()
        raise
    finally:
        KUCOIN_WAIT.observe(time.perf_counter() - started)


def observe_scoring_run(seconds: float, scored: int, excluded_by_reason: Mapping[str, int]) -> None:
    SCORING_DURATION.observe(seconds)
    SCORING_SCORED.set(scored)
    for reason in _excluded_reasons - set(excluded_by_reason):  # gone since the last run: 0
        SCORING_EXCLUDED.labels(reason).set(0)
    for reason, count in excluded_by_reason.items():
        SCORING_EXCLUDED.labels(reason).set(count)
    _excluded_reasons.update(excluded_by_reason)


def observe_pool_wait(seconds: float) -> None:
    DB_POOL_WAITS.inc()
    DB_POOL_WAIT.observe(seconds)


def observe_slow_query() -> None:
    DB_SLOW_QUERIES.inc()


def observe_outbox_read() -> None:
    EVENT_OUTBOX_READS.inc()


def observe_event_streams(open_streams: int) -> None:
    EVENT_STREAMS.set(open_streams)


def observe_webhook_delivery(kind: str, outcome: str, count: int = 1) -> None:
    WEBHOOK_DELIVERIES.labels(kind, outcome).inc(count)


def observe_webhook_lag(receiver: str, seconds: float) -> None:
    WEBHOOK_LAG.labels(receiver).set(seconds)
