"""`scripts/dev.sh demo`: the KuCoin simulator and the service wired to it, a scored portfolio
built through the API as a newcomer would, then both running until Ctrl-C or SIGTERM.

Run from the repository root as `python -m scripts.demo [--port 8000] [--database-url URL]`.
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
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from app.cli.reads import show_portfolio
from app.platform.core.security import generate_key
from app.platform.db.migrations import upgrade_to_head
from app.platform.runtime.http_head import PROTOCOL

ROOT = Path(__file__).resolve().parents[1]
API = "/api/symbol-mgmt"
STOP_WITHIN_S = 15.0  # the service's graceful 3 s + its runs' 2 s + teardown, with margin
JOB_WAIT_S = 2  # a job's POST waits this long, then the demo follows the run and its progress
PROGRESS_EVERY_S = 3.0


class Stopped(Exception):
    """SIGTERM (or SIGINT) arrived: stop both processes and leave."""


class DemoFailed(Exception):
    """A step did not work; the message says which, the logs say why."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="scripts/dev.sh demo", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "8000")),
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
    return parser.parse_args(argv)


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


def port_for(host: str, wanted: int) -> int:
    """`wanted` if it is free (0: any), else a free one."""
    for port in (wanted, 0) if wanted else (0,):
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise DemoFailed(f"no free port on {host}")


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
    args: argparse.Namespace, procs: dict[str, subprocess.Popen[str]], deadline: float
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
        command, env, args.dir / "simulator.log", stdout=subprocess.PIPE
    )
    lines = lines_of(proc)
    first = read_line(lines, "KuCoin simulator on ", deadline)
    url = first.split()[3]
    prices = read_line(lines, "prices:", deadline).removeprefix("prices: ")
    print(f"  simulator  {url} (pid {proc.pid}): {first.split('(', 1)[1].split(')')[0]}, {prices}")
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


def run_job(
    client: httpx.Client,
    path: str,
    deadline: float,
    answer: Callable[[dict[str, Any]], dict[str, Any]] = dict,
    label: str = "",
) -> dict[str, Any]:
    """POST a job (sync, scoring) and follow it to its end: the operation's answer. The job run
    followed (ours still running after a short wait, or the one already going that a 409 points
    at, such as a first start's) gives its result, which `answer` turns into that answer; its
    progress is printed as it goes, under `label`."""
    while time.monotonic() < deadline:
        response = client.post(path, params={"wait": JOB_WAIT_S})
        if response.status_code == 200:
            return dict(response.json())
        if response.status_code not in (202, 409):
            raise DemoFailed(f"POST {path}: {response.status_code} {response.text[:300]}")
        run = follow(client, response.headers["Location"], deadline, label)
        if run["status"] == "succeeded":
            return answer(dict(run.get("result") or {}))
        if response.status_code == 202:  # ours failed; a scheduled one that failed: try ours
            raise DemoFailed(f"POST {path}: the run ended {run['status']}: {run.get('problem')}")
    raise DemoFailed(f"POST {path}: not done in time")


def follow(client: httpx.Client, location: str, deadline: float, label: str) -> dict[str, Any]:
    """The job run at `location` once it has ended, its progress printed as it moves on (the
    share /status shows during a first start's bootstrap), at most every `PROGRESS_EVERY_S`."""
    shown, shown_at = -1.0, 0.0
    while time.monotonic() < deadline:
        run = dict(client.get(location).json())
        if run["status"] != "running":
            return run
        progress = float(run.get("progress") or 0.0)
        if label and progress > shown and time.monotonic() - shown_at >= PROGRESS_EVERY_S:
            print(f"  {label:<10} {progress:.0%} (job run {run['id']})", flush=True)
            shown, shown_at = progress, time.monotonic()
        time.sleep(0.5)
    raise DemoFailed(f"{location}: still running")


def scoring_run(client: httpx.Client, result: dict[str, Any]) -> dict[str, Any]:
    """The scoring run a `score_refresh` job run's result names: what POST /scoring/calculate
    answers when it ends within its wait."""
    response = client.get(f"{API}/scoring/runs/{result['run_id']}")
    if response.status_code != 200:
        raise DemoFailed(f"scoring run {result['run_id']}: {response.status_code}")
    return dict(response.json())


def add_symbol(client: httpx.Client, body: dict[str, Any], attempts: int = 3) -> httpx.Response:
    """POST add-symbol as a client should: a 503 (the database busy beside the scheduler's
    work) is retried after its `Retry-After`, a few times."""
    for _ in range(attempts - 1):
        answer = client.post(f"{API}/portfolio/add-symbol", json=body)
        if answer.status_code != 503:
            return answer
        time.sleep(min(float(answer.headers.get("retry-after", "1")), 5.0))
    return client.post(f"{API}/portfolio/add-symbol", json=body)


