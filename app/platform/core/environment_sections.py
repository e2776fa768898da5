"""The environment's nested groups (`app.platform.core.environment.Environment`), each read
from `MYSYMBOLS_<GROUP>__<FIELD>`: KuCoin, the portfolio's reads, the read cache, the event stream,
webhooks, the scheduler, authentication, CORS, the database, replays, the callers' limits, the
API's contact and the metrics scrape."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import NoDecode

from app.platform.core.webhook_secret import SHAPE, WEBHOOK_SECRET_ENV, webhook_key
from app.platform.core.webhook_urls import check_webhook_url

LIVE_KUCOIN_FUTURES_URL = "https://api-futures.kucoin.com"


class KucoinEnvironment(BaseModel):
    futures_url: str = LIVE_KUCOIN_FUTURES_URL
    """KuCoin futures REST base; point it at the simulator for offline runs."""
    connect_timeout_s: float = Field(default=5.0, gt=0)
    """Seconds to open a connection to KuCoin."""
    request_timeout_s: float = Field(default=10.0, gt=0)
    """Seconds one KuCoin request may take in all before it counts as a failure."""
    max_connections: int = Field(default=32, ge=1)
    """Connections the one HTTP session keeps open to KuCoin at most."""
    quota: int = Field(default=2000, ge=10)
    """Public-pool request weight allowed per window (KuCoin: 2000 per 30 s)."""
    quota_window_s: float = Field(default=30.0, gt=0)
    """The window `quota` is counted over, in seconds (KuCoin's is per IP: every replica of a
    deployment shares it)."""
    shared_budget: bool = True
    """On PostgreSQL, every replica spends the quota from one window kept in the database."""
    replicas: int = Field(default=2, ge=1)
    """Replicas expected to share the quota: without the shared window, each keeps to 1/n."""
    max_attempts: int = Field(default=5, ge=1, le=5)
    """Sends of one KuCoin call on 5xx, timeouts and refused connections, with backoff."""
    breaker_failure_threshold: int = Field(default=5, ge=1)
    """Consecutive failed sends after which the circuit breaker opens."""
    breaker_reset_s: float = Field(default=30.0, gt=0)
    """Seconds the open breaker refuses calls before it lets one probe through."""
    websocket_enabled: bool = True
    """Stream portfolio tickers over the public WebSocket into the price cache."""


class PortfolioEnvironment(BaseModel):
    read_cache: bool = True
    """Reuse the last portfolio read while a one-query version check says nothing changed."""


class ReadsEnvironment(BaseModel):
    cache_ttl_s: float = Field(default=1.0, ge=0)
    """Longest a cached read answer is served (its data ages and prices are at most this old;
    any commit drops it at once); 0 switches the response cache off."""
    cache_max_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    """Most bytes the response cache keeps, its answers' bodies (plain and gzipped) and their
    keys (the least recently used go first beyond it); an answer over 1 MiB is never kept."""
    refresh_ahead_s: float = Field(default=0.25, ge=0)
    """How long before its time limit a cached answer is recomputed in the background, started
    by the first caller to find it that old (who is served it): under steady reads no caller
    waits for a recomputation. Less than `cache_ttl_s`; 0: callers recompute expired answers."""
    stale_max_s: float = Field(default=10.0, ge=0)
    """Oldest a heavy analytics answer (correlation, risk metrics) is served stale after a
    commit, with `Age` and `X-Cache: stale`, while it is recomputed in the background; past it
    callers wait for the recomputation. 0: never served stale."""

    @model_validator(mode="after")
    def _refresh_before_the_limit(self) -> ReadsEnvironment:
        if self.cache_ttl_s > 0 and self.refresh_ahead_s >= self.cache_ttl_s:
            raise ValueError(
                f"refresh_ahead_s ({self.refresh_ahead_s}) must be less than cache_ttl_s "
                f"({self.cache_ttl_s}): an answer would be recomputed at every read"
            )
        return self


class EventsEnvironment(BaseModel):
    heartbeat_s: float = Field(default=15.0, gt=0)
    """Seconds of silence after which the event stream sends a keep-alive comment."""
    poll_s: float = Field(default=1.0, gt=0)
    """Longest wait before this process reads the outbox for its streams without being woken."""
    stream_buffer: int = Field(default=1000, ge=1)
    """Events one stream may have waiting unsent; a client that falls further behind is sent a
    final `error` event (`stream-overflowed`) and disconnected, so it never holds up the rest."""


def comma_separated(value: object) -> object:
    """A list given in the environment as `a,b,c`."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


CommaSeparated = Annotated[list[str], NoDecode, BeforeValidator(comma_separated)]
"""A list of strings, given in the environment as `a,b,c`."""


