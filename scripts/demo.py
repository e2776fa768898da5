"""`scripts/dev.sh demo`: the KuCoin simulator and the service wired to it, a scored portfolio
built through the API as a newcomer would, then both running until Ctrl-C or SIGTERM.

Run from the repository root as `python -m scripts.demo [--port 8000] [--database-url URL]`.
A database that cannot be reached is one sentence (MYSYMBOLS_DEBUG=1: the traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from app.cli.reads import show_portfolio
from app.platform.core.security import generate_key
from app.platform.db.migrations import upgrade_to_head
from app.platform.db.unreachable import DatabaseUnreachable, masked
from app.platform.runtime.http_head import PROTOCOL
from scripts import demo_logs
from scripts.demo_jobs import (
    API,
    DemoFailed,
    build_portfolio,
    first_start,
    replacement_advice,
    run_job,
    scoring_run,
)
from scripts.demo_progress import Progress

ROOT = Path(__file__).resolve().parents[1]
STOP_WITHIN_S = 15.0  # the service's graceful 3 s + its runs' 2 s + teardown, with margin
DEFAULT_PORT = 8000


class Stopped(Exception):
    """SIGTERM (or SIGINT) arrived: stop both processes and leave."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="scripts/dev.sh demo", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port",
        type=int,
        help="the service's port (default $PORT or 8000; a free one if taken; 0: any free one)",
    )
    parser.add_argument("--sim-port", type=int, default=0, help="the simulator's (0: any free)")
    parser.add_argument(
        "--database-url",
        help="a database to use (migrated to head) instead of a fresh SQLite file in --dir",
    )
    parser.add_argument("--dir", type=Path, default=ROOT / ".demo", help="database and logs")
    parser.add_argument("--universe", default="recorded", help="'recorded' or a number N")
    parser.add_argument("--members", type=int, default=10, help="portfolio size (default 10)")
    parser.add_argument("--timeout", type=float, default=300.0, help="setup deadline, seconds")
    args = parser.parse_args(argv)
    args.port_from = "--port" if args.port is not None else "$PORT" if "PORT" in os.environ else ""
    if args.port is None:
        args.port = int(os.environ.get("PORT", str(DEFAULT_PORT)))
    return args


def on_stop_signal(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


def die_with_parent() -> None:
    """In the child: SIGTERM when the demo dies, even by SIGKILL (Linux), so nothing lingers."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def spawn(args: list[str], env: dict[str, str], log: Path, **kw: Any) -> subprocess.Popen[str]:
    """A child in its own session (Ctrl-C reaches the demo only, which stops it in order)."""
    with log.open("w") as stderr:
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stderr=stderr,
            text=True,
            start_new_session=True,
            preexec_fn=die_with_parent if sys.platform == "linux" else None,
            **kw,
        )


def stop(proc: subprocess.Popen[str], signum: int = signal.SIGTERM) -> int:
    """Signal `proc` and wait for it (killed after STOP_WITHIN_S); its exit code."""
    if proc.poll() is None:
        proc.send_signal(signum)
        try:
            proc.wait(timeout=STOP_WITHIN_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def free_port(host: str, wanted: int) -> int | None:
    """`wanted` if nothing holds it (0: any free one), else None."""
    with socket.socket() as probe:
        try:
            probe.bind((host, wanted))
        except OSError:
            return None
        return int(probe.getsockname()[1])


def port_for(host: str, wanted: int, given_by: str = "") -> tuple[int, str]:
    """The service's port and why it is that one: `wanted` (from `given_by`: "--port", "$PORT",
    or "" for the default) when free, else any free one; 0 asks for any."""
    if wanted:
        why = f"from {given_by}" if given_by else "the default"
        if (port := free_port(host, wanted)) is not None:
            return port, f"{why}; --port N picks another"
        taken = f"{wanted} ({why}) is in use by another process, so a free one; --port N picks one"
    if (port := free_port(host, 0)) is None:
        raise DemoFailed(f"no free port on {host}")
    return port, taken if wanted else "any free one, as --port 0 asks"


def lines_of(proc: subprocess.Popen[str]) -> queue.Queue[str]:
    """`proc`'s stdout, line by line, read by a daemon thread (empty string at its end)."""
    found: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            found.put(line.strip())
        found.put("")

    threading.Thread(target=pump, name="simulator-stdout", daemon=True).start()
    return found


def read_line(lines: queue.Queue[str], prefix: str, deadline: float) -> str:
    """The next line starting with `prefix`, before `deadline`."""
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line.startswith(prefix):
            return line
        if not line:
            break
    raise DemoFailed(f"the simulator did not print {prefix!r}")


