"""What the OpenAPI document says of the API as a whole: its description, its contact and its
tags, each declared with what its operations are for (`tests/unit/platform/api/
test_openapi_description.py` fails on a tag an operation uses but this list does not declare,
and on an operation without a description). The tags are the routers' (`resource_router`), and
the typed client's modules are named after them: a renamed tag moves the client's imports."""

from __future__ import annotations

from typing import Any

from app.platform.core.environment_sections import ApiContactEnvironment

DESCRIPTION = """\
The managed portfolio of KuCoin USDT-margined futures symbols behind a trading engine: the
contract universe synced from KuCoin, scored on a schedule, and a portfolio of the best-scored
contracts, changed only by recorded decisions, with its weights, risk, evidence and live record.

**Keys.** Every call but `GET /health` and the anonymous `GET /status` takes an API key (reads
too, unless the deployment opened them), in `X-API-Key` or as `Authorization: Bearer <key>`.
Roles include the ones below them: `read` (every read), `trade` (membership changes,
rebalances, PnL reports, signals, runs on demand), `admin` (settings, keys, the scoring
algorithm, any job). A missing, unknown or revoked key is 401; too low a role, 403; different
keys in one request (`X-API-Key` twice, or a key there and another as a Bearer token), 400: send
one key. On a route that takes a body, the key is checked before the body is read.

**Errors.** Every error is `application/problem+json` (RFC 9457) with a stable `type`
(`urn:mysymbols:problem:<slug>`: branch on it), a `detail` saying how to fix the request, and
the `request_id` of the service's log line. Retry a 429 or a 503 after its `Retry-After`; never
retry a 4xx unchanged.

**Writes and runs.** Writes a client may retry honour `Idempotency-Key`: a retry replays the
first answer. Long work is a job run: `202 Accepted` with the run's `Location`, or with `?wait=`
the outcome once it ends in time.

**Reads.** A read is answered from a short-lived cache (`X-Cache`), never from before a change
the replica knows of (the heavy analytics say `stale` while they are recomputed), with an `ETag`
(`If-None-Match` gets a `304`). Every figure is a JSON number, every time RFC 3339 text; symbols
are accepted in any form (`BTCUSDT`, `XBTUSDTM`, `BTC/USDT:USDT`).

`GET /` links the service's pages: this reference (`/docs`, `/redoc`) and the dashboard
(`/dashboard/`)."""

TAGS: list[dict[str, str]] = [
    {
        "name": "system",
        "description": "Liveness, readiness and the Prometheus metrics: what probes, load "
        "balancers and scrapers call.",
    },
    {
        "name": "symbols",
        "description": "The KuCoin futures contract universe as last synced: each contract in "
        "any symbol form, its market data, its category and whether it is eligible.",
    },
    {
        "name": "scoring",
        "description": "Scoring runs and their rankings, a symbol's scores and breakdowns, the "
        "scoring algorithm in force with its presets and recorded changes, and the walk-forward "
        "evidence for it.",
    },
    {
        "name": "portfolio",
        "description": "The managed portfolio: its members with weights, scores, prices and data "
        "age; membership changes, each one audited; replacement advice; target weights, "
        "rebalancing and position sizes; risk and analytics; the audit trail and the dated "
        "timeline.",
    },
    {
        "name": "interop",
        "description": "The portfolio in another tool's format: freqtrade's RemotePairList.",
    },
    {
        "name": "signals",
        "description": "Trading signals a trade key posts, evaluated by four voting agents "
        "(technical, fundamental, market structure, risk) into a consensus.",
    },
    {
        "name": "alerts",
        "description": "Conditions that need a person (a delisting, a low score, high "
        "correlation, concentration, stale data, an unreachable exchange, a member due to exit, "
        "and more): raised and resolved by the checks, acknowledged by a person.",
    },
    {
        "name": "events",
        "description": "The live event stream (Server-Sent Events) of portfolio changes, weight "
        "updates, scoring runs and alerts, resumable with `Last-Event-ID`.",
    },
    {
        "name": "evidence",
        "description": "The live record: the real portfolio as it was run and the automated "
        "policy's forward record beside its challengers and the baselines, marked hourly after "
        "costs.",
    },
    {
        "name": "replays",
        "description": "Replays of the decision policy on the stored history against baselines, "
        "run in the background: request one, follow it, read its report and timeline.",
    },
    {
        "name": "jobs",
        "description": "The background jobs, their schedule and their runs; a job run now.",
    },
    {
        "name": "configuration",
        "description": "The runtime settings, with their bounds and defaults, changed together "
        "and audited.",
    },
    {
        "name": "api keys",
        "description": "The API keys and their roles (`admin` only); a key is shown once, when "
        "it is created.",
    },
]


def contact(environment: ApiContactEnvironment) -> dict[str, Any]:
    """`info.contact` of the document: the deployment's, as configured."""
    return {
        key: value
        for key, value in (
            ("name", environment.name),
            ("url", environment.url),
            ("email", environment.email),
        )
        if value is not None
    }
