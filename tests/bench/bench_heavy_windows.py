"""Benchmark: `/health` while ten callers ask for 100 distinct heavy windows (issue 57: p99 <
50 ms), with the service as deployed.

`python -m tests.bench.bench_heavy_windows [--callers 10 --count 100 --routes correlation metrics
--contracts 40 --days 90 --probes 1000] [--limited] [--sqlite]`

One uvicorn process (and so its worker processes) pinned to core 0 (`--service-cpus`), the
simulator on core 1, PostgreSQL's server unpinned (`--sqlite`: a SQLite file). The database is
filled first with `--days` of hourly history of `--contracts` simulated contracts
(`python -m app.cli import-history`), then primed through the API (sync, score, 10 members).
Each heavy route is asked once outside the measured windows (its first call apart), then
`/health` is probed idle; then `--callers` callers, in a process of their own, share the
`--count` windows 1000, 1010, ... hours, asked of `--routes` in turn (window k of route k mod
the routes' count: every answer is computed, none is a cache hit), while this process probes
`/health` until they are done, and reads the service's CPU meanwhile from /proc (its event
loop's thread, its other threads, its worker processes; the probes' share included). The
callers' limits are lifted (`UNTHROTTLED`) unless `--limited`. Numbers only, no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import httpx

from app.platform.db.migrations import upgrade_to_head
from tests.bench.bench_scoring import p99
from tests.bench.harness import HEADERS, KEY, collector_off, simulated_history
from tests.bench.machine import describe
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.deployed import (
    API,
    UNTHROTTLED,
    prime,
    process,
    service_env,
    uvicorn,
    wait_for,
)
from tests.sim_fixtures import free_port

SETTLE_S = 10.0  # after the start's own work (its workers' imports) and the warm-up
FIRST_WINDOW_H, WINDOW_STEP_H = 1000, 10
ROUTES = {"correlation": "/portfolio/correlation", "metrics": "/portfolio/metrics"}


@dataclass(frozen=True)
class Answer:
    route: str
    window: int
    status: int
    ms: float


@dataclass(frozen=True)
class Cpu:
    """CPU seconds of the service: its event loop's thread, its other threads (the default
    executor's among them), its worker processes."""

    loop_s: float
    threads_s: float
    workers_s: float

    @classmethod
    def of(cls, pid: int) -> Cpu:
        process = _cpu_s(Path(f"/proc/{pid}/stat"))
        loop = _cpu_s(Path(f"/proc/{pid}/task/{pid}/stat"))  # the main thread runs the loop
        children = " ".join(p.read_text() for p in Path(f"/proc/{pid}/task").glob("*/children"))
        workers = sum(_cpu_s(Path(f"/proc/{child}/stat")) for child in children.split())
        return cls(loop, process - loop, workers)

    def __sub__(self, other: Cpu) -> Cpu:
        return Cpu(
            self.loop_s - other.loop_s,
            self.threads_s - other.threads_s,
            self.workers_s - other.workers_s,
        )


def _cpu_s(stat: Path) -> float:
    """User and system CPU seconds from a /proc `stat` file (0 once the process is gone)."""
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Measured:
    idle: list[float]  # /health round trips, ms
    loaded: list[float]
    answers: list[Answer]
    wall_s: float  # the callers', first ask to last answer
    cpu: Cpu  # the service's, while the callers asked


async def _ask_all(base: str, asks: list[tuple[str, int]], callers: int) -> list[Answer]:
    queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    for ask in asks:
        queue.put_nowait(ask)
    answers: list[Answer] = []

    async def caller() -> None:
        async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=300) as client:
            while not queue.empty():
                route, window = queue.get_nowait()
                started = time.perf_counter()
                response = await client.get(f"{API}{ROUTES[route]}", params={"window": window})
                ms = (time.perf_counter() - started) * 1000
                answers.append(Answer(route, window, response.status_code, ms))

    await asyncio.gather(*(caller() for _ in range(callers)))
    return answers


def ask_all(base: str, asks: list[tuple[str, int]], callers: int) -> tuple[list[Answer], float]:
    """In the callers' process: every ask answered, `callers` at a time; the wall time."""
    started = time.perf_counter()
    answers = asyncio.run(_ask_all(base, asks, callers))
    return answers, time.perf_counter() - started


async def health(client: httpx.AsyncClient) -> float:
    started = time.perf_counter()
    (await client.get(f"{API}/health")).raise_for_status()
    return (time.perf_counter() - started) * 1000


