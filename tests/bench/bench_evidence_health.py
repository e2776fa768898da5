"""Benchmark: `/health` latency while a replay and while a calibration run, vs idle (issue 28:
p99 < 1.5x idle), with the service as deployed.

`python -m tests.bench.bench_evidence_health [--contracts 40 --days 120 --probes 1000
--replays 5]`

One uvicorn process (and so its worker processes) pinned to core 0 (`--service-cpus`); the
simulator and this prober on core 1. The service's database (SQLite; with `--postgres` a
throw-away PostgreSQL database, its server unpinned) is filled first with `--days` of hourly
history of `--contracts` simulated contracts (`python -m app.cli import-history` against the
simulator). Then `/health` is probed idle (before the runs and after each, pooled), during
replays of the stored history after the warm-up (`POST /replays`, daily decisions: the
process's first, then the same `--replays` times more, each reported and all pooled; then once
with hourly decisions) and during a walk-forward calibration of all of it
(`POST /scoring/evidence/refresh`). A run's end is checked every 0.5 s between probes; the
measures start 10 s after the service answers. Numbers only, no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from app.platform.db.migrations import upgrade_to_head
from tests.bench.bench_scoring import p99
from tests.bench.harness import HEADERS, KEY, collector_off, simulated_history
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.deployed import API, process, service_env, uvicorn, wait_for
from tests.sim_fixtures import free_port

SETTLE_S = 10.0
WARM_UP_DAYS = 31  # the momentum baseline's lookback and the scorer's candles, with a margin


async def probe_until_done(client: httpx.AsyncClient, location: str) -> tuple[list[float], float]:
    """`/health` round trips (ms) until the run at `location` has ended; its wall time."""
    started = time.perf_counter()
    latencies: list[float] = []
    checked = started
    while True:
        latencies.append(await health(client))
        await asyncio.sleep(0.002)
        if time.perf_counter() - checked > 0.5:
            checked = time.perf_counter()
            run = (await client.get(location, headers=HEADERS)).json()
            if run["status"] not in ("queued", "running"):
                if run["status"] != "succeeded":
                    raise RuntimeError(f"{location}: {run['status']} {run.get('error')}")
                return latencies, time.perf_counter() - started


async def replayed(client: httpx.AsyncClient, body: dict[str, str]) -> tuple[list[float], float]:
    replay = await client.post(f"{API}/replays", json=body, headers=HEADERS)
    replay.raise_for_status()
    return await probe_until_done(client, replay.headers["location"])


async def health(client: httpx.AsyncClient) -> float:
    started = time.perf_counter()
    (await client.get(f"{API}/health")).raise_for_status()
    return (time.perf_counter() - started) * 1000


async def measure(
    base: str, probes: int, replays: int, start: datetime, end: datetime
) -> dict[str, tuple[list[float], float]]:
    out: dict[str, tuple[list[float], float]] = {"idle": ([], 0.0)}
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:

        async def idle(count: int) -> None:
            for _ in range(count):
                out["idle"][0].append(await health(client))
                await asyncio.sleep(0.002)

        # Idle is probed before the runs and again after each (`probes` / 4 each time), all
        # pooled: an idle p99 taken once moved between 1.1 and 2.5 ms from one run of this
        # bench to the next, enough to swing every ratio.
        between = max(probes // 4, 1)
        await idle(probes)
        body = {
            "from": (start + timedelta(days=WARM_UP_DAYS)).isoformat(),
            "to": end.isoformat(),
            "every": "24h",
        }
        # The first run of the process (its first statements, first reports) apart; then
        # `replays` more, each on its own and pooled: a one-second replay has ~300 probes,
        # so its p99 is its third-worst probe.
        for name in ("first replay", *(f"replay {k}" for k in range(1, replays + 1))):
            out[name] = await replayed(client, body)
            await idle(between)
        runs = [out[f"replay {k}"] for k in range(1, replays + 1)]
        out[f"replays 1-{replays}"] = (
            [ms for latencies, _ in runs for ms in latencies],
            sum(s for _, s in runs),
        )
        # The same history decided hourly: the same read, 24 times the compute.
        out["hourly replay"] = await replayed(client, {**body, "every": "1h"})
        await idle(between)
        calibration = await client.post(f"{API}/scoring/evidence/refresh", headers=HEADERS)
        calibration.raise_for_status()
        out["calibration"] = await probe_until_done(client, calibration.headers["location"])
        await idle(between)
    return out


def run(args: argparse.Namespace, url: str) -> dict[str, tuple[list[float], float]]:
    upgrade_to_head(url)
    sim_port, app_port = free_port(), free_port()
    env = service_env(url, sim_port, KEY)
    base = f"http://127.0.0.1:{app_port}"
    service = uvicorn("app.main:app", app_port)
    with (
        simulated_history(env, sim_port, args.contracts, args.days) as (start, end),
        process(service, env, args.service_cpus),
    ):
        wait_for(f"{base}{API}/health")
        time.sleep(SETTLE_S)  # idle is after the start's own work (its workers' imports)
        with collector_off():
            return asyncio.run(measure(base, args.probes, args.replays, start, end))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=40)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument(
        "--probes", type=int, default=1000, help="idle probes first (a quarter after each run)"
    )
    parser.add_argument("--replays", type=int, default=5, help="after the first")
    parser.add_argument("--service-cpus", default="0", help="taskset list for the service")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="a throw-away PostgreSQL database (its server not pinned) instead of SQLite",
    )
    args = parser.parse_args()

    url = (
        asyncio.run(create_postgres_database("mysymbols_bench"))
        if args.postgres
        else sqlite_url(Path(tempfile.mkdtemp(prefix="bench-evidence-")))
    )
    try:
        results = run(args, url)
    finally:
        if args.postgres:
            asyncio.run(drop_postgres_database(url))
    backend = "PostgreSQL" if args.postgres else "SQLite"
    idle = results["idle"][0]
    print(f"\n/health, {backend}, service on cpus {args.service_cpus} (its workers with it)")
    header = ("probes", 8), ("run s", 8), ("p50 ms", 9), ("p99 ms", 9), ("max ms", 9)
    header += (("p99/idle", 10),)
    print(f"{'':16}" + "".join(f"{name:>{width}}" for name, width in header))
    for name, (values, run_s) in results.items():
        print(
            f"{name:16}{len(values):8}{run_s:8.1f}{statistics.median(values):9.2f}"
            f"{p99(values):9.2f}{max(values):9.2f}{p99(values) / p99(idle):9.2f}x"
        )
    print("goal: p99 during a replay and during a calibration < 1.5x idle")


if __name__ == "__main__":
    main()
