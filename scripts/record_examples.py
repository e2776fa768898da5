"""Record the examples `/docs` shows for the service's answers: the service against its KuCoin
simulator (the recorded contract list, on a fresh SQLite file, in this process) syncs, scores,
builds a five-member portfolio and answers each read once; each answer, its lists cut to two
rows, is written to app/platform/schemas/examples/<Model>.json, which the model shows (see
app.platform.schemas.recorded).

    python -m scripts.record_examples                       # every model it records
    python -m scripts.record_examples --model RebalanceRead  # only those named
    python -m scripts.record_examples --into /tmp/examples   # elsewhere

The answers carry the run's own times, ids and scores, so a recording differs from the last one
in its values: record the models whose fields changed, then `scripts/dev.sh client`. The
evidence, replay, forward-record and algorithm-history examples come from long replays over
market history and the live track record, which the simulator cannot stand in for: their files
are kept as written (RECORDED below lists what this script writes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.migrations import upgrade_to_head
from app.platform.schemas.recorded import EXAMPLES_DIR
from tests.kucoin_sim.app import KucoinSimulator

API = "/api/symbol-mgmt"
ADMIN_KEY = "record-examples-admin-key-0123456789"
MEMBERS = 5
BALANCE = 25000
ROWS = 2  # the rows a list keeps
ALERTING_LIMIT = 0.3  # the correlation limit for the alert check (the default is 0.85)
# KuCoin's quota out of the way, the simulator's and the service's: a run's ~2 100 weight
# against one replica's share of it (1 000 per 30 s) kept the recording waiting ~25 s of its
# 36, and no recorded answer shows the waits (the limiter's own tests:
# tests/integration/scoring/test_scoring_budget.py). The run's weight budget is unchanged.
QUOTA = 1_000_000
EXAMPLE_KEY = "msk_example0"  # what a created key shows instead of the one the run made

Answers = dict[str, Any]


def environment(database_url: str, sim_url: str) -> Environment:
    """The service on `database_url` against the simulator: one admin key, no scheduler, no
    read caches (every answer is computed for the request), no quota to wait on."""
    return Environment.model_validate(
        {
            "database_url": database_url,
            "log_level": "WARNING",
            "api_keys": f"admin:{ADMIN_KEY}",
            "scheduler": {"enabled": False},
            "kucoin": {"futures_url": sim_url, "websocket_enabled": False, "quota": QUOTA},
            "portfolio": {"read_cache": False},
            "reads": {"cache_ttl_s": 0},
        }
    )


def trimmed(value: Any) -> Any:
    """`value` with every list of objects cut to its first ROWS (lists of numbers, such as a
    correlation matrix's rows or an equity curve's points, stay whole)."""
    if isinstance(value, dict):
        return {k: trimmed(v) for k, v in value.items()}
    if isinstance(value, list):
        rows = value[:ROWS] if any(isinstance(v, dict) for v in value) else value
        return [trimmed(v) for v in rows]
    return value


class Session:
    """The API calls of the recording, each checked: a failed one stops it."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def call(self, method: str, path: str, **kw: Any) -> Any:
        response = await self.client.request(method, API + path, timeout=120, **kw)
        if response.status_code not in (200, 201):
            raise SystemExit(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json()


async def portfolio_answers(api: Session) -> Answers:
    """Sync, score, add the top MEMBERS by composite; the portfolio's reads."""
    await api.call("POST", "/symbols/sync", params={"wait": 60})
    await api.call("POST", "/scoring/calculate", params={"wait": 60})
    ranked = (await api.call("GET", "/scoring/rankings", params={"limit": MEMBERS}))["items"]
    top = [item["symbol"] for item in ranked]
    change: Any = None
    for symbol in top:
        change = await api.call("POST", "/portfolio/add-symbol", json={"symbol": symbol})
    first = top[0]
    performance = {"symbol": first, "pnl": 125.5, "timestamp": "2026-11-23T06:00:00Z"}
    return {
        "ChangeRead": change,
        "HistoryRead": (await api.call("GET", "/portfolio/history", params={"limit": 1}))[0],
        "WeightsRead": await api.call("GET", "/portfolio/weights"),
        "StatisticsRead": await api.call("GET", "/portfolio/statistics"),
        "MetricsRead": await api.call("GET", "/portfolio/metrics"),
        "CorrelationRead": await api.call("GET", "/portfolio/correlation"),
        "PositionSizeRead": await api.call(
            "GET", "/portfolio/position-size", params={"symbol": first, "account_balance": BALANCE}
        ),
        "RebalanceRead": await api.call(
            "POST", "/portfolio/rebalance", json={"dry_run": True, "account_balance": BALANCE}
        ),
        "ReplacementCandidatesRead": await api.call("GET", "/portfolio/replacement-candidates"),
        "PerformanceRead": await api.call("POST", "/portfolio/performance", json=performance),
        "SymbolScoresRead": await api.call(
            "GET", f"/scoring/symbol/{first}/scores", params={"limit": 1}
        ),
        "SymbolPage": await api.call("GET", "/symbols", params={"limit": 1}),
        "PresetRead": (await api.call("GET", "/scoring/algorithms/presets"))[0],
    }


async def signal_and_alert_answers(api: Session) -> Answers:
    """A signal posted and processed, the signals' statistics, an alert check and its alert
    (the correlation limit lowered first, so that two members raise one)."""
    members = (await api.call("GET", "/portfolio"))["members"]
    signal = {
        "source": "momentum-bot",
        "symbol": members[0]["symbol"],
        "signal_type": "BREAKOUT",
        "direction": "BUY",
        "strength": 0.8,
        "confidence": 0.7,
        "payload": {"level": 151.2, "bot_version": "2.4"},
    }
    created = await api.call("POST", "/signals", json=signal)
    processed = await api.call("POST", "/signals/process")
    statistics = await api.call("GET", "/signals/statistics")
    await api.call("PUT", "/config", json={"values": {"correlation_limit": ALERTING_LIMIT}})
    checked = await api.call("POST", "/alerts/check")
    alerts = await api.call("GET", "/alerts", params={"limit": 1})
    if not alerts:
        raise SystemExit(f"no two members correlate above {ALERTING_LIMIT}: no alert to record")
    return {
        "SignalSummary": processed[0],
        "SignalRead": await api.call("GET", f"/signals/{created['id']}"),
        "SignalStatistics": statistics,
        "AlertCheckRead": checked,
        "AlertRead": alerts[0],
    }


async def api_key_answers(api: Session) -> Answers:
    """A key created for the engine (its secret replaced by an example one) and as listed."""
    created = await api.call("POST", "/api-keys", json={"name": "trading-engine", "role": "trade"})
    listed = next(k for k in await api.call("GET", "/api-keys") if k["id"] == created["id"])
    shown = {"prefix": EXAMPLE_KEY}
    return {
        "ApiKeyCreated": {
            **created,
            **shown,
            "key": f"{EXAMPLE_KEY}_EXAMPLE-ONLY-not-a-real-key-0000000000000",
        },
        "ApiKeyRead": {**listed, **shown},
    }


STEPS: list[Callable[[Session], Awaitable[Answers]]] = [
    portfolio_answers,
    signal_and_alert_answers,
    api_key_answers,
]
RECORDED = (
    "AlertCheckRead",
    "AlertRead",
    "ApiKeyCreated",
    "ApiKeyRead",
    "ChangeRead",
    "CorrelationRead",
    "HistoryRead",
    "MetricsRead",
    "PerformanceRead",
    "PositionSizeRead",
    "PresetRead",
    "RebalanceRead",
    "ReplacementCandidatesRead",
    "SignalRead",
    "SignalSummary",
    "SignalStatistics",
    "StatisticsRead",
    "SymbolPage",
    "SymbolScoresRead",
    "WeightsRead",
)


async def record(workdir: Path) -> Answers:
    """Every answer of the recording, by model name, trimmed."""
    simulator = KucoinSimulator(quota=QUOTA)
    sim_url = await simulator.start()
    try:
        database_url = f"sqlite+aiosqlite:///{workdir / 'examples.db'}"
        await asyncio.to_thread(upgrade_to_head, database_url)
        app = create_app(environment(database_url, sim_url))
        answers: Answers = {}
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            headers = {"X-API-Key": ADMIN_KEY}
            async with httpx.AsyncClient(
                transport=transport, base_url="http://mysymbols.example", headers=headers
            ) as client:
                for step in STEPS:
                    answers.update(await step(Session(client)))
        return {name: trimmed(answer) for name, answer in answers.items()}
    finally:
        await simulator.stop()


def write(answers: Answers, into: Path, models: list[str]) -> list[Path]:
    """Write the answers of `models` (all when empty) as `<Model>.json` files into `into`."""
    into.mkdir(parents=True, exist_ok=True)
    written = []
    for name in models or sorted(answers):
        path = into / f"{name}.json"
        path.write_text(json.dumps(answers[name], indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.record_examples", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--into", type=Path, default=EXAMPLES_DIR, help="where to write them")
    parser.add_argument(
        "--model",
        action="append",
        default=[],
        choices=RECORDED,
        help="record only this model (repeatable)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        answers = asyncio.run(record(Path(workdir)))
    for path in write(answers, args.into, args.model):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
