"""Footprint: each process's memory at steady state as deployed, the image's size, and the speed
that must not pay for them (issue 84).

`python -m tests.bench.bench_footprint [--tree DIR ...] [--contracts 40] [--days 60]
                                       [--universe recorded] [--settle-s 30] [--scoring-runs 3]
                                       [--image localhost/mysymbols:ci] [--run-image] [--sqlite]
                                       [--python /usr/bin/python3.11 ...]`

Each `--tree` (a checkout; default this one) runs in turn, in one run, so that two commits are
compared on the same machine at the same load. A tree's service runs as the image runs it: its
own runtime set only (a venv built from the tree's `requirements.lock`, cached under
`~/.cache/mysymbols-footprint`: no dev packages, which would be imported, pandas by TA-Lib; its
files copied and its bytecode compiled, as the image's), `python -m app.cli migrate` then the
`uvicorn` script with the image's options, the scheduler on, against the loopback simulator and
a throw-away PostgreSQL database (`--sqlite`: a SQLite file): `--contracts` generated contracts
with `--days` of hourly history imported first, or with `--universe recorded` the simulator's
recorded 406-contract universe, whose candles the service fetches itself as a deployed one does
(`--contracts` and `--days` unused); the service on core 0 (its workers with it), the load on
core 1. The venv is built on the interpreter running the bench, or on each `--python` in turn
(the image's base has its own: Debian's, in the container check's stand-in). `--run-image`
measures the image itself the same way, after any `--tree` (`--image`, built by
`scripts/check-container.sh`): its own CMD in podman, on the host's network.

In order: start to ready (`/status` ready), 10 members added, `--scoring-runs` scoring runs
(`POST /scoring/calculate?wait=`), every hot and heavy read asked five times, hot reads for 10 s
(wrk on `/portfolio`: req/s), heavy reads for 10 s (wrk over four heavy reads: p99), a
calibration (`POST /scoring/evidence/refresh`) with the heavy reads again during it (a scheduled
job that falls in its minute raises their p99 several times over: compare runs, not one run), a
second calibration with the tree's memory sampled every 0.5 s (its peak), then `--settle-s` of
quiet and three samples 5 s apart: the steady state, each process's RSS, PSS and USS
(`/proc/PID/smaps_rollup`; USS = private clean + private dirty, and how much of it is pages of
mapped files rather than anonymous memory) and the tree's sums. Last, the service is killed
(SIGKILL) and any process of its tree still alive 5 s later is counted. Numbers only, no
assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import hashlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from tests.bench.bench_soak import wrk_command, wrk_load
from tests.bench.harness import HEADERS, KEY, simulated_history
from tests.bench.machine import describe
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.deployed import API, ROOT, prime, process, service_env, simulator, wait_for
from tests.sim_fixtures import free_port

MB = 1024 * 1024
CACHE = Path.home() / ".cache" / "mysymbols-footprint"
MEMBERS = 10
HOT = "/portfolio"
HEAVY = (
    "/portfolio/correlation",
    "/portfolio/metrics",
    "/portfolio/weights",
    "/scoring/rankings?limit=20",
)
READS = (
    HOT,
    *HEAVY,
    "/pairlist",
    "/symbols?limit=100",
    "/portfolio/replacement-candidates",
    "/portfolio/statistics",
    "/portfolio/timeline",
    "/evidence/live",
    "/portfolio/position-size?symbol={member}&account_balance=10000",
)
IMAGE_PORT = 8000  # the image's CMD listens there (host network)
CONTAINER_ULIMITS = ["--ulimit", "nofile=1024:20000", "--ulimit", "nproc=4096:4096"]
# The image's CMD, less its host and port (app/Dockerfile).
UVICORN_OPTIONS = [
    "--proxy-headers",
    "--limit-concurrency",
    "1024",
    "--http",
    "app.platform.runtime.http_head:BoundedHttpToolsProtocol",
]


@dataclass(frozen=True)
class Memory:
    """One process's pages (bytes)."""

    pid: int
    role: str
    rss: int
    pss: int
    uss: int
    uss_mapped: int  # of `uss`, pages of mapped files (library code), not anonymous memory


