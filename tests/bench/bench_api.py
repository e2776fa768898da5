"""Benchmark: `GET /portfolio` (10 members) against a bare FastAPI hello app, same uvicorn setup.

`python -m tests.bench.bench_api [--duration 10 --connections 64] [--sqlite]`
Each server runs as one uvicorn worker pinned to core 0; wrk (`apt-get install wrk`) runs pinned
to core 1, on 127.0.0.1 only. Scenarios, side by side: hello app; /portfolio with the read cache
warm; /portfolio with the cache disabled. Goals (issue 5): >= 0.6x hello warm, >= 0.25x without
the cache, p99 <= 50 ms. Numbers only, no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.db.migrations import upgrade_to_head
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.sim_fixtures import free_port

KEY = "bench-admin-key-0123456789"
HEADERS = {"X-API-Key": KEY}
ROOT = Path(__file__).resolve().parents[2]


def wait_for(url: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def process(args: list[str], env: dict[str, str], cpu: str | None) -> Iterator[None]:
    command = (["taskset", "-c", cpu] if cpu and shutil.which("taskset") else []) + args
    proc = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def uvicorn(app: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
            "--workers", "1", "--no-access-log", "--log-level", "warning"]  # fmt: skip


def wrk(url: str, duration: int, connections: int, headers: dict[str, str]) -> tuple[float, float]:
    """(requests per second, p99 latency in ms) from one wrk run pinned to core 1."""
    args = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    pin = ["taskset", "-c", "1"] if shutil.which("taskset") else []
    out = subprocess.run(pin + args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99 is not None, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  warning: {errors.group(1)} non-2xx responses from {url}")
    return rps, float(p99.group(1)) * scale


def prepare(base: str) -> None:
    """Sync, score and add the top 10 through the API, as a newcomer would."""
    with httpx.Client(base_url=base, headers=HEADERS, timeout=120) as client:
        client.post("/api/symbol-mgmt/symbols/sync").raise_for_status()
        client.post("/api/symbol-mgmt/scoring/calculate").raise_for_status()
        top = client.get("/api/symbol-mgmt/scoring/rankings", params={"limit": 10}).json()
        for item in top["items"]:
            client.post(
                "/api/symbol-mgmt/portfolio/add-symbol", json={"symbol": item["symbol"]}
            ).raise_for_status()
        members = client.get("/api/symbol-mgmt/portfolio").json()["members"]
        assert len(members) == 10, members


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--sqlite", action="store_true", help="SQLite file instead of PostgreSQL")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    database = (
        sqlite_url(Path(tempfile.mkdtemp(prefix="bench-api-")))
        if args.sqlite
        else asyncio.run(create_postgres_database("mysymbols_bench"))
    )
    upgrade_to_head(database)
    sim_port, app_port, hello_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "MYSYMBOLS_DATABASE_URL": database,
        "MYSYMBOLS_KUCOIN__FUTURES_URL": f"http://127.0.0.1:{sim_port}",
        "MYSYMBOLS_KUCOIN__WEBSOCKET_ENABLED": "false",
        "MYSYMBOLS_SCHEDULER__ENABLED": "false",
        "MYSYMBOLS_API_KEYS": f"admin:{KEY}",
        "MYSYMBOLS_LOG_LEVEL": "WARNING",
    }
    results: dict[str, tuple[float, float]] = {}
    portfolio_url = f"http://127.0.0.1:{app_port}/api/symbol-mgmt/portfolio"
    try:
        sim = [
            sys.executable,
            "-m",
            "tests.kucoin_sim",
            "--port",
            str(sim_port),
            "--universe",
            "40",
        ]
        with process(sim, env, None):
            wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
            with process(uvicorn("app.main:app", app_port), env, "0"):
                wait_for(f"http://127.0.0.1:{app_port}/api/symbol-mgmt/health")
                prepare(f"http://127.0.0.1:{app_port}")
                httpx.get(portfolio_url, headers=HEADERS)  # warm the cache
                results["portfolio, cache warm"] = wrk(
                    portfolio_url, args.duration, args.connections, HEADERS
                )
            no_cache = {**env, "MYSYMBOLS_PORTFOLIO__READ_CACHE": "false"}
            with process(uvicorn("app.main:app", app_port), no_cache, "0"):
                wait_for(f"http://127.0.0.1:{app_port}/api/symbol-mgmt/health")
                results["portfolio, no cache"] = wrk(
                    portfolio_url, args.duration, args.connections, HEADERS
                )
        with process(uvicorn("tests.bench.hello_app:app", hello_port), env, "0"):
            wait_for(f"http://127.0.0.1:{hello_port}/hello")
            results["hello app"] = wrk(
                f"http://127.0.0.1:{hello_port}/hello", args.duration, args.connections, {}
            )
    finally:
        if not args.sqlite:
            asyncio.run(drop_postgres_database(database))

    hello_rps = results["hello app"][0]
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"\nGET /portfolio (10 members, {backend}) vs hello, {args.connections} connections, "
          f"{args.duration} s each, server on core 0, wrk on core 1")  # fmt: skip
    print(f"{'':24}{'req/s':>10}{'p99 ms':>10}{'vs hello':>10}{'goal':>16}")
    goals = {"hello app": "", "portfolio, cache warm": ">= 0.6x", "portfolio, no cache": ">= 0.25x"}
    for name in ("hello app", "portfolio, cache warm", "portfolio, no cache"):
        rps, p99 = results[name]
        goal = goals[name] + (", p99<=50" if goal_p99(name) else "")
        print(f"{name:24}{rps:10.0f}{p99:10.2f}{rps / hello_rps:9.2f}x{goal:>16}")


def goal_p99(name: str) -> bool:
    return name != "hello app"


if __name__ == "__main__":
    main()
