"""Benchmark: the trading engine's reads against a bare FastAPI hello app, same uvicorn setup,
side by side in one run.

`python -m tests.bench.bench_api [--duration 4 --rounds 3 --connections 64] [--sqlite]
                                 [--universe recorded] [--only portfolio rankings-20 ...]
                                 [--hot] [--access-log] [--same-bytes] [--gzip]
                                 [--service-root DIR [DIR ...]] [--protocols bounded httptools h11]
                                 [--py-spy PATH]`
Both servers run as one uvicorn worker each, pinned to core 0 and up together; wrk
(`apt-get install wrk`) runs pinned to core 1, on 127.0.0.1 only. The app serves the
simulator's universe (the recorded 406 contracts by default; 150 shortlisted and scored) with 10
members, the callers' limits lifted but the limiter running (`UNTHROTTLED`). Each round times,
for every read, the hello app and then the read, `--duration` seconds each: a pair, so what the
machine's other work does to one does it to both, about. Printed per read: the median of its
pairs' ratios to hello and their range, by req/s and by the server's CPU time per request (the
steadier on a shared machine: what one core answers, whatever else runs), from its best round
req/s, p50 and p99 latency, its non-2xx responses in all and its body's bytes. `--same-bytes`
pairs each read with the hello app answering a body of the read's own size from memory
(`/bytes/N`) instead of its 17 bytes: what the service adds to serving those bytes at all.
`--gzip` has wrk send `Accept-Encoding: gzip, deflate` to both servers, as httpx (the typed
client), aiohttp and browsers do; the bare hello app ignores it, the service's kept answers of a
packet or more go out gzipped. Without it nothing is asked for, so every answer goes out plain.
`--service-root` serves another checkout's `app`, or several side by side, each read timed
against each in turn after its own hello run (a before and an after in one run);
`--py-spy` records a profile of each read after the rounds, for `tests.bench.profile_layers`.
`--protocols` serves the app once per uvicorn HTTP protocol named, all up together in fresh
processes (the priming one idles), each read timed against each in turn after its own hello run
(the hello app runs as deployed): `bounded`, the image's (`app.platform.runtime.http_head`),
`httptools`, uvicorn's own without a head limit, `h11` with `--h11-max-incomplete-event-size` at the
same limit. `bounded` alone by default; a `--service-root` checkout older than
`app/platform/runtime/http_head.py` needs `--protocols httptools`. Goals (issue 57): every hot read
>= 1.0x hello, as deployed (`--access-log`), with p99 <= 50 ms and no non-2xx. Numbers only, no
assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from app.platform.db.migrations import upgrade_to_head
from app.platform.runtime.http_head import HEAD_MAX_BYTES, PROTOCOL
from tests.bench.harness import HEADERS, KEY
from tests.bench.machine import describe
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.deployed import (
    API,
    ROOT,
    UNTHROTTLED,
    prime,
    process,
    service_env,
    simulator,
    uvicorn,
    wait_for,
)
from tests.sim_fixtures import free_port


@dataclass(frozen=True)
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    cpu_us: float  # the server's CPU time (all its threads) per request answered


def cpu_s(pid: int) -> float:
    """The CPU time process `pid` has used, all its threads, in seconds."""
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def _latency(out: str, percentile: str) -> float:
    match = re.search(percentile + r"%\s+([\d.]+)(us|ms|s)", out)
    assert match is not None, out
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]


def _median(ratios: tuple[float, ...]) -> str:
    """The median ratio and the range, as the table shows them."""
    spread = f"{min(ratios):.2f}-{max(ratios):.2f}x"
    return f"{statistics.median(ratios):8.3f}x{spread:>12}"


def wrk_command(url: str, duration: int, connections: int, headers: dict[str, str]) -> list[str]:
    """wrk sending `url` for `duration` seconds, pinned to core 1."""
    pin = ["taskset", "-c", "1"] if shutil.which("taskset") else []
    args = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    return [*pin, *args, url]


def wrk(url: str, pid: int, duration: int, connections: int, headers: dict[str, str]) -> Run:
    """One wrk run against the server of process `pid`."""
    command = wrk_command(url, duration, connections, headers)
    before = cpu_s(pid)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    used = cpu_s(pid) - before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    answered = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    non_2xx = int(errors.group(1)) if errors else 0
    return Run(rps, _latency(out, "50"), _latency(out, "99"), non_2xx, used / answered * 1e6)


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
# The hot reads of issue 57's table.
HOT = (
    "portfolio",
    "rankings-20",
    "weights",
    "correlation",
    "metrics",
    "position-size",
    "symbols-100",
    "pairlist",
)


# uvicorn's `--http` arguments for each protocol `--protocols` may name.
PROTOCOLS = {
    "bounded": ["--http", PROTOCOL],
    "httptools": ["--http", "httptools"],
    "h11": ["--http", "h11", "--h11-max-incomplete-event-size", str(HEAD_MAX_BYTES)],
}
# Where a checkout from before the platform's folder keeps the bounded protocol.
EARLIER_BOUNDED = "app.runtime.http_head:BoundedHttpToolsProtocol"


def protocol_args(protocol: str, root: Path) -> list[str]:
    """uvicorn's `--http` arguments for `protocol`, as the checkout at `root` names its own."""
    module = PROTOCOL.split(":")[0].replace(".", "/") + ".py"
    if protocol == "bounded" and not (root / module).is_file():
        return ["--http", EARLIER_BOUNDED]
    return PROTOCOLS[protocol]