@dataclass(frozen=True)
class Outcome:
    subject: str  # what ran: a checkout and its commit, or an image
    ready_s: float
    scoring_s: list[float]
    hot_rps: float
    heavy_p99_ms: float
    heavy_p99_calibrating_ms: float
    calibration_s: float
    calibration_status: str
    peak_tree_pss: int
    samples: list[list[Memory]]
    left_after_kill: int


@dataclass(frozen=True)
class Checkout:
    """A tree, run on a venv built with `base_python` (the image's base has its own)."""

    tree: Path
    base_python: str


def runtime_venv(tree: Path, base_python: str) -> Path:
    """A venv holding exactly `tree`'s runtime lock (built once per lock, bytecode compiler and
    interpreter, with the dev venv's uv) on `base_python`; its python. As the image's: its
    bytecode compiled by the tree's `scripts/compile_bytecode.py` where it has one (else every
    start compiles it, and the compiler's garbage stays in the heap), and its files its own,
    copied rather than hard-linked from uv's cache (hard-linked, they are the dev venv's very
    files, which the bench, the simulator and the importer map too: the service's pages of them
    counted as shared, not as its own). Unlike the image's, the standard library is the
    interpreter's own, with its docstrings."""
    lock = tree / "requirements.lock"
    compiler = tree / "scripts" / "compile_bytecode.py"
    recipe = lock.read_bytes() + (compiler.read_bytes() if compiler.exists() else b"")
    recipe += interpreter(base_python).encode()
    venv = CACHE / f"runtime-{hashlib.sha256(recipe).hexdigest()[:12]}"
    python = venv / "bin" / "python"
    if not (venv / ".complete").exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([base_python, "-m", "venv", str(venv)], check=True)
        uv = Path(sys.executable).with_name("uv")
        install = [str(uv), "pip", "install", "--quiet", "--python", str(python)]
        install += ["--link-mode", "copy", "--compile-bytecode"]
        subprocess.run([*install, "--require-hashes", "-r", str(lock)], check=True)
        if compiler.exists():
            subprocess.run([str(python), str(compiler), str(venv / "lib")], check=True)
        (venv / ".complete").touch()
    return python


