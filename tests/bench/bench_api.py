"""Benchmark: the trading engine's reads against a bare FastAPI hello app, same uvicorn setup.

`python -m tests.bench.bench_api [--duration 4 --rounds 3 --connections 64] [--sqlite]
                                 [--universe recorded] [--only portfolio rankings-20 ...]`
Each server runs as one uvicorn worker pinned to core 0; wrk (`apt-get install wrk`) runs pinned
to core 1, on 127.0.0.1 only. The app serves the simulator's universe (the recorded 406
contracts by default; 150 shortlisted and scored) with 10 members. Every read runs `--rounds`
times `--duration` seconds; the best round is kept (as the hello app's). Printed per read: req/s,
its ratio to hello, p50 and p99 latency and non-2xx responses. Goals (issue 15): every read
>= 0.25x hello with p99 <= 50 ms and no non-2xx; the cached `GET /portfolio` >= 0.75x.
Numbers only, no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.db.migrations import upgrade_to_head
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.deployed import (
    API,
    UNTHROTTLED,
    prime,
    process,
    service_env,
    simulator,
    uvicorn,
    wait_for,
)
from tests.sim_fixtures import free_port

KEY = "bench-admin-key-0123456789"
HEADERS = {"X-API-Key": KEY}


@dataclass(frozen=True)
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def _latency(out: str, percentile: str) -> float:
    match = re.search(percentile + r"%\s+([\d.]+)(us|ms|s)", out)
    assert match is not None, out
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]


def wrk(url: str, duration: int, connections: int, headers: dict[str, str]) -> Run:
    """One wrk run pinned to core 1."""
    args = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    pin = ["taskset", "-c", "1"] if shutil.which("taskset") else []
    out = subprocess.run(pin + args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Run(rps, _latency(out, "50"), _latency(out, "99"), int(errors.group(1)) if errors else 0)


def best_of(rounds: int, url: str, duration: int, connections: int, headers: dict[str, str]) -> Run:
    return max(
        (wrk(url, duration, connections, headers) for _ in range(rounds)), key=lambda r: r.rps
    )


READS = {
    "portfolio": "/portfolio",
    "rankings-20": "/scoring/rankings?limit=20",
    "rankings-200": "/scoring/rankings?limit=200",
    "weights": "/portfolio/weights",
    "correlation": "/portfolio/correlation",
    "metrics": "/portfolio/metrics",
    "position-size": "/portfolio/position-size?symbol={member}&account_balance=10000",
    "symbols-100": "/symbols?limit=100",
    "pairlist": "/pairlist",
    "alerts": "/alerts",
    "signals-processed": "/signals/processed",
    "history": "/portfolio/history",
}


def prepare(base: str) -> str:
    """A primed portfolio of 10 (see `tests.deployed.prime`) whose every read answers 200
    before it is timed; one member."""
    member = prime(base, HEADERS, 10)[0]
    with httpx.Client(base_url=base, headers=HEADERS, timeout=60) as client:
        for path in READS.values():
            client.get(f"{API}{path.format(member=member)}").raise_for_status()
    return member


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--universe", default="recorded")
    parser.add_argument("--sqlite", action="store_true", help="SQLite file instead of PostgreSQL")
    parser.add_argument("--only", nargs="+", choices=list(READS), default=list(READS))
    parser.add_argument(
        "--no-caches", action="store_true", help="both read caches off: every read computed"
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="log at INFO as JSON (a line per request, to a file), as deployed",
    )
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
    env = service_env(database, sim_port, KEY, **UNTHROTTLED)  # wrk is one key, on purpose
    if args.no_caches:
        env |= {"MYSYMBOLS_PORTFOLIO__READ_CACHE": "false", "MYSYMBOLS_READS__CACHE_TTL_S": "0"}
    log = None
    if args.access_log:
        env |= {"MYSYMBOLS_LOG_LEVEL": "INFO", "MYSYMBOLS_LOG_FORMAT": "json"}
        log = Path(tempfile.mkdtemp(prefix="bench-api-log-")) / "service.log"
    timed = {"duration": args.duration, "connections": args.connections, "headers": HEADERS}
    results: dict[str, Run] = {}
    app = f"http://127.0.0.1:{app_port}"
    try:
        with process(simulator(sim_port, args.universe), env, None):
            wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
            with process(uvicorn("app.main:app", app_port), env, "0", log):
                wait_for(f"{app}{API}/health")
                member = prepare(app)
                for name in args.only:
                    url = f"{app}{API}{READS[name].format(member=member)}"
                    results[name] = best_of(args.rounds, url, **timed)  # type: ignore[arg-type]
            if "portfolio" in args.only and not args.no_caches:
                no_cache = {
                    **env,
                    "MYSYMBOLS_PORTFOLIO__READ_CACHE": "false",
                    "MYSYMBOLS_READS__CACHE_TTL_S": "0",
                }
                with process(uvicorn("app.main:app", app_port), no_cache, "0", log):
                    wait_for(f"{app}{API}/health")
                    results["portfolio (caches off)"] = best_of(
                        args.rounds,
                        f"{app}{API}/portfolio",
                        **timed,  # type: ignore[arg-type]
                    )
        with process(uvicorn("tests.bench.hello_app:app", hello_port), env, "0"):
            wait_for(f"http://127.0.0.1:{hello_port}/hello")
            hello = best_of(
                args.rounds,
                f"http://127.0.0.1:{hello_port}/hello",
                args.duration,
                args.connections,
                {},
            )
    finally:
        if not args.sqlite:
            asyncio.run(drop_postgres_database(database))

    backend = "SQLite" if args.sqlite else "PostgreSQL"
    caches = ", read caches off" if args.no_caches else ""
    caches += ", JSON access log" if args.access_log else ""
    print(
        f"\nreads vs hello ({backend}, universe {args.universe}, 10 members{caches}), "
        f"{args.connections} connections, best of {args.rounds} x {args.duration} s, "
        "server on core 0, wrk on core 1"
    )
    print(f"{'GET':26}{'req/s':>9}{'vs hello':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
    print(
        f"{'hello app':26}{hello.rps:9.0f}{'1.00x':>10}{hello.p50_ms:9.2f}{hello.p99_ms:9.2f}"
        f"{hello.non_2xx:9d}"
    )
    for name, run in results.items():
        print(
            f"{name:26}{run.rps:9.0f}{run.rps / hello.rps:9.3f}x{run.p50_ms:9.2f}"
            f"{run.p99_ms:9.2f}{run.non_2xx:9d}"
        )
    print("goals: every read >= 0.25x hello, p99 <= 50 ms, 0 non-2xx; cached /portfolio >= 0.75x")


if __name__ == "__main__":
    main()
