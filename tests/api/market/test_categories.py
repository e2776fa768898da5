"""Contract categories end to end on the simulator: a generated universe plus KuCoin's real
`USDCUSDTM` (a stablecoin) and `PAXGUSDTM` (gold) with their recorded specs. Neither ranks,
neither can be added by hand, both show their gate code; an admin's override lets one back in,
audited. Then the evidence each contract shows: KuCoin's `assetClass` on generated rows, and the
session rule on a session-traded contract under a ticker no table knows."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.models.system_configuration import ConfigurationChange
from app.portfolio.models import PortfolioHistory, PortfolioMember
from tests.conftest import ADMIN_KEY, ADMIN_NAME, READ_KEY, TRADE_KEY
from tests.helpers import assert_problem
from tests.kucoin_sim.config import RECORDED_CONTRACTS
from tests.shared_data import KUCOIN_FIXTURES
from tests.sim_fixtures import live_clock_ms

BASE = "/api/symbol-mgmt"
TRADE = {"X-API-Key": TRADE_KEY}
READ = {"X-API-Key": READ_KEY}
ADMIN = {"X-API-Key": ADMIN_KEY}
GENERATED = 10
EXCLUDED = {
    "USDCUSDT": "excluded:category:stablecoin",
    "PAXGUSDT": "excluded:category:commodity",
}


@pytest.fixture
def sim_config() -> dict[str, Any]:
    if not (KUCOIN_FIXTURES / RECORDED_CONTRACTS).exists():
        pytest.skip("../shared/kucoin-fixtures is absent: the real specs are read in place")
    return {
        "universe": GENERATED,
        "extra_contracts": ("USDCUSDTM", "PAXGUSDTM"),
        "start_time_ms": live_clock_ms(),
    }


async def calculate(api: httpx.AsyncClient) -> dict[str, Any]:
    response = await api.post(f"{BASE}/scoring/calculate", params={"wait": 60}, headers=TRADE)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def ranked(api: httpx.AsyncClient) -> list[str]:
    response = await api.get(f"{BASE}/scoring/rankings", params={"limit": 100}, headers=READ)
    assert response.status_code == 200, response.text
    return [item["symbol"] for item in response.json()["items"]]


async def sync(api: httpx.AsyncClient) -> None:
    response = await api.post(f"{BASE}/symbols/sync", params={"wait": 60}, headers=TRADE)
    assert response.status_code == 200, response.text


async def count(session: AsyncSession, model: type[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


class TestExcludedCategories:
    async def test_neither_ranks_and_the_run_records_their_gate_codes(
        self, api: httpx.AsyncClient
    ) -> None:
        run = await calculate(api)
        assert (run["scored_count"], run["excluded_count"]) == (GENERATED, 2)
        detail = (await api.get(f"{BASE}/scoring/runs/{run['id']}", headers=READ)).json()
        assert detail["exclusions"]["symbols"] == EXCLUDED
        assert detail["exclusions"]["by_reason"] == {code: 1 for code in EXCLUDED.values()}
        symbols = await ranked(api)
        assert len(symbols) == GENERATED and not set(EXCLUDED) & set(symbols)

    @pytest.mark.parametrize(
        ("symbol", "category"), [("USDCUSDT", "stablecoin"), ("PAXGUSDTM", "commodity")]
    )
    async def test_the_score_card_says_why(
        self, api: httpx.AsyncClient, symbol: str, category: str
    ) -> None:
        await calculate(api)
        response = await api.get(f"{BASE}/scoring/symbol/{symbol}/scores", headers=READ)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["symbol"] == symbol.removesuffix("M")
        assert (body["category"], body["excluded"]) == (category, f"excluded:category:{category}")
        assert body["history"] == []
        row = (await api.get(f"{BASE}/symbols/{symbol}", headers=READ)).json()
        assert (row["category"], row["category_override"]) == (category, None)

    @pytest.mark.parametrize("symbol", sorted(EXCLUDED))
    async def test_neither_can_be_added_by_hand_and_nothing_changes(
        self, api: httpx.AsyncClient, session: AsyncSession, symbol: str
    ) -> None:
        await calculate(api)
        members, changes = (
            await count(session, PortfolioMember),
            await count(session, PortfolioHistory),
        )
        response = await api.post(
            f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE
        )
        body = assert_problem(response, 409, "symbol-category-excluded")
        assert body["gate_code"] == EXCLUDED[symbol]
        assert body["category"] == EXCLUDED[symbol].rsplit(":", 1)[1]
        assert (await count(session, PortfolioMember), await count(session, PortfolioHistory)) == (
            members,
            changes,
        )

    async def test_the_exclusion_holds_before_any_scoring_run(self, api: httpx.AsyncClient) -> None:
        await sync(api)
        response = await api.post(
            f"{BASE}/portfolio/add-symbol", json={"symbol": "USDCUSDTM"}, headers=TRADE
        )
        assert_problem(response, 409, "symbol-category-excluded")

    async def test_a_narrower_setting_lets_gold_rank(self, api: httpx.AsyncClient) -> None:
        response = await api.put(
            f"{BASE}/config",
            json={"values": {"excluded_categories": ["stablecoin"]}},
            headers=ADMIN,
        )
        assert response.status_code == 200, response.text
        run = await calculate(api)
        assert run["scored_count"] == GENERATED + 1
        symbols = await ranked(api)
        assert "PAXGUSDT" in symbols and "USDCUSDT" not in symbols

    async def test_a_member_whose_category_becomes_excluded_exits_at_the_next_run(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        narrow = {"values": {"excluded_categories": ["stablecoin"]}}
        assert (await api.put(f"{BASE}/config", json=narrow, headers=ADMIN)).status_code == 200
        await calculate(api)
        for symbol in ("BTCUSDT", "PAXGUSDT"):
            added = await api.post(
                f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE
            )
            assert added.status_code == 200, added.text
        default = {"values": {"excluded_categories": ["stablecoin", "commodity", "equity"]}}
        assert (await api.put(f"{BASE}/config", json=default, headers=ADMIN)).status_code == 200
        await calculate(api)
        held = (await api.get(f"{BASE}/portfolio", headers=READ)).json()
        symbols = {m["symbol"] for m in held["members"]}
        assert "PAXGUSDT" not in symbols and "BTCUSDT" in symbols and len(symbols) == 2
        row = await session.scalar(
            select(PortfolioHistory).where(PortfolioHistory.replaced_symbol == "PAXGUSDT")
        )
        assert row is not None and (row.action, row.reason) == ("replace", "exit:category")

    @pytest.mark.parametrize(
        "value", [["stablecoin", "stablecoin"], ["bonds"], "stablecoin", [1], None]
    )
    async def test_the_setting_refuses_what_is_not_a_list_of_distinct_categories(
        self, api: httpx.AsyncClient, value: object
    ) -> None:
        response = await api.put(
            f"{BASE}/config", json={"values": {"excluded_categories": value}}, headers=ADMIN
        )
        assert_problem(response, 422, "validation-error")


class TestCategoryOverride:
    async def test_an_admin_override_lets_a_symbol_rank_and_is_audited(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await sync(api)
        response = await api.put(
            f"{BASE}/symbols/PAXGUSDTM/category", json={"category": "crypto"}, headers=ADMIN
        )
        assert response.status_code == 200, response.text
        assert (response.json()["category"], response.json()["category_override"]) == (
            "crypto",
            "crypto",
        )
        run = await calculate(api)
        assert run["scored_count"] == GENERATED + 1
        assert "PAXGUSDT" in await ranked(api)
        [change] = (
            await session.scalars(
                select(ConfigurationChange).where(
                    ConfigurationChange.key == "symbol_category:PAXGUSDT"
                )
            )
        ).all()
        assert (change.actor, change.old_value, change.new_value) == (
            ADMIN_NAME,
            {"category_override": None},
            {"category_override": "crypto"},
        )

    async def test_an_override_can_exclude_and_be_cleared(self, api: httpx.AsyncClient) -> None:
        await sync(api)
        url = f"{BASE}/symbols/BTCUSDT/category"
        response = await api.put(url, json={"category": "equity"}, headers=ADMIN)
        assert response.json()["category"] == "equity"
        added = await api.post(
            f"{BASE}/portfolio/add-symbol", json={"symbol": "BTCUSDT"}, headers=TRADE
        )
        assert_problem(added, 409, "symbol-category-excluded")
        cleared = await api.put(url, json={"category": None}, headers=ADMIN)
        assert (cleared.json()["category"], cleared.json()["category_override"]) == (
            "crypto",
            None,
        )

    async def test_only_an_admin_may_override(self, api: httpx.AsyncClient) -> None:
        await sync(api)
        response = await api.put(
            f"{BASE}/symbols/PAXGUSDT/category", json={"category": "crypto"}, headers=TRADE
        )
        assert_problem(response, 403, "forbidden")

    @pytest.mark.parametrize("body", [{"category": "gold"}, {}, {"category": "crypto", "x": 1}])
    async def test_a_bad_body_is_a_422_problem(
        self, api: httpx.AsyncClient, body: dict[str, Any]
    ) -> None:
        response = await api.put(f"{BASE}/symbols/PAXGUSDT/category", json=body, headers=ADMIN)
        assert_problem(response, 422, "validation-error")

    async def test_an_unknown_symbol_is_a_404_problem(self, api: httpx.AsyncClient) -> None:
        await sync(api)
        response = await api.put(
            f"{BASE}/symbols/NOPEUSDT/category", json={"category": "crypto"}, headers=ADMIN
        )
        assert_problem(response, 404, "unknown-symbol")

    async def test_another_method_is_a_405_that_allows_put_only(
        self, api: httpx.AsyncClient
    ) -> None:
        """`/symbols/{symbol}` matches the path too (its parameter may hold a slash): the more
        literal template decides what `Allow` names."""
        response = await api.delete(f"{BASE}/symbols/PAXGUSDT/category", headers=ADMIN)
        assert_problem(response, 405, "method-not-allowed")
        assert response.headers["allow"] == "PUT"


class TestEvidenceShown:
    """Each contract says what it is and which evidence decided it: KuCoin's `assetClass`, the
    session rule's figures on an unknown ticker, the table's default."""

    @pytest.fixture
    def sim_config(self) -> dict[str, Any]:
        return {
            "universe": GENERATED,
            "start_time_ms": live_clock_ms(),
            "session_traded": {"SIMEQAUSDTM": "equity"},
            "asset_classes": {"SIM001USDTM": "STOCK", "SIM002USDTM": "CRYPTO"},
        }

    async def test_the_symbol_shows_its_category_source_and_figures(
        self, api: httpx.AsyncClient
    ) -> None:
        await calculate(api)
        rows = {}
        for symbol in ("SIMEQAUSDTM", "SIM001USDTM", "SIM002USDTM"):
            response = await api.get(f"{BASE}/symbols/{symbol}", headers=READ)
            assert response.status_code == 200, response.text
            rows[symbol] = response.json()
        stock = rows["SIMEQAUSDTM"]
        assert stock["category"] in ("equity", "commodity") and stock["category_source"] == "data"
        assert stock["asset_class"] is None
        assert stock["category_figures"]["rule_category"] == stock["category"]
        assert stock["category_figures"]["quietness"] < 0.03
        said = rows["SIM001USDTM"]
        assert (said["category"], said["category_source"], said["asset_class"]) == (
            "equity",
            "exchange",
            "STOCK",
        )
        coin = rows["SIM002USDTM"]
        assert (coin["category"], coin["category_source"]) == ("crypto", "exchange")
        assert coin["category_figures"]["rule_category"] in (
            "crypto",
            "unknown",
            "commodity",
            "equity",
        )

    async def test_the_rankings_show_only_crypto_and_say_why(self, api: httpx.AsyncClient) -> None:
        await calculate(api)
        response = await api.get(f"{BASE}/scoring/rankings", params={"limit": 100}, headers=READ)
        items = response.json()["items"]
        assert {item["symbol"] for item in items}.isdisjoint({"SIMEQAUSDT", "SIM001USDT"})
        assert {item["category"] for item in items} == {"crypto"}
        sources = {item["symbol"]: item["category_source"] for item in items}
        assert sources["SIM002USDT"] == "exchange"
        assert set(sources.values()) <= {"exchange", "data", "table"}
        figures = {item["symbol"]: item["category_figures"] for item in items}
        assert figures["SIM002USDT"]["rule_category"] in ("crypto", "commodity", "equity")

    async def test_a_session_traded_contract_cannot_be_added_and_its_news_is_an_alert(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await calculate(api)
        response = await api.post(
            f"{BASE}/portfolio/add-symbol", json={"symbol": "SIMEQAUSDTM"}, headers=TRADE
        )
        body = assert_problem(response, 409, "symbol-category-excluded")
        assert body["category"] in ("equity", "commodity")
        assert await count(session, PortfolioMember) == 0
        alerts = (await api.get(f"{BASE}/alerts", params={"kind": "category"}, headers=READ)).json()
        symbols = {a["symbol"] for a in alerts}
        assert "SIMEQAUSDT" in symbols