@functools.cache
def interpreter(python: str) -> str:
    """Which interpreter `python` is: its real path and version."""
    found = subprocess.run(
        [python, "-c", "import sys; print(sys.executable, sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip()


def smaps(pid: int) -> tuple[int, int, int, int]:
    """RSS, PSS and USS of `pid`, and the USS's pages of mapped files (bytes)."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, value = line.partition(":")
        fields[key] = int(value.split()[0]) * 1024
    uss = fields["Private_Clean"] + fields["Private_Dirty"]
    return fields["Rss"], fields["Pss"], uss, uss - fields["Anonymous"]


def role(member: psutil.Process, root: int) -> str:
    if member.pid == root:
        return "service"
    name = str(member.name())
    if not name.startswith(("python", "uvicorn")):
        return name  # a worker names itself (app.platform.runtime.offload)
    command = " ".join(member.cmdline())
    for marker, label in (
        ("resource_tracker", "resource tracker"),
        ("spawn_main", "worker (spawned)"),
    ):
        if marker in command:
            return label
    return "worker"


def tree_memory(root: int) -> list[Memory]:
    parent = psutil.Process(root)
    found = []
    for member in [parent, *parent.children(recursive=True)]:
        try:
            found.append(Memory(member.pid, role(member, root), *smaps(member.pid)))
        except (psutil.NoSuchProcess, FileNotFoundError, ProcessLookupError):
            continue
    return found


def tree_pss(root: int) -> int:
    return sum(m.pss for m in tree_memory(root))


def heavy_script(directory: Path) -> Path:
    paths = ", ".join(f'"{API}{path}"' for path in HEAVY)
    script = directory / "heavy.lua"
    script.write_text(
        f"local paths = {{{paths}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\nend\n'
    )
    return script


def wrk(origin: str, path: str, script: Path | None, seconds: int = 10) -> tuple[float, float]:
    command = wrk_command(64, f"{origin}{API}{path}", script)
    command[command.index("-d") + 1] = f"{seconds}s"
    load = wrk_load(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    return load.rps, load.p99_ms


def wait_ready(origin: str, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{origin}{API}/status", timeout=2).json().get("ready"):
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{origin} was not ready within {timeout_s} s")


@contextmanager
def tree_service(checkout: Checkout, env: dict[str, str], port: int) -> Iterator[int]:
    """The tree's service as the image starts it (its bytecode compiled, migrate, then the
    uvicorn script), on core 0; its pid. SIGKILLed at the end if still running."""
    tree = checkout.tree
    python = runtime_venv(tree, checkout.base_python)
    bin_dir = python.parent
    env = {**env, "PATH": f"{bin_dir}:{env['PATH']}", "PYTHONPATH": str(tree)}
    subprocess.run([str(python), "-m", "compileall", "-q", "app", "alembic"], cwd=tree, check=True)
    subprocess.run([str(python), "-m", "app.cli", "migrate"], env=env, cwd=tree, check=True)
    command = ["taskset", "-c", "0", str(bin_dir / "uvicorn"), "app.main:app"]
    command += ["--host", "127.0.0.1", "--port", str(port), *UVICORN_OPTIONS]
    proc = subprocess.Popen(command, env=env, cwd=tree, stdout=subprocess.DEVNULL)
    try:
        yield proc.pid
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@contextmanager
def image_service(image: str, env: dict[str, str]) -> Iterator[int]:
    """The image's own CMD (migrate, then uvicorn on port 8000) in podman, as
    scripts/check-container.sh runs it (host network, its ulimits) with `env`'s settings, on
    core 0; the pid on this host of the container's first process (the uvicorn the CMD execs).
    Removed at the end."""
    name = f"mysymbols-footprint-{os.getpid()}"
    settings = [f"--env={k}={v}" for k, v in env.items() if k.startswith("MYSYMBOLS_")]
    command = ["podman", "run", "-d", "--name", name, "--network=host", "--cpuset-cpus=0"]
    command += [*CONTAINER_ULIMITS, "--health-interval=disable", *settings, image]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    try:
        found = subprocess.run(
            ["podman", "inspect", "--format", "{{.State.Pid}}", name],
            capture_output=True,
            text=True,
            check=True,
        )
        yield int(found.stdout)
    finally:
        subprocess.run(["podman", "rm", "-f", name], capture_output=True)


def killed(pid: int) -> None:
    """`pid` SIGKILLed, and gone (reaped when it is a child of this process)."""
    os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(psutil.NoSuchProcess):
        psutil.Process(pid).wait(timeout=30)


def calibration(origin: str, during: Callable[[], None]) -> tuple[float, str]:
    """A calibration, `during()` called until it has ended: its wall time and how it ended."""
    deadline = time.monotonic() + 600
    answer = httpx.post(f"{origin}{API}/scoring/evidence/refresh", headers=HEADERS, timeout=30)
    while answer.status_code == 409 and time.monotonic() < deadline:  # the scheduler's own runs
        if "run_id" not in answer.json():  # not a run in the way: too little history
            break
        time.sleep(2)
        answer = httpx.post(f"{origin}{API}/scoring/evidence/refresh", headers=HEADERS, timeout=30)
    if answer.status_code == 409:
        return 0.0, f"not run: {answer.json()['detail']}"
    answer.raise_for_status()
    started = time.perf_counter()
    status = "queued"
    while status in ("queued", "running"):
        during()
        url = f"{origin}{answer.headers['location']}"
        status = httpx.get(url, headers=HEADERS, timeout=30).json()["status"]
    return time.perf_counter() - started, str(status)


def calibrations(origin: str, script: Path, root: int) -> tuple[float, float, int, str]:
    """Two calibrations: the heavy reads under wrk during the first (their p99), the tree's PSS
    sampled every 0.5 s during the second (its peak; apart, as reading a process's page tables
    holds up its own mappings); the first's wall time and how it ended."""
    with tempfile.TemporaryFile() as out:
        load = subprocess.Popen(
            wrk_command(64, f"{origin}{API}{HEAVY[0]}", script), stdout=out, text=True
        )
        wall, status = calibration(origin, lambda: time.sleep(0.5))
        load.wait()
        out.seek(0)
        p99 = wrk_load(out.read().decode()).p99_ms
    peaks = [0]

    def sample() -> None:
        peaks.append(tree_pss(root))
        time.sleep(0.5)

    calibration(origin, sample)
    return wall, p99, max(peaks), status


@contextmanager
def market(
    env: dict[str, str], sim_port: int, universe: str, contracts: int, days: int
) -> Iterator[None]:
    """The simulator for the block: `contracts` generated ones with `days` of history in the
    database, or the `recorded` universe with none stored."""
    if universe != "recorded":
        with simulated_history(env, sim_port, contracts, days):
            yield
        return
    with process(simulator(sim_port, universe), env, "1"):
        wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
        yield


def measure(
    subject: Checkout | str,
    universe: str,
    contracts: int,
    days: int,
    settle_s: float,
    scoring_runs: int,
    sqlite: bool,
) -> Outcome:
    """`subject`: a checkout, or the name of a built image; `sqlite`: a SQLite file (the
    embedded default) instead of PostgreSQL, for a checkout only."""
    url = (
        sqlite_url(Path(tempfile.mkdtemp(prefix="bench-footprint-")))
        if sqlite
        else asyncio.run(create_postgres_database("mysymbols_footprint"))
    )
    sim_port = free_port()
    port = free_port() if isinstance(subject, Checkout) else IMAGE_PORT
    origin = f"http://127.0.0.1:{port}"
    env = service_env(
        url,
        sim_port,
        KEY,
        MYSYMBOLS_SCHEDULER__ENABLED="true",
        MYSYMBOLS_LIMITS__READ_PER_S="1000000",
        MYSYMBOLS_LIMITS__READ_BURST="1000000",
        MYSYMBOLS_LIMITS__HEAVY_PER_S="1000000",
        MYSYMBOLS_LIMITS__HEAVY_BURST="1000000",
        MYSYMBOLS_SCHEDULER__REQUEST_GAP_S="0",
    )
    try:
        subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=env, cwd=ROOT, check=True)
        with (
            market(env, sim_port, universe, contracts, days),
            tempfile.TemporaryDirectory() as work,
        ):
            started = time.perf_counter()
            run = (
                tree_service(subject, env, port)
                if isinstance(subject, Checkout)
                else image_service(subject, env)
            )
            with run as pid:
                wait_ready(origin)
                ready_s = time.perf_counter() - started
                member = prime(origin, HEADERS, MEMBERS)[0]
                scoring = []
                for _ in range(scoring_runs):
                    began = time.perf_counter()
                    httpx.post(
                        f"{origin}{API}/scoring/calculate",
                        params={"wait": 60},
                        headers=HEADERS,
                        timeout=70,
                    ).raise_for_status()
                    scoring.append(time.perf_counter() - began)
                with httpx.Client(base_url=origin + API, headers=HEADERS, timeout=60) as client:
                    for read in READS:
                        for _ in range(5):
                            client.get(read.format(member=member)).raise_for_status()
                script = heavy_script(Path(work))
                hot_rps, _ = wrk(origin, HOT, None)
                _, heavy_p99 = wrk(origin, HEAVY[0], script)
                calibration_s, calibrating_p99, peak, calibrated = calibrations(origin, script, pid)
                time.sleep(settle_s)
                samples = []
                for k in range(3):
                    if k:
                        time.sleep(5)
                    samples.append(tree_memory(pid))
                pids = [m.pid for m in samples[-1]]
                killed(pid)
                time.sleep(5)
                left = sum(1 for pid in pids[1:] if psutil.pid_exists(pid))
        return Outcome(
            described(subject),
            ready_s,
            scoring,
            hot_rps,
            heavy_p99,
            calibrating_p99,
            calibration_s,
            calibrated,
            peak,
            samples,
            left,
        )
    finally:
        if not sqlite:
            asyncio.run(drop_postgres_database(url))


