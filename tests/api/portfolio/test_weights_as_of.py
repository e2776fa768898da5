"""`/portfolio` and `/pairlist` date their weights by the change that set them (`weights_as_of`,
the newest audit row): a scoring run moves ranks and composites, not the weights nor their date;
a rebalance, which sets the weights, moves both."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.portfolio_calls import BASE, PORTFOLIO, READ, TRADE, add, history, portfolio, ranked
from tests.helpers import set_config


def moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


async def pairlist(api: httpx.AsyncClient) -> dict[str, Any]:
    response = await api.get(f"{BASE}/pairlist", headers=READ)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def dated_weights(api: httpx.AsyncClient) -> tuple[Any, ...]:
    """The members' weights and their date, as `/portfolio` and `/pairlist` each give them."""
    held, listed = await portfolio(api), await pairlist(api)
    weights = {m["symbol"]: m["weight"] for m in held["members"]}
    dated = moment(held["weights_as_of"]), moment(listed["weights_as_of"])
    return weights, dated[0], listed["weights"], dated[1]


async def hold(api: httpx.AsyncClient, count: int) -> list[str]:
    symbols = (await ranked(api))[:count]
    for symbol in symbols:
        response = await add(api, symbol)
        assert response.status_code == 200, response.text
    return symbols


class TestWeightsAsOf:
    async def test_nothing_recorded_dates_nothing(self, api: httpx.AsyncClient) -> None:
        assert (await portfolio(api))["weights_as_of"] is None
        assert (await pairlist(api))["weights_as_of"] is None

    async def test_the_weights_are_dated_by_the_newest_audit_row(
        self, api: httpx.AsyncClient
    ) -> None:
        await hold(api, 3)
        trail = await history(api)
        newest, first = moment(trail[0]["occurred_at"]), moment(trail[-1]["occurred_at"])
        assert newest is not None and first is not None and newest > first
        _, held_at, _, listed_at = await dated_weights(api)
        assert held_at == listed_at == newest
        past = await portfolio(api, as_of=trail[-1]["occurred_at"])
        assert past["reconstructed"] is True and moment(past["weights_as_of"]) == first

    async def test_a_rescoring_changes_neither_the_weights_nor_their_date(
        self, api: httpx.AsyncClient
    ) -> None:
        await hold(api, 4)
        run_before = (await portfolio(api))["score_run_id"]
        before = await dated_weights(api)
        response = await api.post(f"{BASE}/scoring/calculate?wait=60", headers=TRADE)
        assert response.status_code == 200, response.text
        assert response.json()["id"] != run_before
        assert (await portfolio(api))["score_run_id"] == response.json()["id"]
        assert await dated_weights(api) == before

    async def test_a_rebalance_sets_the_weights_and_moves_their_date(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await hold(api, 6)
        weights, held_at, _, _ = await dated_weights(api)
        await set_config(session, "weighting_method", "equal")
        await set_config(session, "rebalance_threshold_pct", 0.01)
        response = await api.post(f"{PORTFOLIO}/rebalance", json={}, headers=TRADE)
        assert response.status_code == 200, response.text
        assert response.json()["changes_applied"] > 0
        rebalanced = (await history(api))[0]
        assert rebalanced["id"] == response.json()["history_id"]
        after, after_at, listed, listed_at = await dated_weights(api)
        assert after != weights and set(after) == set(symbols)
        assert held_at is not None and after_at is not None and after_at > held_at
        assert after_at == listed_at == moment(rebalanced["occurred_at"])
        assert sorted(listed.values()) == sorted(after.values())