def build_portfolio(client: httpx.Client, members: int) -> dict[str, Any]:
    """Add the top-ranked symbols one by one until `members` are held (there is no selection
    endpoint); a symbol the service refuses is skipped with its reason."""
    held = {m["symbol"] for m in client.get(f"{API}/portfolio").json()["members"]}
    ranked = client.get(f"{API}/scoring/rankings", params={"limit": 100}).json()["items"]
    for item in ranked:
        if len(held) >= members:
            break
        if item["symbol"] in held:
            continue
        body = {"symbol": item["symbol"], "reason": "demo: top ranked"}
        answer = add_symbol(client, body)
        if answer.status_code == 200:
            held.add(item["symbol"])
        else:
            print(f"    skipped {item['symbol']}: {answer.json().get('detail')}")
    return dict(client.get(f"{API}/portfolio").json())


def replacement_advice(client: httpx.Client) -> dict[str, Any] | None:
    """The replacement candidates' answer, whose wording the portfolio's table shows for each
    candidate (None if the service would not say: the table then says `candidate`)."""
    answer = client.get(f"{API}/portfolio/replacement-candidates")
    return dict(answer.json()) if answer.status_code == 200 else None


def setup(args: argparse.Namespace, procs: dict[str, subprocess.Popen[str]], t0: float) -> None:
    """Simulator, database, service, sync, scoring, portfolio; then the URLs."""
    deadline = t0 + args.timeout
    args.dir.mkdir(parents=True, exist_ok=True)
    print("MySymbols demo: the KuCoin simulator and the service wired to it")
    sim_url = start_simulator(args, procs, deadline)
    database_url = args.database_url
    if database_url is None:
        path = args.dir / "mysymbols.db"
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        database_url = f"sqlite+aiosqlite:///{path}"
    upgrade_to_head(database_url)
    key, _ = generate_key()
    port = port_for(args.host, args.port)
    if args.port and port != args.port:
        print(f"  port {args.port} is taken; the service takes {port}")
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
    procs["service"] = spawn(
        command,
        service_env(database_url, sim_url, key),
        args.dir / "service.log",
        stdout=subprocess.DEVNULL,
    )
    print(f"  service    {base} (pid {procs['service'].pid}) on {database_url}")
    print(f"  admin key  {key}")
    print(f"  logs       {args.dir / 'service.log'}, {args.dir / 'simulator.log'}", flush=True)
    headers = {"X-API-Key": key}
    with httpx.Client(base_url=base, headers=headers, timeout=90) as client:
        wait_until_up(client, procs["service"], deadline)
        synced = run_job(client, f"{API}/symbols/sync", deadline, label="syncing")
        print(f"  synced     {synced['contracts']} contracts", flush=True)
        scored = run_job(
            client,
            f"{API}/scoring/calculate",
            deadline,
            lambda result: scoring_run(client, result),
            label="scoring",
        )
        print(
            f"  scored     run {scored['id']}: {scored['scored_count']} of "
            f"{scored['universe_size']} symbols",
            flush=True,
        )
        portfolio = build_portfolio(client, args.members)
        advice = replacement_advice(client)
        source = client.get(f"{API}/status").json()["market_data"]["kind"]
    total = sum(Decimal(str(m["weight"])) for m in portfolio["members"])
    elapsed = time.monotonic() - t0
    show_portfolio(portfolio, source, advice)
    print(
        f"scored portfolio: {len(portfolio['members'])} members, weights sum to {total} %, "
        f"market data {source}, ready {elapsed:.1f} s after the demo started (any install "
        "before it not counted)"
    )
    print(f"  docs       {base}/docs")
    print(f"  dashboard  {base}/dashboard")
    print(f"  status     {base}{API}/status")
    print(f"  cli        MYSYMBOLS_API_KEY={key} {venv_python()} -m app.cli portfolio --url {base}")
    print("running; Ctrl-C (or SIGTERM) stops both", flush=True)


@contextlib.contextmanager
def children() -> Iterator[dict[str, subprocess.Popen[str]]]:
    """The demo's processes by name, stopped in order (service, then simulator) on the way out."""
    procs: dict[str, subprocess.Popen[str]] = {}
    try:
        yield procs
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
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
        with children() as procs:
            setup(args, procs, t0)
            while all(p.poll() is None for p in procs.values()):
                time.sleep(0.5)
            gone = [name for name, p in procs.items() if p.poll() is not None]
            raise DemoFailed(f"{', '.join(gone)} exited on its own")
    except Stopped as why:
        print(f"stopped ({why})", flush=True)
        return 0
    except (DemoFailed, httpx.HTTPError) as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        for name in ("service", "simulator"):
            log = args.dir / f"{name}.log"
            if tail(log):
                print(f"--- last lines of {log}\n{tail(log)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
