"""The deployed service (uvicorn on the simulator with the demo's universe, a scored 10-member
portfolio, a finished replay) and Debian's chromium driven by Playwright, for the dashboard's
end-to-end tests."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.platform.db.migrations import upgrade_to_head
from scripts.demo import parse_args
from tests.databases import sqlite_url
from tests.deployed import API, prime, process, service_env, simulator, uvicorn, wait_for
from tests.sim_fixtures import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT = Path(__file__).with_name("output")
ADMIN_KEY = "browser-admin-key-0123456789"
TRADE_KEY = "browser-trade-key-0123456789"
READ_KEY = "browser-read-key-01234567890"
MEMBERS = 10
UNIVERSE = parse_args([]).universe  # as large as the demo's: its default, the recorded 406
REPLAY_DAYS = 10
# KuCoin's quota raised on both sides: the demo-sized first scoring would otherwise wait about
# 30 s on the limiter, which the dashboard's tests do not test.
QUOTA = 20_000
SUMMARY: list[str] = []  # lines for the end of the run: the screenshots, the load measured


@dataclass(frozen=True)
class Deployment:
    """The running service: its origin, the members, the finished replay; its environment."""

    origin: str
    members: list[str]
    replay_id: int
    env: dict[str, str]

    def api(self, key: str = ADMIN_KEY) -> httpx.Client:
        return httpx.Client(base_url=f"{self.origin}{API}", headers={"X-API-Key": key}, timeout=60)


def chromium_or_skip() -> str:
    """The browser's path; a missing browser fails in CI (CI=true) and skips elsewhere."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)


def finished_replay(client: httpx.Client) -> int:
    """A replay over the stored history's last `REPLAY_DAYS` days, run to the end."""
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    body = {
        "from": (end - timedelta(days=REPLAY_DAYS)).isoformat(),
        "to": end.isoformat(),
        "every": "24h",
    }
    created = client.post("/replays", json=body)
    assert created.status_code == 202, created.text
    run: dict[str, Any] = {}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        response = client.get(f"/replays/{created.json()['id']}")
        if response.status_code != 503:  # busy, on a loaded machine: asked, as any, again
            assert response.status_code == 200, response.text
            run = response.json()
            if run["status"] not in ("queued", "running"):
                break
        time.sleep(0.2)
    assert run["status"] == "succeeded", run
    return int(run["id"])


@contextmanager
def serving(env: dict[str, str], sim_port: int, app_port: int, sim: list[str]) -> Iterator[None]:
    """The simulator (`sim`, its command) and uvicorn on `app_port`, both answering."""
    with process(sim, env, None):
        wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp", timeout_s=90)
        with process(uvicorn("app.main:app", app_port), env, None):
            wait_for(f"http://127.0.0.1:{app_port}{API}/health", timeout_s=90)
            yield


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """uvicorn on a migrated SQLite file with the simulator (the demo's universe) as KuCoin."""
    chromium_or_skip()
    database = sqlite_url(tmp_path_factory.mktemp("dashboard"))
    upgrade_to_head(database)
    sim_port, app_port = free_port(), free_port()
    keys = f"admin:{ADMIN_KEY},trade:{TRADE_KEY},read:{READ_KEY}"
    env = service_env(
        database,
        sim_port,
        ADMIN_KEY,
        MYSYMBOLS_API_KEYS=keys,
        MYSYMBOLS_EVENTS__POLL_S="0.25",
        MYSYMBOLS_KUCOIN__QUOTA=str(QUOTA),
    )
    origin = f"http://127.0.0.1:{app_port}"
    with serving(env, sim_port, app_port, simulator(sim_port, UNIVERSE, QUOTA)):
        members = prime(origin, {"X-API-Key": ADMIN_KEY}, MEMBERS)
        with httpx.Client(
            base_url=f"{origin}{API}", headers={"X-API-Key": ADMIN_KEY}, timeout=60
        ) as client:
            replay_id = finished_replay(client)
            # The simulator's members move with the market (median r about 0.3): a limit
            # of 0.2 puts pairs over it, for the heatmap's marks and the alerts.
            limit = {"values": {"correlation_limit": 0.2}}
            client.put("/config", json=limit).raise_for_status()
            client.post("/alerts/check").raise_for_status()  # the pairs over the limit
            # A skipped run for Operations: too little history stored to walk forward.
            skipped = client.post("/jobs/evidence_refresh/run", params={"wait": 30})
            assert skipped.status_code == 409, skipped.text
            assert skipped.json()["type"].endswith("run-skipped"), skipped.text
        yield Deployment(origin, members, replay_id, env)


@pytest.fixture(scope="module")
def output() -> Path:
    """Where screenshots and measurements go (git-ignored), emptied per run."""
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir(parents=True)
    SUMMARY.append(f"browser test output: {OUTPUT}")
    return OUTPUT


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    chromium = chromium_or_skip()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Where the screenshots are, and the page's measured load, at the end of the run."""
    if SUMMARY:
        terminalreporter.write_sep("-", "dashboard")
        for line in SUMMARY:
            terminalreporter.write_line(line)