async def measure(base: str, service_pid: int, args: argparse.Namespace) -> Measured:
    """Idle probes; then the probes while the callers ask, their answers, and the service's
    CPU meanwhile."""
    asks = [
        (args.routes[k % len(args.routes)], FIRST_WINDOW_H + k * WINDOW_STEP_H)
        for k in range(args.count)
    ]
    idle: list[float] = []
    loaded: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for _ in range(args.probes):
            idle.append(await health(client))
            await asyncio.sleep(0.002)
        # The callers in a process of their own: their parsing never delays this prober.
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            pool.submit(abs, 0).result()  # started before the clock runs
            before = Cpu.of(service_pid)
            asking = asyncio.wrap_future(pool.submit(ask_all, base, asks, args.callers))
            while not asking.done():
                loaded.append(await health(client))
                await asyncio.sleep(0.002)
            answers, wall_s = await asking
            cpu = Cpu.of(service_pid) - before
    return Measured(idle, loaded, answers, wall_s, cpu)


def warm_up(base: str, routes: list[str]) -> None:
    """Each route's first call (its imports, its worker's first task) outside the measure."""
    with httpx.Client(base_url=base, headers=HEADERS, timeout=120) as client:
        for route in routes:
            client.get(f"{API}{ROUTES[route]}", params={"window": 999}).raise_for_status()


def run(args: argparse.Namespace, url: str) -> Measured:
    upgrade_to_head(url)
    sim_port, app_port = free_port(), free_port()
    env = service_env(url, sim_port, KEY, **({} if args.limited else UNTHROTTLED))
    base = f"http://127.0.0.1:{app_port}"
    with (
        simulated_history(env, sim_port, args.contracts, args.days),
        process(uvicorn("app.main:app", app_port), env, args.service_cpus) as service,
    ):
        wait_for(f"{base}{API}/health")
        prime(base, HEADERS, args.members)
        warm_up(base, args.routes)
        time.sleep(SETTLE_S)
        print(f"measuring (the service's pid {service.pid}: py-spy may attach)", flush=True)
        with collector_off():
            return asyncio.run(measure(base, service.pid, args))


def _row(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:28}{0:8}"
    return (
        f"{name:28}{len(values):8}{statistics.median(values):10.2f}{p99(values):10.2f}"
        f"{max(values):10.2f}"
    )


def report(args: argparse.Namespace, measured: Measured) -> None:
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    limits = "default limits" if args.limited else "limits lifted"
    print(
        f"\n{describe()}\n{backend}, service on cpus {args.service_cpus} (its workers with it), "
        f"{args.members} members, {limits}; {args.callers} callers, {args.count} windows "
        f"{FIRST_WINDOW_H}-{FIRST_WINDOW_H + (args.count - 1) * WINDOW_STEP_H} h over "
        f"{', '.join(args.routes)}, answered in {measured.wall_s:.1f} s"
    )
    answers, cpu = measured.answers, measured.cpu
    print(f"{'':28}{'count':>8}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    print(_row("/health idle", measured.idle))
    print(_row("/health under the callers", measured.loaded))
    for route in args.routes:
        mine = [a for a in answers if a.route == route]
        statuses = sorted({a.status for a in mine})
        for status in statuses:
            print(_row(f"{route} {status}", [a.ms for a in mine if a.status == status]))
    ok = sum(a.status == 200 for a in answers)
    refused = sum(a.status == 429 for a in answers)
    print(f"heavy reads: {ok} answered 200, {refused} answered 429, {len(answers)} in all")
    print(
        f"service CPU meanwhile: event loop thread {cpu.loop_s:.2f} s, its other threads "
        f"{cpu.threads_s:.2f} s, its worker processes {cpu.workers_s:.2f} s "
        f"(per heavy read: {1000 * cpu.loop_s / len(answers):.1f}, "
        f"{1000 * cpu.threads_s / len(answers):.1f}, {1000 * cpu.workers_s / len(answers):.1f} ms)"
    )
    print("goal: /health p99 < 50 ms under the callers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--callers", type=int, default=10)
    parser.add_argument("--count", type=int, default=100, help="distinct windows in all")
    parser.add_argument("--routes", nargs="+", choices=list(ROUTES), default=list(ROUTES))
    parser.add_argument("--contracts", type=int, default=40)
    parser.add_argument("--days", type=int, default=90, help="hourly history stored")
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--probes", type=int, default=1000, help="idle probes, before")
    parser.add_argument("--service-cpus", default="0", help="taskset list for the service")
    parser.add_argument("--limited", action="store_true", help="keep the callers' limits")
    parser.add_argument("--sqlite", action="store_true", help="SQLite file instead of PostgreSQL")
    args = parser.parse_args()
    if FIRST_WINDOW_H + (args.count - 1) * WINDOW_STEP_H > 2000:
        parser.error("the windows must stay within 2000 h (the routes' bound)")

    url = (
        sqlite_url(Path(tempfile.mkdtemp(prefix="bench-heavy-")))
        if args.sqlite
        else asyncio.run(create_postgres_database("mysymbols_bench"))
    )
    try:
        results = run(args, url)
    finally:
        if not args.sqlite:
            asyncio.run(drop_postgres_database(url))
    report(args, results)


if __name__ == "__main__":
    main()
