"""The KuCoin simulator speaks the recorded shapes, window rules, limits, faults and WS protocol."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDictProxy

from tests.kucoin_sim import KucoinSimulator, SimConfig
from tests.kucoin_sim.config import shared_dir
from tests.kucoin_sim.contracts import contract_row
from tests.kucoin_sim.universe import FIELD_ORDER

HOUR = 3_600_000
FIXTURES = shared_dir() / "kucoin-fixtures"
RECORDED_2025_08 = FIXTURES / "futures_contracts_active_2025-08.json"
INT_FIELDS = {
    "firstOpenDate",
    "maxOrderQty",
    "lotSize",
    "maxRiskLimit",
    "minRiskLimit",
    "riskStep",
    "fundingRateGranularity",
    "period",
    "nextFundingRateTime",
    "nextFundingRateDateTime",
    "maxLeverage",
}
# a perpetual scheduled for delisting carries expiry fields (KUCOIN.md §3.1)
NULLABLE = {"expireDate": {"number"}, "settleDate": {"number"}, "settlementSymbol": {"NoneType"}}
# Upper bound of every single wait in this module. 3 s timed out twice in full runs (the test
# process busy with other files' work on a loaded machine; alone a request takes 0.1 s).
WAIT = 10.0


def mid_hour_ms() -> int:
    """Half past the current hour: no real hour boundary is crossed while the suite runs."""
    now = int(time.time() * 1000)
    return now // HOUR * HOUR + HOUR // 2


def needs_shared(path: Path) -> None:
    """Skip, saying why, when ../shared (read in place, never copied) is absent."""
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is read in place, not copied)")


@pytest.fixture
def sim_config() -> dict[str, Any]:
    """The recorded universe, a fresh simulator per test: no faults, a full quota, no
    delistings and no requests left over from another test."""
    return {"start_time_ms": mid_hour_ms()}


@pytest.fixture(scope="module")
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    timeout = aiohttp.ClientTimeout(total=WAIT)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        yield session


async def get(
    http: aiohttp.ClientSession, url: str, **params: Any
) -> tuple[int, Any, CIMultiDictProxy[str]]:
    async with http.get(url, params={k: str(v) for k, v in params.items()}) as resp:
        return resp.status, await resp.json(content_type=None), resp.headers


def kind(value: Any) -> str:
    if value is None or isinstance(value, bool | str | list):
        return type(value).__name__
    return "number"


# ---- contracts ----------------------------------------------------------------------------
async def test_contract_rows_have_the_2025_08_keys_and_json_types(
    sim: KucoinSimulator, http: aiohttp.ClientSession
) -> None:
    needs_shared(RECORDED_2025_08)
    recorded = json.loads(RECORDED_2025_08.read_text())["data"][0]
    status, body, _ = await get(http, f"{sim.base_url}/api/v1/contracts/active")
    assert status == 200 and body["code"] == "200000"
    now = sim.clock.now_ms()
    for row in body["data"]:
        assert set(row) == set(recorded), row["symbol"]
        if row["rootSymbol"] != "USDT":
            continue
        for key, ref in recorded.items():
            allowed = {kind(ref)} | (NULLABLE.get(key, set()))
            assert kind(row[key]) in allowed, (row["symbol"], key, row[key])
            if key in INT_FIELDS:
                assert type(row[key]) is int, (row["symbol"], key)
        assert row["openInterest"].isdigit()
        assert 0 < row["nextFundingRateTime"] <= row["fundingRateGranularity"]
        assert abs(row["nextFundingRateDateTime"] - now - row["nextFundingRateTime"]) < 5_000
        assert row["lowPrice"] <= row["lastTradePrice"] <= row["highPrice"]
        assert row["fundingRateGranularity"] in (14_400_000, 28_800_000)
    grans = {r["fundingRateGranularity"] for r in body["data"] if r["rootSymbol"] == "USDT"}
    assert grans == {14_400_000, 28_800_000}


async def test_recorded_universe_has_406_rows(
    sim: KucoinSimulator, http: aiohttp.ClientSession
) -> None:
    needs_shared(FIXTURES / "futures_contracts_active_2025-05-08_static_fields_only.json")
    _, body, _ = await get(http, f"{sim.base_url}/api/v1/contracts/active")
    symbols = [r["symbol"] for r in body["data"]]
    assert len(symbols) == 406 == len(set(symbols))
    assert symbols[:2] == ["XBTUSDTM", "ETHUSDTM"]
    _, one, _ = await get(http, f"{sim.base_url}/api/v1/contracts/XBTUSDTM")
    assert one["data"]["symbol"] == "XBTUSDTM" and one["data"]["multiplier"] == 0.001


def test_generated_universe_names_and_fields() -> None:
    s = KucoinSimulator(universe=12)
    specs = s.market.specs
    assert [sp.symbol for sp in specs[:3]] == ["XBTUSDTM", "ETHUSDTM", "SIM001USDTM"]
    assert len(specs) == 12 and specs[-1].symbol == "SIM010USDTM"
    now = s.clock.now_ms()
    for i in range(len(specs)):
        row = contract_row(s.market, i, now)
        assert tuple(row) == FIELD_ORDER and row["openInterest"].isdigit()
        assert row["predictedFundingFeeRate"] is None and type(row["nextFundingRateTime"]) is int
        assert row["sellLimit"] < row["markPrice"] < row["buyLimit"]
    with pytest.raises(ValueError):
        SimConfig(universe=701)


def test_extra_contracts_join_a_generated_universe_with_their_recorded_specs() -> None:
    recorded = FIXTURES / "futures_contracts_active_2025-05-08_static_fields_only.json"
    needs_shared(recorded)
    s = KucoinSimulator(universe=12, extra_contracts=("USDCUSDTM", "PAXGUSDTM"))
    specs = s.market.specs
    assert [sp.symbol for sp in specs[-3:]] == ["SIM010USDTM", "USDCUSDTM", "PAXGUSDTM"]
    rows = {r["symbol"]: r for r in json.loads(recorded.read_text())}
    for spec in specs[-2:]:
        row = contract_row(s.market, s.market.index[spec.symbol], s.clock.now_ms())
        for key in ("baseCurrency", "multiplier", "tickSize", "lotSize", "maxLeverage"):
            assert row[key] == rows[spec.symbol][key]
    with pytest.raises(KeyError):
        KucoinSimulator(universe=12, extra_contracts=("NOPEUSDTM",))
    with pytest.raises(ValueError):
        SimConfig(extra_contracts=("USDCUSDTM",))  # the recorded universe lists it already


# ---- klines -------------------------------------------------------------------------------
async def klines(
    http: aiohttp.ClientSession, sim: KucoinSimulator, **params: Any
) -> list[list[Any]]:
    status, body, _ = await get(http, f"{sim.base_url}/api/v1/kline/query", **params)
    assert status == 200 and body["code"] == "200000", body
    rows: list[list[Any]] = body["data"]
    return rows


async def test_klines_window_rules(sim: KucoinSimulator, http: aiohttp.ClientSession) -> None:
    current_hour = sim.clock.hour_ms()
    latest = await klines(http, sim, symbol="XBTUSDTM", granularity=60)
    assert len(latest) == 500 and latest[-1][0] == current_hour
    times = [r[0] for r in latest]
    assert times == sorted(times) and all(b - a == HOUR for a, b in itertools.pairwise(times))
    for t, o, h, lo, c, v in latest:
        assert t % HOUR == 0 and lo <= min(o, c) <= max(o, c) <= h and isinstance(v, int)
    frm = current_hour - 700 * HOUR + 123
    forward = await klines(http, sim, symbol="XBTUSDTM", granularity=60, **{"from": frm})
    assert len(forward) == 500 and forward[0][0] == current_hour - 699 * HOUR
    to = current_hour - 100 * HOUR + 5
    back = await klines(http, sim, symbol="XBTUSDTM", granularity=60, to=to)
    assert len(back) == 500 and back[-1][0] == current_hour - 100 * HOUR
    both = await klines(http, sim, symbol="ETHUSDTM", granularity=240, **{"from": frm, "to": to})
    assert all(frm <= r[0] <= to and r[0] % (4 * HOUR) == 0 for r in both)
    week = await klines(http, sim, symbol="XBTUSDTM", granularity=10080)
    assert week[-1][0] <= sim.clock.now_ms() < week[-1][0] + 7 * 24 * HOUR
    history = await klines(http, sim, symbol="XBTUSDTM", granularity=60, **{"from": 0})
    assert history[0][0] == current_hour - (sim.config.candle_hours - 1) * HOUR


async def test_sub_hour_candles_aggregate_to_the_hour(
    sim: KucoinSimulator, http: aiohttp.ClientSession
) -> None:
    hour = sim.clock.hour_ms() - 3 * HOUR
    (h1,) = await klines(http, sim, symbol="ETHUSDTM", granularity=60, **{"from": hour, "to": hour})
    fives = await klines(
        http, sim, symbol="ETHUSDTM", granularity=5, **{"from": hour, "to": hour + HOUR - 1}
    )
    assert len(fives) == 12 and fives[0][0] == hour
    assert fives[0][1] == h1[1] and fives[-1][4] == h1[4]
    assert max(r[2] for r in fives) == h1[2] and min(r[3] for r in fives) == h1[3]
    assert abs(sum(r[5] for r in fives) - h1[5]) <= 12


async def test_advance_adds_exactly_one_hourly_candle(
    sim: KucoinSimulator, http: aiohttp.ClientSession
) -> None:
    start = sim.clock.hour_ms() - 10 * HOUR
    before = await klines(http, sim, symbol="XBTUSDTM", granularity=60, **{"from": start})
    sim.clock.advance(3600)
    try:
        after = await klines(http, sim, symbol="XBTUSDTM", granularity=60, **{"from": start})
    finally:
        sim.clock.advance(-3600)
    assert len(after) == len(before) + 1 == 12
    assert after[:10] == before[:10]
    assert after[-1][0] == before[-1][0] + HOUR


async def test_kline_parameter_errors(sim: KucoinSimulator, http: aiohttp.ClientSession) -> None:
    for params in ({"symbol": "XBTUSDTM", "granularity": 3}, {"granularity": 60}):
        status, body, _ = await get(http, f"{sim.base_url}/api/v1/kline/query", **params)
        assert status == 200 and body["code"] == "400100"
    status, body, _ = await get(
        http, f"{sim.base_url}/api/v1/kline/query", symbol="NOPEUSDTM", granularity=60
    )
    assert status == 200 and body["code"] == "200003"


# ---- ticker, book, trades, funding ----------------------------------------------------------
async def test_ticker_types(sim: KucoinSimulator, http: aiohttp.ClientSession) -> None:
    status, body, headers = await get(http, f"{sim.base_url}/api/v1/ticker", symbol="XBTUSDTM")
    t = body["data"]
    assert status == 200 and body["code"] == "200000"
    for key in ("price", "bestBidPrice", "bestAskPrice", "tradeId"):
        assert isinstance(t[key], str)
    for key in ("size", "bestBidSize", "bestAskSize", "sequence", "ts"):
        assert type(t[key]) is int
    assert abs(t["ts"] - sim.clock.now_ns()) < 5 * 10**9
    assert float(t["bestBidPrice"]) < float(t["bestAskPrice"])
    assert headers["gw-ratelimit-limit"] == "2000" and headers["gw-ratelimit-remaining"] == "1998"
    _, all_tickers, _ = await get(http, f"{sim.base_url}/api/v1/allTickers")
    assert len(all_tickers["data"]) == len(sim.market.specs)


async def test_books_trades_mark_and_funding(
    sim: KucoinSimulator, http: aiohttp.ClientSession
) -> None:
    base = sim.base_url
    for path, levels in (("depth20", 20), ("depth100", 100), ("snapshot", 500)):
        _, body, _ = await get(http, f"{base}/api/v1/level2/{path}", symbol="ETHUSDTM")
        bids, asks = body["data"]["bids"], body["data"]["asks"]
        assert len(bids) == len(asks) == levels
        assert [p for p, _ in bids] == sorted((p for p, _ in bids), reverse=True)
        assert [p for p, _ in asks] == sorted(p for p, _ in asks) and bids[0][0] < asks[0][0]
        assert all(type(s) is int and s > 0 for _, s in bids + asks)
    _, trades, _ = await get(http, f"{base}/api/v1/trade/history", symbol="XBTUSDTM")
    rows = trades["data"]
    assert len(rows) == 100 and [r["ts"] for r in rows] == sorted(
        (r["ts"] for r in rows), reverse=True
    )
    assert all(isinstance(r["price"], str) and isinstance(r["tradeId"], str) for r in rows)
    _, mark, _ = await get(http, f"{base}/api/v1/mark-price/XBTUSDTM/current")
    assert mark["data"]["granularity"] == 1000 and isinstance(mark["data"]["value"], float)
    _, cur, _ = await get(http, f"{base}/api/v1/funding-rate/XBTUSDTM/current")
    f = cur["data"]
    assert f["symbol"] == ".XBTUSDTMFPI8H" and f["fundingTime"] == f["timePoint"] + f["granularity"]
    now = sim.clock.now_ms()
    status, hist, _ = await get(
        http,
        f"{base}/api/v1/contract/funding-rates",
        symbol="XBTUSDTM",
        **{"from": now - 5 * 86_400_000, "to": now},
    )
    points = [r["timepoint"] for r in hist["data"]]
    assert status == 200 and len(points) >= 10 and points == sorted(points, reverse=True)
    assert points[0] <= now and {r["symbol"] for r in hist["data"]} == {"XBTUSDTM"}
    _, missing, _ = await get(http, f"{base}/api/v1/contract/funding-rates", symbol="XBTUSDTM")
    assert missing["code"] == "400100"
    status, stamp, headers = await get(http, f"{base}/api/v1/timestamp")
    assert abs(stamp["data"] - sim.clock.now_ms()) < 5_000 and "gw-ratelimit-limit" not in headers
    _, st, _ = await get(http, f"{base}/api/v1/status")
    assert st["data"] == {"msg": "", "status": "open"}


async def test_error_bodies_match_the_recordings(
    sim: KucoinSimulator, http: aiohttp.ClientSession
) -> None:
    base = sim.base_url
    cases = [
        ("/api/v1/ticker?symbol=NOPEUSDTM", 200, "futures_error_invalid_symbol.json"),
        ("/api/v1/level2/depth20?symbol=NOPEUSDTM", 200, "futures_error_invalid_symbol.json"),
        ("/api/v1/level2/snapshot?symbol=NOPEUSDTM", 200, "futures_error_invalid_symbol.json"),
        ("/api/v1/contracts/NOPEUSDTM", 200, "futures_error_contract_not_exist.json"),
        (
            "/api/v1/funding-rate/NOPEUSDTM/current",
            200,
            "futures_error_funding_rate_not_supported.json",
        ),
        (
            "/api/v1/mark-price/NOPEUSDTM/current",
            200,
            "futures_error_mark_price_not_supported.json",
        ),
        (
            "/api/v1/level2/depth50?symbol=XBTUSDTM",
            404,
            "futures_error_http404_unknown_depth_size.json",
        ),
        ("/api/v1/nope", 404, "futures_error_http404_unknown_path.json"),
    ]
    for _, _, fixture in cases:
        needs_shared(FIXTURES / fixture)
    for path, want_status, fixture in cases:
        async with http.get(base + path) as resp:
            body = await resp.json(content_type=None)
            assert resp.status == want_status, path
        assert body == json.loads((FIXTURES / fixture).read_text()), path


# ---- rate limit -----------------------------------------------------------------------------
async def test_quota_exceeded_then_reset(http: aiohttp.ClientSession) -> None:
    async with KucoinSimulator(universe=3, quota=20, quota_window_s=2.0) as small:
        url = f"{small.base_url}/api/v1/ticker"
        for left in range(18, -1, -2):
            status, _, headers = await get(http, url, symbol="XBTUSDTM")
            assert status == 200 and headers["gw-ratelimit-remaining"] == str(left)
        status, body, headers = await get(http, url, symbol="XBTUSDTM")
        assert status == 429 and body == {"code": "429000", "msg": "Too Many Requests"}
        reset_ms = int(headers["gw-ratelimit-reset"])
        assert 0 < reset_ms <= 2000 and headers["gw-ratelimit-limit"] == "20"
        await asyncio.sleep(reset_ms / 1000 + 0.05)
        status, _, headers = await get(http, url, symbol="XBTUSDTM")
        assert status == 200 and headers["gw-ratelimit-remaining"] == "18"
        assert [r.status for r in small.requests].count(429) == 1


# ---- faults ---------------------------------------------------------------------------------
async def test_http_500_fault_counts_down(
    sim: KucoinSimulator, http: aiohttp.ClientSession
) -> None:
    sim.faults.set("http_500", count=3)
    seen = []
    for _ in range(4):
        async with http.get(f"{sim.base_url}/api/v1/timestamp") as resp:
            seen.append((resp.status, resp.content_type))
    assert seen == [
        (500, "application/json"),
        (502, "text/html"),
        (503, "application/json"),
        (200, "application/json"),
    ]


async def test_fault_restricted_to_a_path(
    sim: KucoinSimulator, http: aiohttp.ClientSession
) -> None:
    sim.faults.set("http_500", path="/api/v1/kline", status=503)
    status, _, _ = await get(http, f"{sim.base_url}/api/v1/ticker", symbol="XBTUSDTM")
    assert status == 200
    async with http.get(
        f"{sim.base_url}/api/v1/kline/query?symbol=XBTUSDTM&granularity=60"
    ) as resp:
        assert resp.status == 503


async def test_timeout_and_slow_faults(sim: KucoinSimulator, http: aiohttp.ClientSession) -> None:
    sim.faults.set("timeout", count=1, seconds=2.0)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(get(http, f"{sim.base_url}/api/v1/status"), timeout=0.3)
    await asyncio.sleep(0.05)
    assert sim.requests[-1].status == 499
    sim.faults.set("slow", count=1, seconds=0.3)
    started = time.monotonic()
    status, _, _ = await get(http, f"{sim.base_url}/api/v1/status")
    assert status == 200 and time.monotonic() - started >= 0.3


async def test_held_answers_wait_for_the_release(http: aiohttp.ClientSession) -> None:
    sim = KucoinSimulator(universe=3)
    url = await sim.start(controls=True)
    try:
        async with http.post(f"{url}/_sim/hold") as resp:
            assert resp.status == 204
        waiting = asyncio.ensure_future(get(http, f"{url}/api/v1/status"))
        done, _ = await asyncio.wait({waiting}, timeout=0.5)
        assert not done and sim.requests == []
        async with http.post(f"{url}/_sim/release") as resp:
            assert resp.status == 204
        status, body, _ = await waiting
        assert status == 200 and body["code"] == "200000"
    finally:
        await sim.stop()


async def test_controls_are_absent_unless_asked_for(
    sim: KucoinSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.post(f"{sim.base_url}/_sim/hold") as resp:
        assert resp.status == 404  # KuCoin's answer to a path it has not
    status, _, _ = await get(http, f"{sim.base_url}/api/v1/status")
    assert status == 200


async def test_malformed_and_missing_field_faults(
    sim: KucoinSimulator, http: aiohttp.ClientSession
) -> None:
    sim.faults.set("malformed_json", count=1)
    async with http.get(f"{sim.base_url}/api/v1/ticker?symbol=XBTUSDTM") as resp:
        text = await resp.text()
        assert resp.status == 200
    with pytest.raises(ValueError):
        json.loads(text)
    sim.faults.set("missing_field", count=1, field="lotSize", path="/api/v1/contracts/active")
    _, body, _ = await get(http, f"{sim.base_url}/api/v1/contracts/active")
    assert body["code"] == "200000" and all("lotSize" not in r for r in body["data"])
    sim.faults.set("missing_field", count=1)
    _, body, _ = await get(http, f"{sim.base_url}/api/v1/ticker", symbol="XBTUSDTM")
    assert "symbol" not in body["data"] and "price" in body["data"]


async def test_maintenance_fault(sim: KucoinSimulator, http: aiohttp.ClientSession) -> None:
    sim.faults.set("maintenance")
    _, status_body, _ = await get(http, f"{sim.base_url}/api/v1/status")
    assert status_body["data"]["status"] == "close"
    status, _, _ = await get(http, f"{sim.base_url}/api/v1/ticker", symbol="XBTUSDTM")
    assert status == 503
    sim.faults.clear()
    status, _, _ = await get(http, f"{sim.base_url}/api/v1/ticker", symbol="XBTUSDTM")
    assert status == 200


async def test_delist_mid_run(sim: KucoinSimulator, http: aiohttp.ClientSession) -> None:
    base = sim.base_url
    sim.delist("ETHUSDTM")
    _, active, _ = await get(http, f"{base}/api/v1/contracts/active")
    assert "ETHUSDTM" not in {r["symbol"] for r in active["data"]}
    assert (await get(http, f"{base}/api/v1/ticker", symbol="ETHUSDTM"))[1]["code"] == "200003"
    assert (await get(http, f"{base}/api/v1/level2/depth20", symbol="ETHUSDTM"))[1][
        "code"
    ] == "200003"
    assert (await get(http, f"{base}/api/v1/contracts/ETHUSDTM"))[1]["code"] == "404000"
    assert (await get(http, f"{base}/api/v1/funding-rate/ETHUSDTM/current"))[1]["code"] == "415000"
    sim.delist("ETHUSDTM", status="Paused")
    _, active, _ = await get(http, f"{base}/api/v1/contracts/active")
    assert {r["symbol"]: r["status"] for r in active["data"]}["ETHUSDTM"] == "Paused"
    assert (await get(http, f"{base}/api/v1/ticker", symbol="ETHUSDTM"))[1]["code"] == "200003"


async def test_requests_are_recorded(sim: KucoinSimulator, http: aiohttp.ClientSession) -> None:
    await klines(http, sim, symbol="XBTUSDTM", granularity=60, **{"from": 1, "to": 2})
    await get(http, f"{sim.base_url}/api/v1/ticker", symbol="XBTUSDTM")
    (rec,) = [r for r in sim.requests if r.path == "/api/v1/kline/query"]
    assert rec.query == {"symbol": "XBTUSDTM", "granularity": "60", "from": "1", "to": "2"}
    assert rec.weight == 3 and rec.status == 200 and sim.count("/api/v1/ticker") == 1


# ---- WebSocket ------------------------------------------------------------------------------
async def ws_url(
    http: aiohttp.ClientSession, sim: KucoinSimulator, connect_id: str
) -> tuple[str, int]:
    async with http.post(f"{sim.base_url}/api/v1/bullet-public") as resp:
        data = (await resp.json())["data"]
    server = data["instanceServers"][0]
    assert server["endpoint"].startswith("ws://127.0.0.1:") and server["encrypt"] is False
    return f"{server['endpoint']}?token={data['token']}&connectId={connect_id}", server[
        "pingInterval"
    ]


async def next_json(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    msg = await ws.receive(timeout=WAIT)
    assert msg.type == aiohttp.WSMsgType.TEXT, msg
    out: dict[str, Any] = json.loads(msg.data)
    return out


async def test_ws_protocol(sim: KucoinSimulator, http: aiohttp.ClientSession) -> None:
    url, ping_interval = await ws_url(http, sim, "c1")
    assert ping_interval == 18000
    async with http.ws_connect(url) as ws:
        assert await next_json(ws) == {"id": "c1", "type": "welcome"}
        await ws.send_json({"id": "p1", "type": "ping"})
        pong = await next_json(ws)
        assert pong["id"] == "p1" and pong["type"] == "pong"
        assert abs(pong["timestamp"] - sim.clock.now_us()) < 5 * 10**6
        topic = "/contractMarket/tickerV2:XBTUSDTM,ETHUSDTM"
        await ws.send_json(
            {
                "id": "s1",
                "type": "subscribe",
                "topic": topic,
                "privateChannel": False,
                "response": True,
            }
        )
        assert await next_json(ws) == {"id": "s1", "type": "ack"}
        await ws.send_json(
            {
                "id": "s2",
                "type": "subscribe",
                "topic": "/contractMarket/nope:XBTUSDTM",
                "response": True,
            }
        )
        seen: dict[str, dict[str, Any]] = {}
        error = None
        while len(seen) < 2 or error is None:
            msg = await next_json(ws)
            if msg["type"] == "error":
                error = msg
            else:
                seen[msg["data"]["symbol"]] = msg
        assert error == {"id": "s2", "type": "error", "code": 404, "data": "topic does not exist"}
        m = seen["XBTUSDTM"]
        assert m["topic"] == "/contractMarket/tickerV2:XBTUSDTM" and m["subject"] == "tickerV2"
        assert m["sn"] == m["data"]["sequence"]
        d = m["data"]
        assert isinstance(d["bestBidPrice"], str) and type(d["bestAskSize"]) is int
        assert abs(d["ts"] - sim.clock.now_ns()) < 5 * 10**9


async def test_ws_drop_and_expired_token(sim: KucoinSimulator, http: aiohttp.ClientSession) -> None:
    url, _ = await ws_url(http, sim, "c2")
    async with http.ws_connect(url) as ws:
        assert (await next_json(ws))["type"] == "welcome"
        assert sim.ws_drop() == 1
        msg = await ws.receive(timeout=WAIT)
        assert msg.type in (
            aiohttp.WSMsgType.CLOSED,
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.ERROR,
        )
    sim.expire_tokens()
    async with http.ws_connect(url) as ws:
        refused = await next_json(ws)
        assert refused["type"] == "error" and refused["code"] == 401
        msg = await ws.receive(timeout=WAIT)
        assert msg.type == aiohttp.WSMsgType.CLOSE and msg.data == 4001
    fresh, _ = await ws_url(http, sim, "c3")
    async with http.ws_connect(fresh) as ws:
        assert (await next_json(ws))["type"] == "welcome"


async def test_ws_closes_a_silent_client(http: aiohttp.ClientSession) -> None:
    async with KucoinSimulator(universe=3, ws_ping_interval_ms=100) as small:
        url, _ = await ws_url(http, small, "quiet")
        async with http.ws_connect(url, autoping=True) as ws:
            assert (await next_json(ws))["type"] == "welcome"
            msg = await ws.receive(timeout=WAIT)
            assert msg.type == aiohttp.WSMsgType.CLOSE and msg.data == 1000
        assert small.ws.idle_closed == 1


# ---- data sources ---------------------------------------------------------------------------
def test_seeded_fallback_without_market_data(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    start = mid_hour_ms()
    a = KucoinSimulator(universe=5, shared=tmp_path, start_time_ms=start)
    b = KucoinSimulator(universe=5, shared=tmp_path, start_time_ms=start)
    c = KucoinSimulator(universe=5, shared=tmp_path, start_time_ms=start, seed=8)
    assert "seeded GBM" in caplog.text
    hour = a.clock.hour_ms() - HOUR
    candle = [s.market.series[2].span(hour, hour + HOUR).c[0] for s in (a, b, c)]
    assert candle[0] == candle[1] != candle[2]


def test_shared_dir_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MYSYMBOLS_SHARED_DIR", str(tmp_path))
    assert SimConfig().shared_dir == tmp_path