class WebhookEnvironment(BaseModel):
    # A refused secret must not reach the log in the validation error that stops the service.
    model_config = ConfigDict(hide_input_in_errors=True)

    urls: CommaSeparated = Field(default_factory=list)
    """Receivers of alerts and portfolio changes (comma-separated in the environment)."""
    secret: SecretStr = SecretStr("")
    """Signs every delivery (Standard Webhooks, `whsec_<base64>`, a key of at least 32 bytes);
    required when `urls` are set."""
    kinds: CommaSeparated = Field(
        default_factory=lambda: [
            "alert",
            "portfolio_changed",
            "weights_updated",
            "data_stale",
            "category_changed",
        ]
    )
    """Event kinds POSTed to the receivers (comma-separated in the environment)."""
    max_attempts: int = Field(default=5, ge=1, le=10)
    """Attempts of one delivery on 5xx, timeouts or refused connections."""
    backoff_base_s: float = Field(default=0.5, gt=0)
    """First delay between a delivery's attempts, doubling each time."""
    backoff_max_s: float = Field(default=30.0, gt=0)
    """Longest delay between a delivery's attempts."""
    timeout_s: float = Field(default=5.0, gt=0)
    """Seconds one delivery attempt may take."""
    rate_limit: int = Field(default=20, ge=1)
    """Most deliveries of one event kind to one URL per `rate_window_s`; the rest are dropped
    (and recorded as rate_limited) so a flapping condition does not flood a receiver."""
    rate_window_s: float = Field(default=60.0, gt=0)
    """The window `rate_limit` is counted over, in seconds."""
    queue_max: int = Field(default=100, ge=1, le=10_000)
    """Most deliveries waiting for one URL (each URL has its own queue, so a dead receiver delays
    nobody else); past it a delivery is dropped (recorded as rate_limited, logged, counted), but
    a critical alert joins the URL's digest instead."""
    coalesce_s: float = Field(default=30.0, gt=0)
    """Critical alerts past `rate_limit` or `queue_max` are never dropped: they are coalesced into
    one digest per URL, sent at most once per this many seconds."""
    claim_ttl_s: float = Field(default=30.0, ge=1)
    """A claimed (`sending`) delivery whose replica has not heartbeated for this long is
    re-claimed by a live replica (at least once); replicas heartbeat every third of it."""
    allow_http: bool = False
    """Accept http:// receivers (https:// only otherwise)."""
    allow_private_addresses: bool = False
    """Accept receivers given as private or loopback IP literals (link-local never)."""

    @model_validator(mode="after")
    def signed_when_sent(self) -> Self:
        """Refuse URLs without a secret (deliveries would be forgeable) and malformed secrets."""
        secret = self.secret.get_secret_value()
        if self.urls and not secret:
            raise ValueError(
                f"{WEBHOOK_SECRET_ENV} is required when MYSYMBOLS_WEBHOOKS__URLS is set: {SHAPE}"
            )
        if secret:
            webhook_key(secret)
        for url in self.urls:
            check_webhook_url(
                url, allow_http=self.allow_http, allow_private=self.allow_private_addresses
            )
        return self


class SchedulerEnvironment(BaseModel):
    enabled: bool = True
    """Run the in-process background jobs (the leader among the replicas runs each tick)."""
    tick_s: float | None = Field(default=None, gt=0)
    """Run every job at this period instead of its configured interval (tests, demos)."""
    jitter_s: float = Field(default=2.0, ge=0)
    """Each replica waits a random fraction of this after a tick, so they do not stampede."""
    auto_rebalance: bool = False
    """Also rebalance on a schedule (usually a cron calls POST /portfolio/rebalance instead)."""
    request_gap_s: float = Field(default=30.0, ge=0)
    """Least time from the end of a requested run of a job to the start of the next requested
    one, across replicas (a sooner request is a 429 with `Retry-After`): a refresh or a sync
    spends the exchange quota every replica shares. Scheduled ticks are not requests; 0 lifts
    it."""
    trim_heap_after_runs: bool = True
    """After each job run, hand the C heap's freed memory back to the system (glibc's
    `malloc_trim`; nothing elsewhere). Without it a scoring run's freed buffers stay resident."""


class AuthEnvironment(BaseModel):
    open_reads: bool = False
    """When true, `read`-role endpoints answer without a key; writes always need one."""


class CorsEnvironment(BaseModel):
    origins: CommaSeparated = Field(default_factory=list)
    """Browser origins (`https://desk.example.com`) allowed to call the API from their pages;
    none by default (comma-separated in the environment; `*` allows any, without credentials)."""
    max_age_s: int = Field(default=600, ge=0)
    """How long a browser may keep a preflight answer."""


