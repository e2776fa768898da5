"""A cache-busting loop against the service as deployed (uvicorn and the simulator as
processes, the misbehaving client a third): its ignored parameter is a 422, its new windows
are throttled by the heavy-read bucket, and `/health` answers every call meanwhile. Its
latencies are printed, not asserted: the timing claim (p99 under 50 ms while ten callers ask for
distinct heavy windows) is tests/bench/bench_heavy_windows.py's."""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time

import httpx

from tests.deployed import API, ROOT, prime, process, service_env, simulator, uvicorn, wait_for
from tests.helpers import assert_problem
from tests.sim_fixtures import free_port

KEY = "flood-admin-key-0123456789"
HEADERS = {"X-API-Key": KEY}
HEAVY_BURST, HEAVY_PER_S = 5, 1.0
FLOOD_S, CONCURRENCY = 6.0, 2
SAMPLES = 200  # /health calls, one every 10 ms while the flood runs: p99 is the 3rd worst
LIMITS = {
    "MYSYMBOLS_LIMITS__HEAVY_BURST": str(HEAVY_BURST),
    "MYSYMBOLS_LIMITS__HEAVY_PER_S": str(HEAVY_PER_S),
    "MYSYMBOLS_LIMITS__READ_BURST": "200",
    "MYSYMBOLS_LIMITS__READ_PER_S": "50",
}


async def health_latencies(base: str) -> list[float]:
    """`SAMPLES` sequential `/health` calls, their latencies in ms."""
    latencies = []
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for _ in range(SAMPLES):
            started = time.perf_counter()
            response = await client.get(f"{API}/health")
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            await asyncio.sleep(0.01)
    return latencies


def summary(latencies: list[float]) -> str:
    p50, p99 = statistics.median(latencies), statistics.quantiles(latencies, n=100)[98]
    return f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms"


async def test_a_cache_busting_loop_is_throttled_while_health_answers(
    committed_sqlite: str,
) -> None:
    sim_port, app_port = free_port(), free_port()
    env = service_env(committed_sqlite, sim_port, KEY, **LIMITS)
    base = f"http://127.0.0.1:{app_port}"
    with (
        process(simulator(sim_port, "30", quota=1_000_000), env, None),
        process(uvicorn("app.main:app", app_port), env, None),
    ):
        wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
        wait_for(f"{base}{API}/health")
        prime(base, HEADERS, 5)
        async with httpx.AsyncClient(base_url=base, headers=HEADERS) as client:
            busted = await client.get(f"{API}/portfolio/correlation?window=720&_=1")
        assert_problem(busted, 422, "validation-error")

        quiet = await health_latencies(base)  # the same calls without the flood, to compare
        flood = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.integration.platform.http.flood",
            base,
            KEY,
            str(FLOOD_S),
            str(CONCURRENCY),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        started = time.monotonic()
        await asyncio.sleep(0.5)  # under way
        latencies = await health_latencies(base)
        out, _ = await flood.communicate()
        elapsed = time.monotonic() - started
    counts = json.loads(out)
    print(
        f"\nflood {counts} in {elapsed:.1f} s; /health {summary(latencies)}; without the "
        f"flood {summary(quiet)}"
    )
    assert counts["422"] > 0 and counts["429"] > 0
    assert set(counts) <= {"200", "422", "429", "computed"}, counts
    # The heavy bucket: its burst, then its rate over the flood (the loop's one reads too).
    assert counts["computed"] <= HEAVY_BURST + HEAVY_PER_S * elapsed + 1, counts
