"""A mixed load on a deployed service, readers and writers at once, for a bounded time: hot reads
and `/status`; membership changes; keyed signals from a key created through the API, each sent
twice; a setting changed; requested syncs and scoring runs. What every answer was, and how long
the writes and the hot reads took. Used by the SQLite stress test and its benchmark."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.deployed.service import ADMIN_KEY, Service, held, outsiders

HOT_READS = ("/portfolio", "/scoring/rankings?limit=20")
SIGNAL = {
    "source": "load",
    "signal_type": "MOMENTUM",
    "direction": "BUY",
    "strength": 0.5,
    "confidence": 0.5,
}
OK_JOB_ANSWERS = {200, 202, 409, 429}  # done; still running; another run under way; too soon


@dataclass
class Tally:
    """What the load met."""

    answers: Counter[str] = field(default_factory=Counter)
    """`METHOD path status` → how many."""
    server_errors: list[str] = field(default_factory=list)
    write_s: list[float] = field(default_factory=list)
    hot_read_s: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    """Answers no client of that kind should get (a 4xx where a 2xx was due)."""

    def note(self, response: httpx.Response, seconds: float, kind: str) -> None:
        request = response.request
        path = request.url.path.rsplit("/api/symbol-mgmt", 1)[-1]
        self.answers[f"{request.method} {path} {response.status_code}"] += 1
        if response.status_code >= 500:
            self.server_errors.append(f"{request.method} {path}: {response.text[:300]}")
        if kind == "write":
            self.write_s.append(seconds)
        elif kind == "hot":
            self.hot_read_s.append(seconds)


@contextmanager
def cpu_bound(processes: int) -> Iterator[None]:
    """`processes` busy loops beside the service, as other work on a shared machine."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.send_signal(signal.SIGKILL)
            hog.wait()


async def mixed_load(service: Service, duration_s: float) -> Tally:
    """Every kind of request at once for `duration_s` seconds; what they met."""
    tally = Tally()
    deadline = time.monotonic() + duration_s
    async with service.client(key=ADMIN_KEY) as admin:
        created = await admin.post("/api-keys", json={"name": "load", "role": "trade"})
        assert created.status_code == 201, created.text
        trade_key = created.json()["key"]
        candidates = (await outsiders(admin))[:6]
        members = await held(admin)
        async with service.client(key=trade_key) as trader:

            async def timed(
                send: Callable[..., Awaitable[httpx.Response]], path: str, kind: str, **kw: Any
            ) -> httpx.Response:
                started = time.perf_counter()
                response = await send(path, **kw)
                tally.note(response, time.perf_counter() - started, kind)
                return response

            async def reads() -> None:
                for path in itertools.cycle((*HOT_READS, "/status")):
                    if time.monotonic() > deadline:
                        return
                    kind = "hot" if path in HOT_READS else "read"
                    await timed(trader.get, path, kind)

            async def membership() -> None:
                for symbol in itertools.cycle(candidates):
                    if time.monotonic() > deadline:
                        return
                    for action in ("add-symbol", "remove-symbol"):
                        answer = await timed(
                            trader.post, f"/portfolio/{action}", "write", json={"symbol": symbol}
                        )
                        if answer.status_code not in (200, 409, 422):  # 4xx: a rule refused it
                            tally.refused.append(f"{action} {symbol}: {answer.text[:200]}")

            async def signals() -> None:
                for n in itertools.count():
                    if time.monotonic() > deadline:
                        return
                    key = f"load-{os.getpid()}-{n}"
                    for _ in range(2):  # the retry replays the first answer
                        answer = await timed(
                            trader.post,
                            "/signals",
                            "write",
                            json=SIGNAL,
                            headers={"Idempotency-Key": key},
                        )
                        if answer.status_code != 201:
                            tally.refused.append(f"signal {key}: {answer.text[:200]}")

            async def settings() -> None:
                for value in itertools.cycle((41.5, 42.5)):
                    if time.monotonic() > deadline:
                        return
                    body = {"values": {"alert_low_score": value}}
                    answer = await timed(admin.put, "/config", "write", json=body)
                    if answer.status_code != 200:
                        tally.refused.append(f"config: {answer.text[:200]}")
                    await asyncio.sleep(1)

            async def jobs() -> None:
                for path in itertools.cycle(("/symbols/sync", "/scoring/calculate")):
                    if time.monotonic() > deadline:
                        return
                    answer = await timed(admin.post, path, "job", params={"wait": 30})
                    if answer.status_code not in OK_JOB_ANSWERS:
                        tally.refused.append(f"{path}: {answer.text[:200]}")
                    await asyncio.sleep(2)

            await asyncio.gather(
                *(reads() for _ in range(3)), membership(), signals(), settings(), jobs()
            )
        assert set(await held(admin)) >= set(members) - set(candidates)
    return tally


async def failed_runs(service: Service) -> list[dict[str, object]]:
    """The job runs that failed or were degraded, with why."""
    async with service.client(key=ADMIN_KEY) as admin:
        runs = (await admin.get("/jobs/runs", params={"limit": 200})).json()
    return [run for run in runs if run["status"] in ("failed", "degraded")]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")
