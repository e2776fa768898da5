"""The portfolio as freqtrade's RemotePairList, with ranks and weights; a member whose contract
KuCoin no longer lists keeps the list (and the portfolio, and the timeline) answering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.portfolio_calls import BASE, PORTFOLIO, READ, TRADE, add, portfolio, ranked
from tests.conftest import READ_KEY
from tests.helpers import assert_problem
from tests.kucoin_sim.app import KucoinSimulator


def pair_of(symbol: str) -> str:
    return f"{symbol.removesuffix('USDT')}/USDT:USDT"


def code_of(symbol: str) -> str:
    return "XBTUSDTM" if symbol == "BTCUSDT" else symbol + "M"


async def members(api: httpx.AsyncClient, count: int) -> list[str]:
    symbols = list(dict.fromkeys([*(await ranked(api))[:count], "BTCUSDT"]))[:count]
    for symbol in symbols:
        assert (await add(api, symbol)).status_code == 200
    return symbols


class TestPairlist:
    async def test_members_by_rank_in_ccxt_form_with_ranks_weights_and_the_scoring_interval(
        self, api: httpx.AsyncClient
    ) -> None:
        symbols = await members(api, 4)
        body = (await api.get(f"{BASE}/pairlist", headers=READ)).json()
        held = (await portfolio(api))["members"]
        expected = [pair_of(s) for s in symbols]
        assert body["pairs"] == expected and body["refresh_period"] == 900
        assert body["ranks"] == {pair: rank for rank, pair in enumerate(expected, start=1)}
        assert body["weights"] == {pair_of(m["symbol"]): float(m["weight"]) for m in held}
        assert sum(body["weights"].values()) == pytest.approx(100.0, abs=1e-9)

    async def test_an_empty_portfolio_is_an_empty_list(self, api: httpx.AsyncClient) -> None:
        body = (await api.get(f"{BASE}/pairlist", headers=READ)).json()
        assert body == {
            "pairs": [],
            "refresh_period": 900,
            "ranks": {},
            "weights": {},
            "weights_as_of": None,
        }

    async def test_accepts_the_key_as_a_bearer_token(self, api: httpx.AsyncClient) -> None:
        response = await api.get(
            f"{BASE}/pairlist", headers={"Authorization": f"Bearer {READ_KEY}"}
        )
        assert response.status_code == 200, response.text
        assert_problem(await api.get(f"{BASE}/pairlist"), 401, "unauthenticated")
        wrong = await api.get(
            f"{BASE}/pairlist", headers={"Authorization": "Bearer nope-nope-nope"}
        )
        assert_problem(wrong, 401, "unauthenticated")


class TestAfterARunThatScoredNothing:
    async def test_the_pairlist_keeps_its_pairs_and_its_status(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        """freqtrade's `keep_pairlist_on_failure` keeps the last list on a failed fetch; the
        list itself stays what the portfolio holds, answered 200, whatever the scoring did."""
        await members(api, 3)
        before = await api.get(f"{BASE}/pairlist", headers=READ)
        sim.faults.set("http_500", status=503)  # every request, until cleared
        failed = await api.post(f"{BASE}/scoring/calculate", params={"wait": 60}, headers=TRADE)
        assert_problem(failed, 503, "exchange-unavailable")
        after = await api.get(f"{BASE}/pairlist", headers=READ)
        assert after.status_code == before.status_code == 200, after.text
        assert after.json() == before.json() and len(after.json()["pairs"]) == 3


class TestAMemberNoLongerListed:
    async def test_pairlist_portfolio_and_timeline_answer_with_the_member_flagged(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        symbols = await members(api, 3)
        gone = symbols[1]
        sim.delist(code_of(gone))  # off KuCoin's contract list altogether
        synced = await api.post(f"{BASE}/symbols/sync?wait=60", headers=TRADE)
        assert synced.status_code == 200, synced.text

        pairlist = await api.get(f"{BASE}/pairlist", headers=READ)
        assert pairlist.status_code == 200, pairlist.text
        assert pairlist.json()["pairs"] == [pair_of(s) for s in symbols]

        held = {m["symbol"]: m for m in (await portfolio(api))["members"]}
        assert held[gone]["listed"] is False and held[gone]["kucoin_symbol"] == code_of(gone)
        assert held[gone]["ccxt_symbol"] == pair_of(gone)
        assert all(held[s]["listed"] for s in symbols if s != gone)

        timeline = await api.get(f"{PORTFOLIO}/timeline", headers=READ)
        assert timeline.status_code == 200, timeline.text
        rows = timeline.json()["rows"]
        assert {r["symbol"] for r in rows if not r["listed"]} == {gone}
        assert {r["ccxt_symbol"] for r in rows if r["symbol"] == gone} == {pair_of(gone)}


class TestFreqtradeAcceptsTheDocument:
    """freqtrade's own RemotePairList handler (the `freqtrade` package, a dev dependency)."""

    async def test_remote_pairlist_reads_the_pairs_and_the_refresh_period(
        self, api: httpx.AsyncClient, tmp_path: Path
    ) -> None:
        from freqtrade.plugins.pairlist.RemotePairList import RemotePairList

        symbols = await members(api, 3)
        response = await api.get(f"{BASE}/pairlist", headers=READ)
        assert "application/json" in response.headers["content-type"]  # what it insists on
        document = tmp_path / "pairlist.json"
        document.write_bytes(response.content)
        handler = RemotePairList(
            exchange=MarketsOnly([pair_of(s) for s in symbols]),
            pairlistmanager=None,
            config={"stake_currency": "USDT"},
            pairlistconfig={
                "method": "RemotePairList",
                "pairlist_url": f"file:///{document}",
                "number_assets": 10,
                "refresh_period": 60,
            },
            pairlist_pos=0,
        )
        assert handler.process_json(response.json()) == [pair_of(s) for s in symbols]
        assert handler.gen_pairlist({}) == [pair_of(s) for s in symbols]
        assert handler._refresh_period == 900  # raised to the service's own interval
        assert json.loads(response.content)["ranks"][pair_of(symbols[0])] == 1


class MarketsOnly:
    """The part of freqtrade's Exchange a RemotePairList consults: the markets it knows."""

    name = "kucoinfutures"

    def __init__(self, pairs: list[str]) -> None:
        self.markets: dict[str, dict[str, Any]] = {
            p: {"symbol": p, "quote": "USDT", "active": True, "swap": True} for p in pairs
        }

    def get_markets(self) -> dict[str, dict[str, Any]]:
        return self.markets

    def market_is_tradable(self, market: dict[str, Any]) -> bool:
        return bool(market["active"])

    def get_pair_quote_currency(self, pair: str) -> str:
        return str(self.markets[pair]["quote"])