def image_size(image: str) -> str:
    if shutil.which("podman") is None:
        return "podman not installed"
    found = subprocess.run(
        ["podman", "image", "inspect", "--format", "{{.Size}}", image],
        capture_output=True,
        text=True,
    )
    if found.returncode:
        return f"{image} not built (scripts/check-container.sh builds it)"
    return f"{image}: {int(found.stdout) / 1e6:.0f} MB"


def report(outcome: Outcome) -> None:
    print(f"\n== {outcome.subject}")
    last = outcome.samples[-1]
    print(f"{'process':22}{'pid':>8}{'RSS MB':>9}{'PSS MB':>9}{'USS MB':>9}{'of it files':>13}")
    for m in last:
        print(
            f"{m.role:22}{m.pid:8}{m.rss / MB:9.1f}{m.pss / MB:9.1f}{m.uss / MB:9.1f}"
            f"{m.uss_mapped / MB:13.1f}"
        )
    print(
        f"{'tree':22}{'':8}{sum(m.rss for m in last) / MB:9.1f}"
        f"{sum(m.pss for m in last) / MB:9.1f}{sum(m.uss for m in last) / MB:9.1f}"
        f"{sum(m.uss_mapped for m in last) / MB:13.1f}"
    )
    print(
        "(of it files: pages of library files that this process alone maps, which the kernel "
        "may drop and read again; the rest is anonymous memory)"
    )
    pss = ", ".join(f"{sum(m.pss for m in s) / MB:.1f}" for s in outcome.samples)
    print(
        f"tree PSS in the three samples: {pss} MB; peak during the calibration: "
        f"{outcome.peak_tree_pss / MB:.1f} MB"
    )
    print(
        f"start to ready {outcome.ready_s:.2f} s; scoring runs "
        f"{', '.join(f'{s:.2f}' for s in outcome.scoring_s)} s "
        f"(median {statistics.median(outcome.scoring_s):.2f})"
    )
    print(
        f"hot reads ({HOT}) {outcome.hot_rps:.0f} req/s; heavy reads p99 "
        f"{outcome.heavy_p99_ms:.1f} ms, during the calibration "
        f"{outcome.heavy_p99_calibrating_ms:.1f} ms (calibration {outcome.calibration_s:.1f} s, "
        f"{outcome.calibration_status})"
    )
    print(
        f"processes of the tree alive 5 s after SIGKILL of the service: {outcome.left_after_kill}"
    )


