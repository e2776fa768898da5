"""`python -m app.cli status|portfolio|rankings|config` against the service as deployed (uvicorn
on a free port, a migrated SQLite file) wired to the simulator, with a scored 3-member portfolio."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli import main
from tests.conftest import ADMIN_KEY, BOOTSTRAP_KEYS, READ_KEY, TRADE_KEY
from tests.databases import migrated_sqlite_url
from tests.deployed import uvicorn
from tests.sim_fixtures import free_port, live_clock_ms, running_simulator

ROOT = Path(__file__).resolve().parents[4]
API = "/api/symbol-mgmt"


@dataclass
class Service:
    url: str
    sim_url: str
    portfolio: dict[str, Any]
    rankings: dict[str, Any]


async def until_up(client: httpx.AsyncClient, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        assert proc.poll() is None, "the service exited"
        try:
            if (await client.get(f"{API}/health")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("the service did not come up in 30 s")


def start_service(database: str, sim_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MYSYMBOLS_DATABASE_URL": database,
        "MYSYMBOLS_KUCOIN__FUTURES_URL": sim_url,
        "MYSYMBOLS_API_KEYS": BOOTSTRAP_KEYS,
        "MYSYMBOLS_KUCOIN__WEBSOCKET_ENABLED": "false",
        "MYSYMBOLS_LOG_LEVEL": "WARNING",
        "MYSYMBOLS_SCHEDULER__ENABLED": "false",
    }
    command = uvicorn("app.main:app", port)  # as deployed: the head bounded
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="module")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Service]:
    database = await migrated_sqlite_url(tmp_path_factory.mktemp("cli"))
    async with running_simulator(universe=12, start_time_ms=live_clock_ms()) as sim:
        port = free_port()
        proc = start_service(database, sim.base_url, port)
        url = f"http://127.0.0.1:{port}"
        try:
            trade = {"X-API-Key": TRADE_KEY}
            async with httpx.AsyncClient(base_url=url, headers=trade, timeout=120) as client:
                await until_up(client, proc)
                for path in ("/symbols/sync", "/scoring/calculate"):
                    answer = await client.post(f"{API}{path}", params={"wait": 60})
                    assert answer.status_code == 200, answer.text
                ranked = (await client.get(f"{API}/scoring/rankings?limit=50")).json()
                for item in ranked["items"][:3]:
                    added = await client.post(
                        f"{API}/portfolio/add-symbol", json={"symbol": item["symbol"]}
                    )
                    assert added.status_code == 200, added.text
                portfolio = (await client.get(f"{API}/portfolio")).json()
            yield Service(url, sim.base_url, portfolio, ranked)
        finally:
            proc.terminate()
            proc.wait(timeout=15)


@pytest.fixture(autouse=True)
def read_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYSYMBOLS_API_KEY", READ_KEY)


async def cli(*argv: str) -> int:
    """The command line in a thread: it runs its own event loop, the simulator runs in ours."""
    return await asyncio.to_thread(main, list(argv))


def cells(out: str) -> list[list[str]]:
    """The body rows of the tables in `out`, cell by cell; a row rich wrapped onto the lines
    below it (their first cell blank) is joined back into one."""
    rows: list[list[str]] = []
    for line in out.splitlines():
        if not line.startswith("│"):
            continue
        row = [cell.strip() for cell in line.split("│")[1:-1]]
        if rows and not row[0] and len(row) == len(rows[-1]):
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], row, strict=True)]
        else:
            rows.append(row)
    return rows


class TestStatus:
    async def test_without_a_key_it_says_ready_and_no_more(
        self, service: Service, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("MYSYMBOLS_API_KEY")  # /status needs no key; its checks do
        assert await cli("status", "--url", service.url) == 0
        rows = {row[0]: row[1] for row in cells(capsys.readouterr().out) if len(row) == 2}
        assert (rows["status"], rows["ready"]) == ("ready", "yes")
        assert rows["checks"].startswith("need an API key")
        assert "database" not in rows

    async def test_ready_on_sqlite_with_the_simulator_named(
        self, service: Service, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("status", "--url", service.url) == 0
        rows = {row[0]: row[1] for row in cells(capsys.readouterr().out) if len(row) == 2}
        assert rows["status"].startswith("ready (version ")
        assert rows["database"].startswith("sqlite, reachable, ")
        assert rows["database"].endswith("(at head)")
        assert rows["market data"].startswith(f"simulator {service.sim_url}, age ")
        assert rows["scheduler"] == "disabled"

    async def test_jobs_show_their_newest_runs(
        self, service: Service, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("status", "--url", service.url) == 0
        jobs = {row[0]: row for row in cells(capsys.readouterr().out) if len(row) == 5}
        assert jobs["universe_sync"][1] == jobs["score_refresh"][1] == "succeeded"
        assert jobs["score_refresh"][3] == "requested"

    async def test_an_unreachable_service_exits_1(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert await cli("status", "--url", f"http://127.0.0.1:{free_port()}") == 1
        assert capsys.readouterr().err.startswith("status: the service did not answer: GET ")


class TestPortfolio:
    async def test_prints_each_member_with_its_weight_and_the_totals(
        self, service: Service, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("portfolio", "--url", service.url) == 0
        out = capsys.readouterr().out
        assert "portfolio: 3 of 10 members, total weight 100.0000 %" in out
        assert out.splitlines()[0].rstrip().endswith("market data simulator")
        members = service.portfolio["members"]
        header = next(line for line in out.splitlines() if line.startswith("┃"))
        assert [c.strip() for c in header.split("┃")[1:-1]][:5] == [
            "rank",
            "symbol",
            "weight %",
            "composite",
            "entry",
        ]
        shown = [tuple(row[:5]) for row in cells(out)]
        assert shown == [
            (
                str(m["rank"]),
                m["symbol"],
                f"{Decimal(str(m['weight'])):.4f}",
                f"{m['composite']:.2f}",
                f"{Decimal(str(m['entry_price'])):,.6f}",
            )
            for m in members
        ]
        assert sum(Decimal(str(row[2])) for row in shown) == Decimal("100.0000")

    async def test_each_candidates_state_is_the_apis_wording(
        self, service: Service, capsys: pytest.CaptureFixture[str]
    ) -> None:
        async with httpx.AsyncClient(base_url=service.url, timeout=60) as client:
            answer = await client.get(
                f"{API}/portfolio/replacement-candidates", headers={"X-API-Key": READ_KEY}
            )
        recommendations = answer.json()["recommendations"]
        wording = {r["member"]: r["actionability"] for r in recommendations}
        # The top 3, just added: the best outsider leads neither candidate, so no time is given
        # (however long they still have to be held) and the wording names it instead.
        assert len(wording) == 2
        for rec in recommendations:
            assert rec["not_before"] is None and rec["lead"] <= 0
            best = f"not actionable: no outsider leads by 5 points (best: {rec['outsider']}, "
            assert rec["actionability"].startswith(best)
        assert await cli("portfolio", "--url", service.url) == 0
        shown = {row[1]: row[7] for row in cells(capsys.readouterr().out) if len(row) == 9}
        members = service.portfolio["members"]
        assert shown == {m["symbol"]: wording.get(m["symbol"], "no") for m in members}

    async def test_json_is_the_apis_answer(
        self, service: Service, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("portfolio", "--url", service.url, "--json") == 0
        document = json.loads(capsys.readouterr().out)
        assert [(m["symbol"], m["weight"]) for m in document["members"]] == [
            (m["symbol"], m["weight"]) for m in service.portfolio["members"]
        ]

    async def test_without_a_key_the_401_is_printed_with_exit_1(
        self, service: Service, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("MYSYMBOLS_API_KEY")
        assert await cli("portfolio", "--url", service.url) == 1
        err = capsys.readouterr().err.splitlines()
        assert err[0] == "portfolio: 401 Authentication required"
        assert "X-API-Key" in err[1]
        assert any(line.startswith("  request_id: ") for line in err)


class TestRankings:
    async def test_prints_the_best_first_with_their_components(
        self, service: Service, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("rankings", "--url", service.url, "--limit", "5") == 0
        out = capsys.readouterr().out
        items = service.rankings["items"][:5]
        components = sorted(items[0]["components"])
        header = next(line for line in out.splitlines() if line.startswith("┃"))
        assert [c.strip() for c in header.split("┃")[1:-1]] == [
            "rank",
            "symbol",
            "composite",
            *components,
            "confidence",
        ]
        assert [row[:3] for row in cells(out)] == [
            [str(i["rank"]), i["symbol"], f"{i['composite']:.2f}"] for i in items
        ]
        assert f"run {service.rankings['run_id']}" in out and "market data simulator" in out

    async def test_by_component_orders_by_that_component(
        self, service: Service, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("rankings", "--url", service.url, "--component", "risk") == 0
        out = capsys.readouterr().out
        assert out.startswith("rankings by risk: ")
        header = next(line for line in out.splitlines() if line.startswith("┃"))
        risk = [c.strip() for c in header.split("┃")[1:-1]].index("risk")
        values = [float(row[risk]) for row in cells(out) if row[risk] != "-"]
        assert values == sorted(values, reverse=True) and len(values) >= 3

    async def test_a_bad_limit_is_the_apis_422_with_exit_1(
        self, service: Service, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("rankings", "--url", service.url, "--limit", "0") == 1
        err = capsys.readouterr().err.splitlines()
        assert err[0].startswith("rankings: 422 ")
        assert any(line.startswith("  - limit: ") for line in err)


class TestConfigAgainstTheService:
    """`config get|set` against the real `/config` (the contract double tests the rest)."""

    async def test_get_prints_the_services_value(
        self, service: Service, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("config", "get", "max_portfolio_symbols", "--url", service.url) == 0
        assert capsys.readouterr().out == "10\n"

    async def test_set_changes_the_setting_and_a_refusal_changes_nothing(
        self, service: Service, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("MYSYMBOLS_API_KEY", ADMIN_KEY)
        assert await cli("config", "set", "rebalance_threshold_pct=2.5", "--url", service.url) == 0
        changed = cells(capsys.readouterr().out)
        assert changed == [["rebalance_threshold_pct", "1.0", "2.5"]]  # its declared default
        # Below the 3 active members: refused whole, the other key unchanged too.
        assert (
            await cli(
                "config",
                "set",
                "max_portfolio_symbols=2",
                "rebalance_threshold_pct=3",
                "--url",
                service.url,
            )
            == 1
        )
        assert capsys.readouterr().err.startswith("config set: 422 ")
        async with httpx.AsyncClient(base_url=service.url, headers={"X-API-Key": READ_KEY}) as api:
            settings = (await api.get(f"{API}/config")).json()["settings"]
        values = {s["key"]: s["value"] for s in settings}
        assert values["max_portfolio_symbols"] == 10
        assert values["rebalance_threshold_pct"] == 2.5
