"""Benchmark: `GET /portfolio/timeline` over a year of hourly changes (issue 27: <= 1 s).

`python -m tests.bench.bench_timeline [--hours 8760] [--members 10] [--rounds 5] [--sqlite]`

A throw-away database (PostgreSQL by default, `--sqlite` for a file) is migrated and given
`--hours` audit rows an hour apart, each holding `--members` members (every row replaces one
member and moves every weight, as an hourly rebalance with a replacement would), written
straight into `portfolio_history` as `record_change` writes them. The service runs as a uvicorn
process; each round asks for the whole year as JSON and as CSV, over real HTTP, with a `to` of
its own (so the response cache never answers). Printed: rows, body size, and the best and the
median wall time of each. Numbers only, no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine

from app.market.models import Symbol
from app.platform.db.migrations import upgrade_to_head
from app.portfolio.models import PortfolioHistory
from tests.bench.harness import KEY
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.deployed import API, process, service_env, uvicorn, wait_for
from tests.sim_fixtures import free_port

START = datetime(2025, 1, 1, tzinfo=UTC)
POOL = 40  # symbols the members rotate through


def symbol_row(k: int) -> dict[str, Any]:
    base = f"B{k:03d}"
    return {
        "symbol": f"{base}USDT",
        "kucoin_symbol": f"{base}USDTM",
        "ccxt_symbol": f"{base}/USDT:USDT",
        "base_currency": base,
        "quote_currency": "USDT",
        "settle_currency": "USDT",
        "contract_type": "FFWCSX",
        "is_inverse": False,
        "lot_size": Decimal(1),
        "tick_size": Decimal("0.01"),
        "multiplier": Decimal("0.001"),
        "max_leverage": 50,
        "status": "Open",
        "is_eligible": True,
    }


def audit_rows(hours: int, members: int) -> list[dict[str, Any]]:
    """An hourly year: each row replaces one member and moves every weight."""
    held = list(range(members))
    rows = []
    for h in range(hours):
        held[h % members] = (held[h % members] + members + h) % POOL
        while len(set(held)) < members:  # keep the members distinct
            held[h % members] = (held[h % members] + 1) % POOL
        raw = [1.0 + ((h * 7 + i * 13) % 10) / 10 for i in range(members)]
        weights = [Decimal(str(round(100 * w / sum(raw), 4))) for w in raw]
        weights[-1] += Decimal(100) - sum(weights)
        at = START + timedelta(hours=h)
        portfolio = [
            {
                "symbol": f"B{s:03d}USDT",
                "kucoin_symbol": f"B{s:03d}USDTM",
                "rank": i + 1,
                "weight": str(w),
                "included_at": at.isoformat(),
                "entry_price": "1.5",
            }
            for i, (s, w) in enumerate(zip(held, weights, strict=True))
        ]
        rows.append(
            {
                "occurred_at": at,
                "action": "replace",
                "symbol": portfolio[h % members]["symbol"],
                "reason": "scheduled",
                "actor": "bench",
                "details": {
                    "portfolio": portfolio,
                    "weights_before": {},
                    "weighting": {"method": "score", "relaxed_caps": False},
                },
            }
        )
    return rows


async def fill(url: str, hours: int, members: int) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(insert(Symbol), [symbol_row(k) for k in range(POOL)])
        rows = audit_rows(hours, members)
        for start in range(0, len(rows), 1000):
            await connection.execute(insert(PortfolioHistory), rows[start : start + 1000])
    await engine.dispose()


def measure(base: str, hours: int, rounds: int) -> None:
    end = START + timedelta(hours=hours)
    with httpx.Client(base_url=base, headers={"X-API-Key": KEY}, timeout=120) as client:
        for media in ("application/json", "text/csv"):
            times, size, rows = [], 0, 0
            for k in range(rounds + 1):
                params = {"from": START.isoformat(), "to": (end + timedelta(seconds=k)).isoformat()}
                started = time.perf_counter()
                answer = client.get(
                    f"{API}/portfolio/timeline", params=params, headers={"Accept": media}
                )
                elapsed = time.perf_counter() - started
                answer.raise_for_status()
                size = len(answer.content)
                rows = (
                    answer.text.count("\n") - 1
                    if media == "text/csv"
                    else len(answer.json()["rows"])
                )
                if k:  # the first round warms the process up
                    times.append(elapsed)
            print(
                f"  {media:<17} rows {rows:>7}  body {size / 1e6:6.1f} MB  "
                f"best {min(times):.3f} s  median {statistics.median(times):.3f} s"
            )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hours", type=int, default=8760)
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_url(Path(folder)) if args.sqlite else await create_postgres_database("bench")
        try:
            await asyncio.to_thread(upgrade_to_head, url)
            started = time.perf_counter()
            await fill(url, args.hours, args.members)
            written = time.perf_counter() - started
            backend = "sqlite" if args.sqlite else "postgresql"
            print(f"{backend}: {args.hours} audit rows x {args.members} members in {written:.1f} s")
            port = free_port()
            env = service_env(url, free_port(), KEY)
            with process(uvicorn("app.main:app", port), env, None):
                wait_for(f"http://127.0.0.1:{port}{API}/health")
                await asyncio.to_thread(
                    measure, f"http://127.0.0.1:{port}", args.hours, args.rounds
                )
        finally:
            if not args.sqlite:
                await drop_postgres_database(url)


if __name__ == "__main__":
    asyncio.run(main())