def described(subject: Checkout | str) -> str:
    """A checkout, its commit and its interpreter, or an image and its id."""
    if isinstance(subject, Checkout):
        command = ["git", "-C", str(subject.tree), "rev-parse", "--short", "HEAD"]
    else:
        command = ["podman", "image", "inspect", "--format", "{{.Id}}", subject]
    found = subprocess.run(command, capture_output=True, text=True).stdout.strip()[:12] or "?"
    if isinstance(subject, Checkout):
        return f"{subject.tree} ({found}) on {interpreter(subject.base_python)}"
    return f"image {subject} ({found}), its CMD in podman"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", type=Path, action="append", help="a checkout (repeatable)")
    parser.add_argument("--contracts", type=int, default=40)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--universe", default="generated", choices=("generated", "recorded"))
    parser.add_argument("--settle-s", type=float, default=30.0)
    parser.add_argument("--scoring-runs", type=int, default=3)
    parser.add_argument("--image", default="localhost/mysymbols:ci")
    parser.add_argument(
        "--run-image",
        action="store_true",
        help="measure the image (after any --tree), its CMD run in podman "
        "(scripts/check-container.sh builds it)",
    )
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file, not PostgreSQL")
    parser.add_argument(
        "--python",
        action="append",
        help="the interpreter a tree's venv is built on (repeatable: each tree on each); "
        "default the one running this",
    )
    args = parser.parse_args()
    if args.sqlite and args.run_image:
        sys.exit("--sqlite measures checkouts only (the image would need the file mounted)")
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    print(describe(), flush=True)
    trees = args.tree or ([] if args.run_image else [ROOT])
    pythons = args.python or [sys.executable]
    subjects: list[Checkout | str] = [
        Checkout(tree.resolve(), python) for tree in trees for python in pythons
    ]
    if args.run_image:
        subjects.append(args.image)
    for subject in subjects:
        outcome = measure(
            subject,
            args.universe,
            args.contracts,
            args.days,
            args.settle_s,
            args.scoring_runs,
            args.sqlite,
        )
        report(outcome)
    print(f"\nimage: {image_size(args.image)}")


if __name__ == "__main__":
    main()