class DatabaseEnvironment(BaseModel):
    pool_size: int = Field(default=4, ge=1)
    """PostgreSQL connections the pool keeps (the lab worker opens one more while it reads
    a run's history, `application_name` `mysymbols-lab`); on SQLite, the readers' (its
    writes go through one connection of their own). Each kept connection holds the
    statements it has prepared, so fewer kept ones grow the service less over its first
    hours (docs/operations.md)."""
    max_overflow: int = Field(default=16, ge=0)
    """Connections the pool may open beyond `pool_size` under load, closed when they come
    back (with the default `pool_size`, 20 at once at most)."""
    connect_timeout_s: float = Field(default=3.0, gt=0)
    """Give up connecting to the database after this long (the request answers 503)."""
    statement_timeout_s: float = Field(default=15.0, gt=0)
    """Per-statement timeout, and the longest a write waits for a lock (PostgreSQL's row and
    advisory locks; SQLite: its turn on the service's one writer connection) before it answers
    503 `busy`."""
    retry_after_s: int = Field(default=5, ge=1)
    """Seconds a client is told to wait (`Retry-After`) when the database is unreachable."""
    slow_query_ms: float = Field(default=500.0, ge=0)
    """A statement that takes longer is logged (its first characters and duration); 0: none."""
    sqlite_busy_timeout_s: float = Field(default=5.0, gt=0, le=60)
    """SQLite (the embedded default): how long a write waits for another process writing the
    same file (`migrate`, `import-history`, a second service) before it gives up, in seconds.
    The service's own writes never meet each other: they take turns on its one writer
    connection (bounded by `statement_timeout_s`)."""


class ReplayEnvironment(BaseModel):
    max_pending_per_key: int = Field(default=3, ge=1)
    """Most replay, calibration and what-if runs one key may have queued or running at once;
    `POST /replays` beyond it is a 409 (they share one lab worker per replica)."""


class LimitsEnvironment(BaseModel):
    """What one request, and one caller, may take from one replica (every rate here is per
    replica: n replicas behind a load balancer admit up to n times as much); see docs/operations.md,
    "Limits and abuse"."""

    max_body_bytes: int = Field(default=256 * 1024, ge=1)
    """Largest request body, in bytes; a larger one is a 413, refused from its Content-Length
    before any of it is read, or as soon as a body without one (chunked) passes it."""
    read_per_s: float = Field(default=200.0, gt=0)
    """Reads a key (or, without one, a client address) may make per second, sustained."""
    read_burst: int = Field(default=1000, ge=1)
    """Reads it may make at once after a pause (the bucket's size)."""
    heavy_per_s: float = Field(default=2.0, gt=0)
    """Heavy analytics reads computed per second (correlation, metrics, HRP or risk-parity
    weights, any `window` above `heavy_window_hours`); an answer served from the response
    cache is not one."""
    heavy_burst: int = Field(default=30, ge=1)
    """Heavy reads it may compute at once after a pause."""
    heavy_window_hours: int = Field(default=720, ge=1)
    """A read with a `window` longer than this is heavy wherever it is asked."""
    write_per_s: float = Field(default=20.0, gt=0)
    """Writes (POST, PUT, DELETE) a key or address may make per second, sustained."""
    write_burst: int = Field(default=300, ge=1)
    """Writes it may make at once after a pause."""
    key_lookups_per_s: float = Field(default=20.0, gt=0)
    """Stored keys this replica has not seen yet that it looks up per second, in all, for a
    caller whose address bucket is spent (the key is then limited in a bucket of its own)."""
    key_lookups_burst: int = Field(default=50, ge=1)
    """Such lookups it may make at once after a pause."""
    max_callers: int = Field(default=10_000, ge=1)
    """Buckets kept per kind; the least recently used beyond it (and any idle one: full again)
    are forgotten, so callers rotating keys or addresses cannot grow memory."""
    streams_per_key: int = Field(default=10, ge=1)
    """Event streams (`GET /events`) one key (or address) may hold open on this replica."""
    streams_per_process: int = Field(default=200, ge=1)
    """Event streams this replica holds open in all."""


class ApiContactEnvironment(BaseModel):
    """Who answers for this deployment's API: the OpenAPI document's `info.contact`, shown at
    the top of `/docs` and `/redoc` and read by API tooling."""

    name: str = Field(default="The operators of this MySymbols deployment", min_length=1)
    """The team (or person) to ask about this deployment's API."""
    url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+\S*$")
    """A page of theirs (an `http(s)://` URL: a runbook, a chat channel, a ticket queue); unset:
    none shown."""
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    """Their address; unset: none shown."""


class MetricsEnvironment(BaseModel):
    access: Literal["open", "read"] = "read"
    """Who may scrape `GET /metrics`: anyone, or a key with the `read` role (as read routes)."""
