"""What the service benchmarks share: the admin key they start the service with, a simulator
whose history the database holds, and a prober's collector kept out of the measures."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from app.platform.core.headers import API_KEY
from tests.deployed import ROOT, process, simulator, wait_for

KEY = "bench-admin-key-0123456789"
HEADERS = {API_KEY: KEY}


@contextmanager
def simulated_history(
    env: dict[str, str], sim_port: int, contracts: int, days: int
) -> Iterator[tuple[datetime, datetime]]:
    """The simulator (`contracts` generated contracts, on core 1) for the block, the database
    of `env` filled first with their `days` of hourly history up to the last closed hour
    (`python -m app.cli import-history`): the history's first and last hour."""
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    start = end - timedelta(days=days)
    sim = simulator(sim_port, str(contracts), quota=1_000_000)
    sim += ["--candle-hours", str(24 * (days + 2))]
    with process(sim, env, "1"):
        wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
        started = time.perf_counter()
        import_history(env, start, end)
        print(
            f"imported {contracts} contracts x {days} days of hourly history "
            f"in {time.perf_counter() - started:.1f} s"
        )
        yield start, end


def import_history(env: dict[str, str], start: datetime, end: datetime) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "import-history",
            "--from",
            start.isoformat(),
            "--to",
            end.isoformat(),
        ],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def collector_off() -> Iterator[None]:
    """This process's collector off for the block, what it holds frozen first: the prober's
    own collections are not the service's latency."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