def prepare(base: str, encoding: dict[str, str]) -> tuple[str, dict[str, int]]:
    """A primed portfolio of 10 (see `tests.deployed.prime`) whose every read answers 200
    before it is timed: one member, and each read's body size in bytes as sent to a caller
    asking for `encoding`."""
    member = prime(base, HEADERS, 10)[0]
    sizes = {}
    with httpx.Client(base_url=base, headers={**HEADERS, **encoding}, timeout=60) as client:
        for name, path in READS.items():
            response = client.get(f"{API}{path.format(member=member)}")
            response.raise_for_status()
            sizes[name] = response.num_bytes_downloaded
    return member, sizes


def profile(py_spy: str, pid: int, load: list[str], out: Path) -> None:
    """A py-spy profile of `pid` (raw, for `tests.bench.profile_layers`) while `load` runs."""
    with subprocess.Popen(load, stdout=subprocess.DEVNULL) as running:
        time.sleep(2)  # past wrk's connecting
        record = [py_spy, "record", "-p", str(pid), "-d", "15", "-r", "200", "-f", "raw"]
        subprocess.run([*record, "--nonblocking", "-o", str(out)], check=True, capture_output=True)
        running.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--universe", default="recorded")
    parser.add_argument("--sqlite", action="store_true", help="SQLite file instead of PostgreSQL")
    parser.add_argument("--only", nargs="+", choices=list(READS), default=list(READS))
    parser.add_argument("--hot", action="store_true", help="only the hot reads of issue 57")
    parser.add_argument(
        "--no-caches", action="store_true", help="both read caches off: every read computed"
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="log at INFO as JSON (a line per request, to a file), as deployed",
    )
    parser.add_argument(
        "--same-bytes",
        action="store_true",
        help="pair each read with the hello app answering as many bytes (not 17)",
    )
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="ask both servers for gzip, as httpx, aiohttp and browsers do (else nothing asked)",
    )
    parser.add_argument(
        "--service-root",
        type=Path,
        nargs="+",
        default=[ROOT],
        help="the checkouts whose app is served (several: each timed in turn, side by side)",
    )
    parser.add_argument(
        "--protocols",
        nargs="+",
        choices=list(PROTOCOLS),
        default=["bounded"],
        help="serve the app with each of these uvicorn HTTP protocols, timed side by side",
    )
    parser.add_argument("--py-spy", help="py-spy's path: profile each read after the rounds")
    parser.add_argument("--profile-dir", type=Path, default=Path("bench-api-profiles"))
    args = parser.parse_args()
    if args.hot:
        args.only = list(HOT)
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
    roots: list[Path] = args.service_root
    timed = {"duration": args.duration, "connections": args.connections}
    encoding = {"Accept-Encoding": "gzip, deflate"} if args.gzip else {}
    asked = {**HEADERS, **encoding}
    measured = encoding or {"Accept-Encoding": "identity"}  # httpx would ask for gzip itself
    hello_origin = f"http://127.0.0.1:{hello_port}"
    hello_url = f"{hello_origin}/hello"
    app = f"http://127.0.0.1:{app_port}"
    runs: dict[str, list[Run]] = {}
    hello_runs: list[Run] = []
    pairs: dict[str, list[tuple[float, float]]] = {}  # vs the hello run just before: req/s, CPU
    print(describe())
    try:
        with (
            process(simulator(sim_port, args.universe), env, None),
            process(uvicorn("tests.bench.hello_app:app", hello_port), env, "0") as hello_server,
        ):
            wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
            wait_for(hello_url)
            first = args.protocols[0]
            with (
                process(
                    uvicorn("app.main:app", app_port, protocol_args(first, roots[0])),
                    env,
                    "0",
                    log,
                    cwd=roots[0],
                ) as service,
                ExitStack() as others,
            ):
                wait_for(f"{app}{API}/health", 120)
                member, sizes = prepare(app, measured)
                served_by = {first: (app, service.pid)}
                if len(args.protocols) > 1 or len(roots) > 1:  # each fresh: none of them primed
                    served_by = {}
                    for root, protocol in itertools.product(roots, args.protocols):
                        port = free_port()
                        command = uvicorn("app.main:app", port, protocol_args(protocol, root))
                        other = others.enter_context(process(command, env, "0", log, cwd=root))
                        wait_for(f"http://127.0.0.1:{port}{API}/health", 120)
                        named = [(str(root), len(roots)), (protocol, len(args.protocols))]
                        label = " ".join(name for name, among in named if among > 1)
                        served_by[label] = (f"http://127.0.0.1:{port}", other.pid)
                hellos = {
                    name: f"{hello_origin}/bytes/{sizes[name]}" if args.same_bytes else hello_url
                    for name in args.only
                }
                for _ in range(args.rounds):  # each read right after a hello run: a pair
                    for name in args.only:
                        for protocol, (origin, pid) in served_by.items():
                            row = name if len(served_by) == 1 else f"{name} [{protocol}]"
                            sizes[row] = sizes[name]
                            url = f"{origin}{API}{READS[name].format(member=member)}"
                            before = wrk(hellos[name], hello_server.pid, headers=encoding, **timed)
                            run = wrk(url, pid, headers=asked, **timed)
                            hello_runs.append(before)
                            runs.setdefault(row, []).append(run)
                            ratios = (run.rps / before.rps, before.cpu_us / run.cpu_us)
                            pairs.setdefault(row, []).append(ratios)
                if args.py_spy:
                    args.profile_dir.mkdir(parents=True, exist_ok=True)
                    loaded = {"duration": 20, "connections": args.connections}
                    hello_load = wrk_command(hello_url, headers=encoding, **loaded)
                    profile(
                        args.py_spy, hello_server.pid, hello_load, args.profile_dir / "hello.txt"
                    )
                    origin, pid = served_by[first]
                    for name in args.only:
                        url = f"{origin}{API}{READS[name].format(member=member)}"
                        load = wrk_command(url, headers=asked, **loaded)
                        profile(args.py_spy, pid, load, args.profile_dir / f"{name}.txt")
            if "portfolio" in args.only and not args.no_caches:
                no_cache = {
                    **env,
                    "MYSYMBOLS_PORTFOLIO__READ_CACHE": "false",
                    "MYSYMBOLS_READS__CACHE_TTL_S": "0",
                }
                with process(
                    uvicorn("app.main:app", app_port), no_cache, "0", log, cwd=roots[0]
                ) as uncached:
                    wait_for(f"{app}{API}/health")
                    runs["portfolio (caches off)"] = [
                        wrk(f"{app}{API}/portfolio", uncached.pid, headers=asked, **timed)
                        for _ in range(args.rounds)
                    ]
                    # Its own bytes: an answer not kept is never compressed.
                    sizes["portfolio (caches off)"] = httpx.get(
                        f"{app}{API}/portfolio", headers={**HEADERS, **measured}, timeout=60
                    ).num_bytes_downloaded
    finally:
        if not args.sqlite:
            asyncio.run(drop_postgres_database(database))

    hello = max(hello_runs, key=lambda r: r.rps)
    hello_cpu = statistics.median(r.cpu_us for r in hello_runs)
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    caches = ", read caches off" if args.no_caches else ""
    caches += ", JSON access log" if args.access_log else ""
    caches += ", hello answering each read's bytes" if args.same_bytes else ""
    caches += ", gzip asked for" if args.gzip else ""
    print(
        f"\nreads vs hello ({backend}, universe {args.universe}, 10 members{caches}), "
        f"{args.connections} connections, {args.rounds} rounds of {args.duration} s pairs (hello, "
        f"then the read), servers on core 0, wrk on core 1; service from "
        f"{', '.join(map(str, roots))}"
    )
    print(
        "vs hello: the median of the pairs' ratios (their range), by req/s and by the servers'\n"
        "CPU per request (hello's over the read's: what one core answers, whatever else runs);\n"
        "req/s, p50, p99: the best round; CPU: the median"
    )
    protocols = ", ".join(args.protocols)
    print(f"uvicorn --http: {protocols} (the hello app: bounded, as deployed)")
    header = f"{'GET':30}{'req/s':>7}{'vs hello':>9}{'range':>12}{'CPU us':>8}{'vs hello':>9}"
    print(f"{header}{'range':>12}{'p50 ms':>8}{'p99 ms':>8}{'non-2xx':>8}{'bytes':>8}")
    # With --same-bytes each read's hello answered that read's bytes: the row is the best of them.
    hello_row, hello_bytes = ("hello app (best)", "") if args.same_bytes else ("hello app", "17")
    print(
        f"{hello_row:30}{hello.rps:7.0f}{'1.00x':>9}{'':12}{hello_cpu:8.1f}{'1.00x':>9}{'':12}"
        f"{hello.p50_ms:8.2f}{hello.p99_ms:8.2f}{'':8}{hello_bytes:>8}"
    )
    for name, done in runs.items():
        run = max(done, key=lambda r: r.rps)
        cpu = statistics.median(r.cpu_us for r in done)
        measured = pairs.get(name) or [(run.rps / hello.rps, hello_cpu / cpu)]
        by_rps, by_cpu = zip(*measured, strict=True)
        print(
            f"{name:30}{run.rps:7.0f}{_median(by_rps)}{cpu:8.1f}{_median(by_cpu)}"
            f"{run.p50_ms:8.2f}{run.p99_ms:8.2f}{sum(r.non_2xx for r in done):8d}"
            f"{sizes[name]:8d}"
        )
    print("goals: every hot read >= 1.0x hello, p99 <= 50 ms, 0 non-2xx")
    if args.py_spy:
        print(f"profiles: python -m tests.bench.profile_layers {args.profile_dir}/*.txt")


if __name__ == "__main__":
    main()