def start_simulator(
    args: argparse.Namespace,
    procs: dict[str, subprocess.Popen[str]],
    deadline: float,
    progress: Progress,
) -> str:
    """The simulator on a free (or the given) port; its base URL."""
    command = [
        sys.executable,
        "-m",
        "tests.kucoin_sim",
        "--port",
        str(args.sim_port),
        "--universe",
        str(args.universe),
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = procs["simulator"] = spawn(
        command, env, args.logs / "simulator.log", stdout=subprocess.PIPE
    )
    lines = lines_of(proc)
    progress.waiting("simulator", "starting")
    first = read_line(lines, "KuCoin simulator on ", deadline)
    url = first.split()[3]
    prices = read_line(lines, "prices:", deadline).removeprefix("prices: ")
    progress.idle()
    contracts = first.split("(", 1)[1].split(")")[0]
    progress.say(f"  simulator  {url} (pid {proc.pid}): {contracts}, {prices}")
    return url


def service_env(database_url: str, sim_url: str, admin_key: str) -> dict[str, str]:
    """The service wired to the simulator: one admin key, open reads, the scheduler on."""
    return {
        **os.environ,
        "MYSYMBOLS_DATABASE_URL": database_url,
        "MYSYMBOLS_KUCOIN__FUTURES_URL": sim_url,
        "MYSYMBOLS_API_KEYS": f"admin:{admin_key}",
        "MYSYMBOLS_AUTH__OPEN_READS": "true",
        "UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN": "3",  # as `scripts/dev.sh serve` and the image
    }


def wait_until_up(client: httpx.Client, proc: subprocess.Popen[str], deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DemoFailed(f"the service exited with {proc.returncode}")
        try:
            if client.get(f"{API}/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise DemoFailed("the service did not come up in time")


def venv_python() -> str:
    """The interpreter that runs this demo, as a person would type it from the checkout (the
    venv's: a bare `python` has none of the service's packages)."""
    path = Path(sys.executable)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def prepare_database(args: argparse.Namespace, progress: Progress) -> str:
    """The database migrated to head: `--database-url`'s, else a fresh SQLite file in `--dir`.
    One that cannot be reached stops the demo with a sentence, before anything starts."""
    database_url: str | None = args.database_url
    if database_url is None:
        path = args.dir / "mysymbols.db"
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        database_url = f"sqlite+aiosqlite:///{path}"
    progress.waiting("database", "migrating")
    upgrade_to_head(database_url, "--database-url" if args.database_url else "--dir")
    progress.idle()
    progress.say(f"  database   {masked(database_url)}, migrated")
    return database_url


def start_service(
    args: argparse.Namespace,
    procs: dict[str, subprocess.Popen[str]],
    env: dict[str, str],
    progress: Progress,
) -> str:
    """uvicorn on the port `port_for` picks, said with why; its base URL."""
    port, why = port_for(args.host, args.port, args.port_from)
    base = f"http://{args.host}:{port}"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        args.host,
        "--port",
        str(port),
        "--http",
        PROTOCOL,  # the request head bounded, as deployed
    ]
    procs["service"] = spawn(command, env, args.logs / "service.log", stdout=subprocess.DEVNULL)
    progress.say(f"  service    {base} (pid {procs['service'].pid})")
    progress.say(f"  port       {port}: {why}")
    return base


def score(client: httpx.Client, deadline: float, progress: Progress) -> dict[str, Any]:
    """The universe synced and scored: the service's first start followed, or (a database
    scored before) a sync and a scoring run requested. The scoring run."""
    scored = first_start(client, deadline, progress)
    if scored is not None:
        return scored
    synced = run_job(client, f"{API}/symbols/sync", deadline, label="syncing", progress=progress)
    progress.say(f"  synced     {synced['contracts']} contracts")
    scored = run_job(
        client,
        f"{API}/scoring/calculate",
        deadline,
        lambda result: scoring_run(client, result),
        label="scoring",
        progress=progress,
    )
    progress.say(
        "  requested  the sync and the scoring run above: another request of either within "
        "30 s of its end is a 429 whose Retry-After says when"
    )
    return scored


def figures_note(client: httpx.Client) -> str | None:
    """What the portfolio's risk figures say of the candles they read (None: no figure yet)."""
    response = client.get(f"{API}/portfolio/metrics", params={"window": 48})
    labelled = response.json().get("market_data") if response.status_code == 200 else None
    return None if labelled is None else str(labelled["note"])


def setup(
    args: argparse.Namespace,
    procs: dict[str, subprocess.Popen[str]],
    t0: float,
    progress: Progress,
) -> None:
    """Database, simulator, service, sync, scoring, portfolio; then the URLs."""
    deadline = t0 + args.timeout
    progress.say("MySymbols demo: the KuCoin simulator and the service wired to it")
    try:
        args.dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DemoFailed(f"cannot create {args.dir} ({exc.strerror}): pass --dir another") from exc
    database_url = prepare_database(args, progress)
    args.logs = demo_logs.new_start(args.dir)  # beside the last starts', never over them
    sim_url = start_simulator(args, procs, deadline, progress)
    key, _ = generate_key()
    env = service_env(database_url, sim_url, key)
    base = start_service(args, procs, env, progress)
    progress.say(f"  admin key  {key}")
    kept = f"the last {demo_logs.KEPT} starts' kept"
    progress.say(f"  logs       {args.logs} (service.log, simulator.log; {kept})")
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=90) as client:
        progress.waiting("service", "starting")
        wait_until_up(client, procs["service"], deadline)
        scored = score(client, deadline, progress)
        progress.say(
            f"  scored     run {scored['id']}: {scored['scored_count']} of "
            f"{scored['universe_size']} symbols"
        )
        portfolio = build_portfolio(client, args.members, progress)
        advice = replacement_advice(client)
        source = client.get(f"{API}/status").json()["market_data"]["kind"]
        figures = figures_note(client)
    total = sum(Decimal(str(m["weight"])) for m in portfolio["members"])
    elapsed = time.monotonic() - t0
    show_portfolio(portfolio, source, advice)
    progress.say(
        f"scored portfolio: {len(portfolio['members'])} members, weights sum to {total} %, "
        f"market data {source}, ready {elapsed:.1f} s after the demo started (any install "
        "before it not counted)"
    )
    if figures is not None:
        progress.say(f"  figures    {figures} (each answer with figures says so: `market_data`)")
    progress.say(f"  docs       {base}/docs")
    progress.say(f"  dashboard  {base}/dashboard")
    progress.say(f"  status     {base}{API}/status")
    progress.say(
        f"  cli        MYSYMBOLS_API_KEY={key} {venv_python()} -m app.cli portfolio --url {base}"
    )
    progress.say(
        "  first hour paste this line into another terminal, then README.md's steps "
        '("The first hour"):'
    )
    progress.say(f'             export ADMIN_KEY={key} API={base}{API} H="X-API-Key: {key}"')
    progress.say("running; Ctrl-C (or SIGTERM) stops both")


@contextlib.contextmanager
def children() -> Iterator[dict[str, subprocess.Popen[str]]]:
    """The demo's processes by name, stopped in order (service, then simulator) on the way out."""
    procs: dict[str, subprocess.Popen[str]] = {}
    try:
        yield procs
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if procs:  # the service drains for up to 3 s, then its runs stop: a few seconds
            print(f"  stopping   {' and '.join(reversed(procs))}", flush=True)
        for name in ("service", "simulator"):
            if name in procs:
                code = stop(procs[name])
                # uvicorn re-raises the SIGTERM it handled once it has shut down gracefully
                how = "cleanly" if code in (0, -signal.SIGTERM) else f"with exit code {code}"
                print(f"  {name} (pid {procs[name].pid}) stopped {how}", flush=True)


def tail(path: Path, lines: int = 20) -> str:
    with contextlib.suppress(OSError):
        return "".join(path.read_text().splitlines(keepends=True)[-lines:])
    return ""


def main(argv: list[str] | None = None) -> int:
    """Run the demo until a signal; 0 after a clean stop, 1 when a step failed."""
    t0 = time.monotonic()
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, on_stop_signal)
    signal.signal(signal.SIGINT, on_stop_signal)
    try:
        with children() as procs, Progress() as progress:
            setup(args, procs, t0, progress)
            while all(p.poll() is None for p in procs.values()):
                time.sleep(0.5)
            gone = [name for name, p in procs.items() if p.poll() is not None]
            raise DemoFailed(f"{', '.join(gone)} exited on its own")
    except Stopped as why:
        print(f"stopped ({why})", flush=True)
        return 0
    except DatabaseUnreachable as exc:  # before anything started: no log to show
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    except (DemoFailed, httpx.HTTPError) as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        if (logs := getattr(args, "logs", None)) is not None:  # this start's, if it got that far
            for log in (logs / "service.log", logs / "simulator.log"):
                if lines := tail(log):
                    print(f"--- last lines of {log}\n{lines}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
