"""The embedded default under load: the service as deployed on SQLite (scheduler on, caches on),
readers and writers at once for about a minute (`tests.deployed.load`), with a CPU-bound process
beside it on the machine. No answer is a 5xx, no write is refused where it was due, no job run
fails or is degraded, and the service logs no error. The long form, with figures, is
tests/bench/bench_sqlite_load.py."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.deployed import UNTHROTTLED
from tests.deployed.load import cpu_bound, failed_runs, mixed_load, percentile
from tests.deployed.service import Service, deploy, fill

DURATION_S = 60


async def test_readers_and_writers_at_once_beside_a_busy_cpu_meet_no_busy_database(
    simulator_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "service.log"
    # One client on purpose, thousands of requests: the callers' limits out of the way.
    async for service in deploy("sqlite", 1, simulator_url, log, tmp_path, **UNTHROTTLED):
        await loaded(service, log)


async def loaded(service: Service, log: Path) -> None:
    async with service.client() as client:
        await fill(client, 6)
    with cpu_bound(1):
        tally = await mixed_load(service, DURATION_S)
    assert tally.server_errors == [], tally.server_errors[:5]
    assert tally.refused == [], tally.refused[:5]
    assert await failed_runs(service) == []
    logged = await asyncio.to_thread(log.read_text, errors="replace")
    errors = [
        line
        for line in logged.splitlines()
        if "Traceback" in line or '"level":"ERROR"' in line or '"level":"CRITICAL"' in line
    ]
    assert errors == [], errors[:3]
    writes, reads = len(tally.write_s), sum(tally.answers.values()) - len(tally.write_s)
    print(
        f"\nSQLite, {DURATION_S} s beside 1 CPU-bound process: {writes} writes "
        f"(p99 {percentile(tally.write_s, 0.99) * 1000:.0f} ms), {reads} reads "
        f"(hot p99 {percentile(tally.hot_read_s, 0.99) * 1000:.0f} ms); "
        + json.dumps(dict(tally.answers.most_common(12)))
    )
