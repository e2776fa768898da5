"""Every price the API answers is on the contract's tick, as KuCoin quotes it: a mid of two quotes
or a mark on the index's finer step is put back on the tick, never left with float noise
(`(80.04 + 80.06) / 2` is 80.05000000000001)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI

from app.kucoin.websocket import StreamTick
from app.platform.core.clock import utcnow
from tests.api.portfolio_calls import BASE, PORTFOLIO, READ, add, history, portfolio, ranked

SYMBOLS = ("BTCUSDT", "ETHUSDT")  # ticks 0.1 and 0.01; their marks are on a finer index step


def noisy_quote(price: float, tick: Decimal) -> tuple[float, float]:
    """A bid and an ask a few ticks either side of a level near `price` whose float mid is not
    that level's decimal (as 80.04 and 80.06 are for 80.05)."""
    level = int(Decimal(repr(price)) / tick)
    for k in range(level, level + 1000):
        for spread in range(1, 10):
            bid, ask = float((k - spread) * tick), float((k + spread) * tick)
            if Decimal(repr((bid + ask) / 2)) != k * tick:
                return bid, ask
    raise AssertionError(f"no noisy mid near {price}")


def off_tick(value: Any, tick: Decimal) -> bool:
    """Whether a price as answered (a JSON number, or a decimal string) is off the tick."""
    if value is None:
        return False
    exact = Decimal(value) if isinstance(value, str) else Decimal(repr(value))
    return exact % tick != 0


class Prices:
    """The prices read from the answers, with where each came from."""

    def __init__(self, ticks: dict[str, Decimal]) -> None:
        self.ticks = ticks
        self.seen: list[tuple[str, str, Any]] = []

    def add(self, where: str, symbol: str, value: Any) -> None:
        self.seen.append((f"{where} {symbol}", symbol, value))

    def members(self, where: str, body: dict[str, Any]) -> None:
        for m in body["members"]:
            for name in ("entry_price", "current_price"):
                self.add(f"{where} {name}", m["symbol"], m[name])

    def off(self) -> list[str]:
        return [
            f"{where}: {value!r}"
            for where, symbol, value in self.seen
            if off_tick(value, self.ticks[symbol])
        ]


async def test_every_price_answered_is_on_the_contracts_tick(
    api: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    listed = (await api.get(f"{BASE}/symbols", params={"limit": 1000}, headers=READ)).json()
    ticks = {s["symbol"]: Decimal(str(s["tick_size"])) for s in listed["items"]}
    marks = {s["symbol"]: s["mark_price"] for s in listed["items"]}
    assert {"BTCUSDT", "ETHUSDT"} <= set(await ranked(api))
    prices = Prices(ticks)
    for s in listed["items"]:
        prices.add("symbols mark_price", s["symbol"], s["mark_price"])
    one = (await api.get(f"{BASE}/symbols/XBTUSDTM", headers=READ)).json()
    prices.add("symbol mark_price", "BTCUSDT", one["mark_price"])

    # A fresh streamed quote whose float mid is noisy: the entry, current and sizing price.
    state = sim_app.state.app_state
    now = utcnow()
    for symbol in SYMBOLS:
        bid, ask = noisy_quote(marks[symbol], ticks[symbol])
        state.prices.on_tick(StreamTick(symbol, bid, ask, now, now))
    for symbol in SYMBOLS:
        response = await add(api, symbol)
        assert response.status_code == 200, response.text
        prices.members(f"add {symbol}", response.json()["portfolio"])
    read = await portfolio(api)
    assert {m["price_source"] for m in read["members"]} == {"websocket"}
    prices.members("portfolio (stream)", read)

    async def sizes(where: str) -> None:
        for symbol in SYMBOLS:
            params = {"symbol": symbol, "account_balance": 100_000}
            sized = await api.get(f"{PORTFOLIO}/position-size", params=params, headers=READ)
            assert sized.status_code == 200, sized.text
            prices.add(f"{where} price", symbol, sized.json()["price"])

    await sizes("position-size (stream)")

    # No fresh stream: the stored marks (on the index's step), and REST quotes for sizing.
    state.prices.fresh_for_s = 0
    read = await portfolio(api)
    assert {m["price_source"] for m in read["members"]} == {"stored_mark"}
    prices.members("portfolio (stored mark)", read)
    await sizes("position-size (rest)")
    prices.members("portfolio as_of", await portfolio(api, as_of=utcnow().isoformat()))
    for row in await history(api):
        for m in row["details"]["portfolio"]:
            prices.add(f"history {row['id']} entry_price", m["symbol"], m["entry_price"])

    assert len(prices.seen) == len(listed["items"]) + 1 + 6 + 4 + 2 + 4 + 2 + 4 + 3
    off = prices.off()
    assert not off, "off the tick:\n" + "\n".join(off)
