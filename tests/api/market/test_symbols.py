"""The symbol universe over HTTP, with the app pointed at the KuCoin simulator by URL only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import Symbol
from app.platform.core.environment import Environment
from tests.conftest import READ_KEY, TRADE_KEY, app_on_session, simulator_environment, start_app
from tests.helpers import assert_problem
from tests.kucoin_sim.app import KucoinSimulator

SYNC = "/api/symbol-mgmt/symbols/sync?wait=60"  # the synchronous answer
SYMBOLS = "/api/symbol-mgmt/symbols"
TRADE = {"X-API-Key": TRADE_KEY}
READ = {"X-API-Key": READ_KEY}


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": "recorded"}


@pytest.fixture
async def api(
    sim: KucoinSimulator,
    database_url: str,
    make_environment: Callable[..., Environment],
    session: AsyncSession,
) -> AsyncIterator[httpx.AsyncClient]:
    environment = simulator_environment(
        make_environment, database_url, sim.base_url, max_attempts=2
    )
    async for client in start_app(app_on_session(environment, session)):
        yield client


class TestSync:
    async def test_fills_the_whole_recorded_universe_in_canonical_form(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator
    ) -> None:
        response = await api.post(SYNC, headers=TRADE)
        assert response.status_code == 200, response.text
        body = response.json()
        contracts = len(sim.market.specs)
        assert body["contracts"] == body["added"] == contracts == 406
        assert body["source"] == sim.base_url
        assert await session.scalar(select(func.count()).select_from(Symbol)) == contracts

        listed = (await api.get(SYMBOLS, params={"limit": 1000}, headers=READ)).json()
        assert listed["total"] == contracts
        symbols = {item["symbol"]: item for item in listed["items"]}
        assert len(symbols) == contracts
        assert symbols["BTCUSDT"]["kucoin_symbol"] == "XBTUSDTM"
        assert all(s == s.upper() for s in symbols)
        assert {s for s in symbols if not s.isalnum()} == {"BTCUSD-250627"}  # the dated future
        # ccxt's own names (tests/unit/kucoin/test_ccxt_agreement.py checks all 406 with ccxt)
        assert symbols["BTCUSDT"]["ccxt_symbol"] == "BTC/USDT:USDT"
        assert symbols["ALTUSDT"]["ccxt_symbol"] == "APTOSLAUNCHTOKEN/USDT:USDT"
        assert symbols["BTCUSD-250627"]["ccxt_symbol"] == "BTC/USD:BTC-250627"
        assert all(item["kucoin_symbol"] != item["symbol"] for item in listed["items"])
        turnovers = [item["turnover_24h"] or 0.0 for item in listed["items"]]
        assert turnovers == sorted(turnovers, reverse=True)

    async def test_needs_a_trade_key(self, api: httpx.AsyncClient, sim: KucoinSimulator) -> None:
        assert_problem(await api.post(SYNC, headers=READ), 403, "forbidden")
        assert_problem(await api.post(SYNC), 401, "unauthenticated")
        assert sim.count("/api/v1/contracts") == 0

    async def test_exchange_outage_is_503_problem_and_changes_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator
    ) -> None:
        sim.faults.set("http_500", path="/api/v1/contracts/active")
        body = assert_problem(await api.post(SYNC, headers=TRADE), 503, "exchange-unavailable")
        assert body["endpoint"] == "/api/v1/contracts/active"
        assert await session.scalar(select(func.count()).select_from(Symbol)) == 0
        run = (await api.get(body["run_url"], headers=READ)).json()  # the run says the same
        # KuCoin's outage, not the service's failure: degraded, having changed nothing
        assert (run["job"], run["status"], run["result"]) == ("universe_sync", "degraded", {})
        assert run["problem"]["type"] == body["type"] and run["problem"]["status"] == 503


class TestList:
    async def test_filters_and_pages(self, api: httpx.AsyncClient, sim: KucoinSimulator) -> None:
        sim.delist("ETHUSDTM")
        await api.post(SYNC, headers=TRADE)
        eligible = (await api.get(SYMBOLS, params={"eligible": "true"}, headers=READ)).json()
        assert eligible["items"] and all(i["is_eligible"] for i in eligible["items"])
        usdc = (await api.get(SYMBOLS, params={"quote": "usdc"}, headers=READ)).json()
        assert usdc["total"] > 0 and {i["quote_currency"] for i in usdc["items"]} == {"USDC"}
        page = (await api.get(SYMBOLS, params={"limit": 5, "offset": 5}, headers=READ)).json()
        first = (await api.get(SYMBOLS, params={"limit": 10}, headers=READ)).json()
        assert [i["symbol"] for i in page["items"]] == [i["symbol"] for i in first["items"][5:]]
        assert page["total"] == first["total"]

    async def test_rejects_bad_paging_with_the_field(self, api: httpx.AsyncClient) -> None:
        response = await api.get(SYMBOLS, params={"limit": 0}, headers=READ)
        body = assert_problem(response, 422, "validation-error")
        assert body["errors"][0]["field"] == "limit"


class TestGetOne:
    @pytest.mark.parametrize("form", ["BTCUSDT", "XBTUSDTM", "BTC/USDT:USDT", "btc-usdt"])
    async def test_accepts_every_symbol_form(self, api: httpx.AsyncClient, form: str) -> None:
        await api.post(SYNC, headers=TRADE)
        response = await api.get(f"{SYMBOLS}/{form.replace('/', '%2F')}", headers=READ)
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["symbol"], body["kucoin_symbol"]) == ("BTCUSDT", "XBTUSDTM")
        assert body["stale"] is False and body["data_age_s"] >= 0

    async def test_unknown_symbol_is_404(self, api: httpx.AsyncClient) -> None:
        await api.post(SYNC, headers=TRADE)
        assert_problem(await api.get(f"{SYMBOLS}/NOPEUSDT", headers=READ), 404, "unknown-symbol")

    async def test_malformed_symbol_is_422(self, api: httpx.AsyncClient) -> None:
        await api.post(SYNC, headers=TRADE)
        assert_problem(await api.get(f"{SYMBOLS}/%24%24", headers=READ), 422, "validation-error")

    async def test_served_from_the_database_while_kucoin_is_down(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        await api.post(SYNC, headers=TRADE)
        sim.faults.set("http_500")
        response = await api.get(f"{SYMBOLS}/ETHUSDTM", headers=READ)
        assert response.status_code == 200
        assert response.json()["symbol"] == "ETHUSDT"
