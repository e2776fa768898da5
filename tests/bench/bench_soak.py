"""Soak: resident memory under steady mixed reads with the scheduler on, minute by minute, and
where it grows (issue 42, point 7).

`python -m tests.bench.bench_soak [--minutes 60] [--warmup-minutes 5] [--connections 64]
                                  [--sqlite] [--universe recorded] [--frames 1] [--tick-s S]
                                  [--by-read] [--access-log FILE] [--fill-minutes N]`

The service runs as the image runs it (`tests.bench.soak_server`: uvicorn, one worker,
`--limit-concurrency 1024`, the app's JSON access log at INFO, to /dev/null unless `--access-log
FILE`) on core 0, with the scheduler on at its production cadence (`--tick-s` runs every job at that
period instead), against the loopback simulator, primed with 10 members. wrk, pinned to core 1,
sends the eight reads below in turn from `--connections` connections, one minute at a time. After
each minute: req/s, p50/p99 (`--by-read`: one wrk a read, side by side, and the worst read's; each
read's p99 a minute summed up at the end), non-2xx, the resident memory of the service's process
tree (the app and its lab worker) and of the app alone, what tracemalloc traces, and the
garbage collector's full collections so far, its longest collection, the objects in its oldest
generation, the compiled statements SQLAlchemy caches, and the statements prepared on the pool's
open connections (summed: each connection prepares a statement the first time it runs it) and
how many connections are open and have been opened so far (PostgreSQL only).
`--fill-minutes N` first stores the universe's history (every job every minute, no reads, until
no contract was added for a few minutes, at most N), then soaks a service started again on it:
memory as a deployed service's after its first hours, not while its history fills.
tracemalloc (`--frames` deep, 0 for off) costs throughput and its own bookkeeping grows with the
live blocks, so the app's resident memory is also printed without that overhead. At the end of the
warm-up and at the end a snapshot is taken: the places that grew most in between are printed. The
growth after warm-up is a least-squares slope over the minutes, in MB and % an hour. Each minute
after the warm-up whose pymalloc arenas grew is listed with the block sizes that took the new
pools. Numbers only, no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psutil
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.platform.core.units import HOUR_MIN
from app.platform.db.migrations import upgrade_to_head
from tests.bench.harness import HEADERS, KEY
from tests.bench.machine import describe
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.deployed import API, UNTHROTTLED, prime, process, service_env, simulator, wait_for
from tests.sim_fixtures import free_port

READS = (
    "/portfolio",
    "/scoring/rankings?limit=20",
    "/portfolio/weights",
    "/portfolio/correlation",
    "/portfolio/metrics",
    "/pairlist",
    "/symbols?limit=100",
    "/portfolio/position-size?symbol={member}&account_balance=10000",
)
MB = 1024 * 1024
FILL_STILL = 5  # minutes without a contract more: the history is stored


@dataclass(frozen=True)
class Minute:
    minute: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    tree_rss: int
    app_rss: int
    traced: int
    overhead: int
    pymalloc_held: int  # the small-object allocator's arenas
    pymalloc_live: int  # the blocks in them in use
    after_trim: int  # the app's RSS after malloc_trim(0); 0 without --trim
    native_in_use: int  # glibc malloc: allocated (what something holds)
    native_free: int  # glibc malloc: freed, kept in its arenas
    kept_window: int  # the forward record's kept window, numpy bytes
    full_collections: int  # the collector's full collections so far
    longest_collection_ms: float  # the longest collection so far, of any generation
    old_objects: int  # the objects the collector tracks in its oldest generation
    compiled_cached: int  # SQLAlchemy's compiled statements cached, all engines
    prepared: int  # statements prepared on the pool's open connections, summed over them
    connections: int  # the pool's open connections
    opened: int  # connections the pool opened so far


def lua_script(member: str) -> Path:
    """A wrk script sending the reads in turn."""
    paths = ", ".join(f'"{API}{path.format(member=member)}"' for path in READS)
    script = Path(tempfile.mkdtemp(prefix="bench-soak-")) / "reads.lua"
    script.write_text(
        f"local paths = {{{paths}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )
    return script


def _latency_ms(out: str, percentile: str) -> float:
    match = re.search(percentile + r"%\s+([\d.]+)(us|ms|s)\b", out)
    assert match is not None, out
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]


@dataclass(frozen=True)
class Load:
    """One wrk minute: its throughput, latencies and non-2xx answers."""

    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def wrk_command(connections: int, url: str, script: Path | None) -> list[str]:
    """wrk for a minute on `url` (each request from `script` when given), pinned to core 1."""
    args = ["wrk", "-t", "1", "-c", str(connections), "-d", "60s", "--latency"]
    args += ["-s", str(script)] if script is not None else []
    for name, value in HEADERS.items():
        args += ["-H", f"{name}: {value}"]
    pin = ["taskset", "-c", "1"] if shutil.which("taskset") else []
    return pin + args + [url]


def wrk_load(out: str) -> Load:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    non_2xx = int(errors.group(1)) if errors else 0
    return Load(rps, _latency_ms(out, "50"), _latency_ms(out, "99"), non_2xx)


def wrk_minute(origin: str, script: Path, connections: int) -> Load:
    """The reads in turn from one wrk: one latency distribution for them all."""
    command = wrk_command(connections, origin, script)
    return wrk_load(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def wrk_minute_by_read(origin: str, member: str, connections: int) -> dict[str, Load]:
    """One wrk a read, side by side on the same core, `connections` shared among them: each
    read's own latency distribution (a mix's p99 can hide one read's slow tail)."""
    each = max(1, connections // len(READS))
    running = {
        read: subprocess.Popen(
            wrk_command(each, f"{origin}{API}{read.format(member=member)}", None),
            stdout=subprocess.PIPE,
            text=True,
        )
        for read in READS
    }
    loads = {}
    for read, wrk in running.items():
        out, _ = wrk.communicate()
        if wrk.returncode:
            raise subprocess.CalledProcessError(wrk.returncode, wrk.args, out)
        loads[read] = wrk_load(out)
    return loads


def combined(loads: dict[str, Load]) -> Load:
    """The reads' minute as one row: the sum of their throughputs and non-2xx, and the worst
    read's p50 and p99."""
    return Load(
        sum(load.rps for load in loads.values()),
        max(load.p50_ms for load in loads.values()),
        max(load.p99_ms for load in loads.values()),
        sum(load.non_2xx for load in loads.values()),
    )


def tree_rss(pid: int) -> tuple[int, int]:
    """Resident bytes of the process and its descendants, and of the process alone."""
    root = psutil.Process(pid)
    own = root.memory_info().rss
    total = own
    for child in root.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total, own


def ask(pid: int, report: Path, snapshot: bool) -> dict[str, Any]:
    """The server's next report line (SIGUSR2: with a snapshot)."""
    lines = report.read_text().splitlines() if report.exists() else []
    os.kill(pid, signal.SIGUSR2 if snapshot else signal.SIGUSR1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        now = report.read_text().splitlines() if report.exists() else []
        if len(now) > len(lines):
            line: dict[str, Any] = json.loads(now[len(lines)])
            return line
        time.sleep(0.05)
    raise RuntimeError("the server did not report")


def scored(origin: str, timeout_s: float = 600) -> None:
    """Wait until the scheduler's first start has scored (as the deployed suite does)."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(base_url=f"{origin}{API}", headers=HEADERS, timeout=30) as client:
        while time.monotonic() < deadline:
            runs = client.get("/jobs/runs", params={"job": "score_refresh"}).json()
            if any(run["status"] == "succeeded" for run in runs):
                return
            time.sleep(1)
    raise RuntimeError(f"no scoring run succeeded within {timeout_s} s")


def primed(origin: str, attempts: int = 6) -> str:
    """Ten members (`prime`), again while the scheduler's own sync or scoring run holds the job
    (409): at `--tick-s 60` one often starts just then. The first member."""
    for attempt in range(1, attempts + 1):
        try:
            return prime(origin, HEADERS, 10)[0]
        except AssertionError:
            if attempt == attempts:
                raise
            time.sleep(10)
    raise AssertionError("unreachable")


async def stored_contracts(database: str) -> int:
    """How many contracts have hourly candles stored: the forward record's window holds a row
    for each (within its lookback), so it stops growing when they do."""
    engine = create_async_engine(database)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                text("SELECT count(DISTINCT symbol_id) FROM candle WHERE granularity_min = :g"),
                {"g": HOUR_MIN},
            )
    finally:
        await engine.dispose()
    return int(count or 0)


def fill(
    server: list[str], env: dict[str, str], origin: str, database: str, max_minutes: int
) -> None:
    """Run the service with every job every minute, no reads, primed with ten members, until
    the stored history stops growing (`FILL_STILL` minutes without a contract more) or
    `max_minutes`, then stop it: the soak then starts a service against the history a deployed
    one holds after its first hours."""
    with process(server, dict(env, MYSYMBOLS_SCHEDULER__TICK_S="60"), "0"):
        wait_for(f"{origin}{API}/health", 120)
        scored(origin)
        primed(origin)
        counts: list[int] = []
        for minute in range(1, max_minutes + 1):
            time.sleep(60)
            counts.append(asyncio.run(stored_contracts(database)))
            print(f"fill minute {minute}: {counts[-1]} contracts with candles stored", flush=True)
            if len(counts) > FILL_STILL and len(set(counts[-FILL_STILL - 1 :])) == 1:
                break


def first_member(origin: str) -> str:
    with httpx.Client(base_url=f"{origin}{API}", headers=HEADERS, timeout=30) as client:
        return str(client.get("/portfolio").json()["members"][0]["symbol"])


def slope_per_hour(minutes: list[Minute], field: str) -> float:
    x = np.array([m.minute for m in minutes], dtype=float) / 60.0
    y = np.array([getattr(m, field) for m in minutes], dtype=float)
    return float(np.polyfit(x, y, 1)[0]) if len(minutes) > 1 else float("nan")


def print_minute(m: Minute) -> None:
    print(
        f"{m.minute:6d}{m.rps:9.0f}{m.p50_ms:9.2f}{m.p99_ms:9.2f}{m.non_2xx:8d}"
        f"{m.tree_rss / MB:10.1f}{m.app_rss / MB:9.1f}{m.traced / MB:9.1f}"
        f"{(m.app_rss - m.overhead) / MB:12.1f}{m.pymalloc_held / MB:9.1f}"
        f"{m.pymalloc_live / MB:9.1f}{m.after_trim / MB:9.1f}{m.native_in_use / MB:9.1f}"
        f"{m.native_free / MB:9.1f}{m.kept_window / MB:9.1f}{m.full_collections:8d}"
        f"{m.longest_collection_ms:8.1f}{m.old_objects / 1000:8.0f}{m.compiled_cached:9d}"
        f"{m.prepared:9d}{m.connections:6d}{m.opened:7d}",
        flush=True,
    )


def print_growth(steady: list[Minute]) -> None:
    first = steady[0]
    print(
        f"\nafter warm-up ({len(steady)} minutes from minute {first.minute}), "
        "least-squares growth an hour:"
    )
    for label, field, base in (
        ("process tree RSS", "tree_rss", first.tree_rss),
        ("app RSS", "app_rss", first.app_rss),
        ("traced by tracemalloc", "traced", first.traced),
        ("pymalloc arenas", "pymalloc_held", first.pymalloc_held),
        ("pymalloc live blocks", "pymalloc_live", first.pymalloc_live),
        ("app RSS after trim", "after_trim", first.after_trim),
        ("malloc in use", "native_in_use", first.native_in_use),
        ("malloc free, kept", "native_free", first.native_free),
        ("forward window kept", "kept_window", first.kept_window),
    ):
        if not base:  # not measured in this run (tracemalloc off, no --trim)
            continue
        slope = slope_per_hour(steady, field)
        share = 100 * slope / base if base else float("nan")
        print(f"  {label:24}{slope / MB:+9.2f} MB/h  {share:+7.2f} %/h  (from {base / MB:.1f} MB)")
    x = np.array([m.minute for m in steady], dtype=float) / 60.0
    for label, net in (
        ("app RSS less tracemalloc", [m.app_rss - m.overhead for m in steady]),
        ("app RSS less the window", [m.app_rss - m.overhead - m.kept_window for m in steady]),
    ):
        slope = float(np.polyfit(x, np.array(net, dtype=float), 1)[0])
        print(
            f"  {label:24}{slope / MB:+9.2f} MB/h  "
            f"{100 * slope / net[0]:+7.2f} %/h  (from {net[0] / MB:.1f} MB)"
        )


def _pools(account: dict[str, Any]) -> dict[int, tuple[int, int]]:
    """Pools and blocks in use by block size (JSON made the sizes strings)."""
    return {int(size): (pools, used) for size, (pools, used) in account["pools_by_size"].items()}


def _grown(before: dict[str, Any], after: dict[str, Any], most: int) -> str:
    """The block sizes whose pools grew most from `before` to `after`."""
    old, new = _pools(before), _pools(after)
    grown = sorted(((new[size][0] - old.get(size, (0, 0))[0], size) for size in new), reverse=True)
    return ", ".join(
        f"{size} B {pools:+d} pools ({new[size][1] - old.get(size, (0, 0))[1]:+d} blocks)"
        for pools, size in grown[:most]
        if pools > 0
    )


def print_arena_steps(accounts: list[dict[str, Any]], warmup: int) -> None:
    """Each minute after the warm-up whose arenas grew, with the block sizes that took the new
    pools; then the arenas pymalloc took and gave back over the soak, and the pools by block size
    from the end of the warm-up to the end (a pool is 16 KiB, an arena 64 of them)."""
    print("\npymalloc's arena steps after the warm-up (the block sizes whose pools grew most):")
    for minute in range(warmup, len(accounts)):
        before, after = accounts[minute - 1], accounts[minute]
        step = after["arena_bytes"] - before["arena_bytes"]
        if step > 0:
            print(f"  minute {minute + 1}: {step / MB:+.0f} MB; {_grown(before, after, 4)}")
    first, last = accounts[0], accounts[-1]
    print(
        f"  arenas taken {first['arenas_allocated']} -> {last['arenas_allocated']}, given back "
        f"{first['arenas_reclaimed']} -> {last['arenas_reclaimed']} (minute 1 -> the end)"
    )
    print(f"  from the warm-up's end to the end: {_grown(accounts[warmup - 1], last, 8)}")


def print_p99_by_read(p99s: list[dict[str, float]], first_minute: int) -> None:
    print(f"\neach read's p99 a minute, from minute {first_minute} ({len(p99s)} minutes):")
    print(f"  {'read':<60}{'median':>9}{'worst':>9}{'minutes > 50 ms':>17}")
    for read in READS:
        values = [minute[read] for minute in p99s]
        over = sum(value > 50 for value in values)
        print(f"  {read:<60}{np.median(values):9.2f}{max(values):9.2f}{over:17d}")


def print_growers(line: dict[str, Any]) -> None:
    print("\nbiggest growers since the end of the warm-up (tracemalloc):")
    for grower in line.get("growers", []):
        where = " <- ".join(grower["where"])
        print(
            f"  {grower['size_diff'] / 1024:+10.1f} KiB {grower['count_diff']:+8d} blocks"
            f"  ({grower['size'] / 1024:.1f} KiB now)  {where}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--warmup-minutes", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--universe", default="recorded")
    parser.add_argument("--sqlite", action="store_true", help="SQLite file instead of PostgreSQL")
    parser.add_argument("--frames", type=int, default=1, help="tracemalloc depth; 0: off")
    parser.add_argument("--tick-s", type=float, default=None, help="every job at this period")
    parser.add_argument("--trim", action="store_true", help="malloc_trim(0) after each minute")
    parser.add_argument(
        "--by-read",
        action="store_true",
        help="one wrk a read (each read's p99; the row: the worst read's) instead of the mix",
    )
    parser.add_argument(
        "--access-log",
        type=Path,
        default=Path(os.devnull),
        help="where the service's JSON log goes (a line per answer, its duration_ms)",
    )
    parser.add_argument(
        "--fill-minutes",
        type=int,
        default=0,
        help="first store the universe's history (every job every minute, at most this long), "
        "then soak a service started again on it",
    )
    parser.add_argument(
        "--preload", default=None, help="LD_PRELOAD for the service (another malloc: jemalloc)"
    )
    parser.add_argument(
        "--mmap-threshold",
        type=int,
        default=None,
        help="MALLOC_MMAP_THRESHOLD_ for the service: glibc's mmap threshold fixed (bytes)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    print(describe(), flush=True)

    database = (
        sqlite_url(Path(tempfile.mkdtemp(prefix="bench-soak-")))
        if args.sqlite
        else asyncio.run(create_postgres_database("mysymbols_bench"))
    )
    upgrade_to_head(database)
    sim_port, app_port = free_port(), free_port()
    env = service_env(
        database,
        sim_port,
        KEY,
        **UNTHROTTLED,  # wrk is one key, on purpose
        MYSYMBOLS_SCHEDULER__ENABLED="true",
        MYSYMBOLS_LOG_LEVEL="INFO",
        MYSYMBOLS_LOG_FORMAT="json",
    )
    if args.tick_s is not None:
        env["MYSYMBOLS_SCHEDULER__TICK_S"] = str(args.tick_s)
    report = Path(tempfile.mkdtemp(prefix="bench-soak-")) / "report.jsonl"
    origin = f"http://127.0.0.1:{app_port}"
    server = [
        sys.executable,
        "-m",
        "tests.bench.soak_server",
        str(app_port),
        str(report),
        str(args.frames),
    ] + (["trim"] if args.trim else [])
    minutes: list[Minute] = []
    pymallocs: list[dict[str, Any]] = []  # pymalloc's account a minute (`pymalloc_stats`)
    p99s: list[dict[str, float]] = []  # --by-read: each read's p99, a minute each
    try:
        with process(simulator(sim_port, args.universe), env, None):
            wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
            if args.fill_minutes:
                fill(server, env, origin, database, args.fill_minutes)
            server_env = dict(env)
            if args.preload:
                server_env["LD_PRELOAD"] = args.preload
            if args.mmap_threshold is not None:
                server_env["MALLOC_MMAP_THRESHOLD_"] = str(args.mmap_threshold)
            with process(server, server_env, "0", args.access_log) as app:
                wait_for(f"{origin}{API}/health", 120)
                scored(origin)
                member = first_member(origin) if args.fill_minutes else primed(origin)
                script = lua_script(member)
                threshold = args.mmap_threshold
                print(
                    f"\nsoak ({'SQLite' if args.sqlite else 'PostgreSQL'}, universe "
                    f"{args.universe}, 10 members, scheduler on"
                    f"{f' every {args.tick_s:g} s' if args.tick_s else ''}), "
                    f"{args.connections} connections, eight reads "
                    f"{'each from its own wrk' if args.by_read else 'in turn'}, tracemalloc "
                    f"{args.frames} frame(s)"
                    f"{f', LD_PRELOAD={args.preload}' if args.preload else ''}"
                    f"{f', mmap threshold {threshold}' if threshold is not None else ''}"
                )
                print(
                    f"{'minute':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>8}"
                    f"{'tree MB':>10}{'app MB':>9}{'traced':>9}{'app-tm MB':>12}"
                    f"{'arenas':>9}{'live':>9}{'trimmed':>9}{'in use':>9}{'free':>9}{'window':>9}"
                    f"{'full gc':>8}{'max ms':>8}{'old k':>8}{'compiled':>9}"
                    f"{'prepared':>9}{'conns':>6}{'opened':>7}"
                )
                for minute in range(1, args.minutes + 1):
                    if args.by_read:
                        by_read = wrk_minute_by_read(origin, member, args.connections)
                        load = combined(by_read)
                        p99s.append({read: by_read[read].p99_ms for read in READS})
                    else:
                        load = wrk_minute(origin, script, args.connections)
                    tree, own = tree_rss(app.pid)
                    line = ask(
                        app.pid, report, snapshot=minute in (args.warmup_minutes, args.minutes)
                    )
                    traced, overhead = int(line["traced"]), int(line["tracemalloc_overhead"])
                    pymalloc = line["pymalloc"]
                    pymallocs.append(pymalloc)
                    minutes.append(
                        Minute(
                            minute,
                            load.rps,
                            load.p50_ms,
                            load.p99_ms,
                            load.non_2xx,
                            tree,
                            own,
                            traced,
                            overhead,
                            pymalloc["arena_bytes"],
                            pymalloc["allocated_blocks"],
                            int(line.get("rss_after_trim", 0)),
                            line["native"]["in_use"],
                            line["native"]["free"],
                            line["kept_window"],
                            line["gc"]["count"][2],
                            max(line["gc"]["longest_ms"]),
                            line["gc"]["tracked"],
                            sum(line["gc"]["compiled_cached"]),
                            sum(line["gc"]["prepared"]),
                            len(line["gc"]["prepared"]),
                            line["gc"]["opened"],
                        )
                    )
                    print_minute(minutes[-1])
    finally:
        if not args.sqlite:
            asyncio.run(drop_postgres_database(database))

    steady = [m for m in minutes if m.minute >= args.warmup_minutes]
    if len(steady) > 1:
        print_growth(steady)
    if len(pymallocs) > args.warmup_minutes:
        print_arena_steps(pymallocs, args.warmup_minutes)
    if p99s[args.warmup_minutes - 1 :]:
        print_p99_by_read(p99s[args.warmup_minutes - 1 :], args.warmup_minutes)
    if args.frames and args.minutes > args.warmup_minutes:
        print_growers(json.loads(report.read_text().splitlines()[-1]))


if __name__ == "__main__":
    main()
