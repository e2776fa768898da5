"""The service and the simulator as processes, as deployed: started, awaited, primed with a
scored portfolio, stopped. Used by the deployed suite (this package's tests), the benchmarks,
the contract check and the dashboard's tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.platform.runtime.http_head import PROTOCOL

ROOT = Path(__file__).resolve().parents[2]
API = "/api/symbol-mgmt"


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
def process(
    args: list[str],
    env: dict[str, str],
    cpu: str | None,
    log: Path | None = None,
    cwd: Path = ROOT,
) -> Iterator[subprocess.Popen[bytes]]:
    """`args` running in `cwd` (pinned to `cpu` when given) for the duration, then stopped; its
    stderr appended to `log` when given (a pipe nobody reads stops a process that logs much)."""
    command = (["taskset", "-c", cpu] if cpu and shutil.which("taskset") else []) + args
    stderr = subprocess.PIPE if log is None else log.open("a")
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
        if log is not None:
            stderr.close()  # type: ignore[union-attr]


def uvicorn(app: str, port: int, http: list[str] | None = None) -> list[str]:
    """uvicorn serving `app` on loopback as the image does: one worker, the request head bounded
    (`http`: other `--http` arguments instead, a benchmark's comparison)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
        *(["--http", PROTOCOL] if http is None else http),
    ]


def simulator(
    port: int, universe: str, quota: int | None = None, *, controls: bool = False
) -> list[str]:
    limits = [] if quota is None else ["--quota", str(quota)]
    if controls:
        limits.append("--controls")
    return [
        sys.executable,
        "-m",
        "tests.kucoin_sim",
        "--port",
        str(port),
        "--universe",
        universe,
        *limits,
    ]


# Callers' limits out of the way, for a tool that is one caller on purpose and measures or
# explores something else (a benchmark's wrk, schemathesis): thousands of requests a second from
# one key, every heavy read computed, jobs requested back to back. The limits themselves:
# tests/api/platform/test_caller_limits.py, and the jobs' gap tests/api/platform/test_jobs.py.
UNTHROTTLED = {
    **{
        f"MYSYMBOLS_LIMITS__{kind}_{part}": "1000000"
        for kind in ("READ", "HEAVY", "WRITE")
        for part in ("PER_S", "BURST")
    },
    "MYSYMBOLS_SCHEDULER__REQUEST_GAP_S": "0",
}


def service_env(database_url: str, sim_port: int, admin_key: str, **extra: str) -> dict[str, str]:
    """The service's environment: `database_url`, the simulator on `sim_port`, one admin key,
    no scheduler, no WebSocket, quiet logs; `extra` variables on top."""
    return {
        **os.environ,
        "MYSYMBOLS_DATABASE_URL": database_url,
        "MYSYMBOLS_API_KEYS": f"admin:{admin_key}",
        "MYSYMBOLS_SCHEDULER__ENABLED": "false",
        "MYSYMBOLS_KUCOIN__FUTURES_URL": f"http://127.0.0.1:{sim_port}",
        "MYSYMBOLS_KUCOIN__WEBSOCKET_ENABLED": "false",
        "MYSYMBOLS_LOG_LEVEL": "WARNING",
        **extra,
    }


def prime(base: str, headers: dict[str, str], members: int) -> list[str]:
    """Sync, score and add the top `members` through the API, as a newcomer would; their
    symbols, by rank."""
    with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
        wait = {"wait": 60}  # the synchronous answers
        assert client.post(f"{API}/symbols/sync", params=wait).status_code == 200
        assert client.post(f"{API}/scoring/calculate", params=wait).status_code == 200
        top = client.get(f"{API}/scoring/rankings", params={"limit": members}).json()
        for item in top["items"]:
            client.post(
                f"{API}/portfolio/add-symbol", json={"symbol": item["symbol"]}
            ).raise_for_status()
        held = client.get(f"{API}/portfolio").json()["members"]
        assert len(held) == members, held
        return [m["symbol"] for m in held]
