"""The embedded default (SQLite) under a mixed load, the long form of
tests/deployed/test_sqlite_stress.py: the service as deployed (uvicorn, scheduler on, caches on)
on a SQLite file, readers and writers at once (`tests.deployed.load`) for `--minutes`, once with
nothing beside it and once beside `--hogs` CPU-bound processes, side by side in one run. Prints
writes and reads a second, the p50/p99 of writes and of hot reads, the 5xx answers, the refused
writes and the failed or degraded job runs; and on PostgreSQL under the same load, the standard
to hold it to (`--no-postgres` skips it). Asserts nothing about time.

    .venv/bin/python -m tests.bench.bench_sqlite_load [--minutes 2] [--hogs 2] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from tests.bench.machine import describe
from tests.deployed import UNTHROTTLED, process, simulator, wait_for
from tests.deployed.load import Tally, cpu_bound, failed_runs, mixed_load, percentile
from tests.deployed.service import UNIVERSE, deploy, fill
from tests.sim_fixtures import free_port


def row(label: str, seconds: float, tally: Tally, failed: int) -> str:
    writes = len(tally.write_s)
    reads = sum(tally.answers.values()) - writes
    return (
        f"{label:<22} {writes / seconds:>8.1f} {reads / seconds:>8.1f} "
        f"{percentile(tally.write_s, 0.5) * 1000:>8.1f} "
        f"{percentile(tally.write_s, 0.99) * 1000:>8.1f} "
        f"{percentile(tally.hot_read_s, 0.5) * 1000:>8.1f} "
        f"{percentile(tally.hot_read_s, 0.99) * 1000:>8.1f} "
        f"{len(tally.server_errors):>5} {len(tally.refused):>7} {failed:>6}"
    )


async def scenario(
    simulator_url: str, seconds: float, hogs: int, backend: str = "sqlite"
) -> tuple[Tally, int]:
    directory = Path(tempfile.mkdtemp(prefix="bench-sqlite-load-"))
    async for service in deploy(
        backend, 1, simulator_url, directory / "service.log", directory, **UNTHROTTLED
    ):
        async with service.client() as client:
            await fill(client, 6)
        with cpu_bound(hogs):
            tally = await mixed_load(service, seconds)
        return tally, len(await failed_runs(service))
    raise AssertionError("not deployed")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--hogs", type=int, default=2)
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    args = parser.parse_args()
    seconds = args.minutes * 60
    print(describe())
    port = free_port()
    with process(simulator(port, str(UNIVERSE)), dict(os.environ), None):
        wait_for(f"http://127.0.0.1:{port}/api/v1/timestamp", timeout_s=90)
        url = f"http://127.0.0.1:{port}"
        results = [
            ("SQLite alone", *await scenario(url, seconds, 0)),
            (f"SQLite beside {args.hogs} hogs", *await scenario(url, seconds, args.hogs)),
        ]
        if args.postgres:
            results.append(("PostgreSQL alone", *await scenario(url, seconds, 0, "postgresql")))
    print(f"\n{args.minutes:g} min each (ms: p50/p99; hot reads: /portfolio, /scoring/rankings)")
    print(
        f"{'':<22} {'writes/s':>8} {'reads/s':>8} {'w p50':>8} {'w p99':>8} {'hot p50':>8} "
        f"{'hot p99':>8} {'5xx':>5} {'refused':>7} {'failed':>6}"
    )
    for label, tally, failed in results:
        print(row(label, seconds, tally, failed))


if __name__ == "__main__":
    asyncio.run(main())
