"""Figures computed from stored candles say where those came from: the portfolio's risk figures
on the simulator's candles say they are generated, from what the database recorded when they
were stored, not from the source the service reads now; a stored report without the record
reads as not recorded (tests/unit/lab/test_report_market_data.py)."""

from __future__ import annotations

import httpx
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.contracts.data_source import NOTES, SIMULATOR
from app.market.models import MarketDataSource
from tests.api.portfolio.test_operations import build
from tests.api.portfolio_calls import BASE, PORTFOLIO, READ, ranked

SIMULATED = {
    "sources": ["simulator"],
    "simulated": True,
    "note": NOTES[SIMULATOR],
}
NOT_RECORDED = {"sources": [], "simulated": False, "note": "source not recorded"}


async def metrics(api: httpx.AsyncClient) -> dict[str, object]:
    response = await api.get(f"{PORTFOLIO}/metrics", params={"window": 48}, headers=READ)
    assert response.status_code == 200, response.text
    return dict(response.json())


class TestRiskFigures:
    async def test_on_the_simulators_candles_they_say_they_are_generated(
        self, api: httpx.AsyncClient
    ) -> None:
        await build(api, (await ranked(api))[:3])
        body = await metrics(api)
        assert body["report"] is not None and body["market_data"] == SIMULATED

    async def test_they_follow_what_was_recorded_not_the_source_read_now(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await build(api, (await ranked(api))[:3])
        await session.execute(update(MarketDataSource).values(source="live"))
        assert (await metrics(api))["market_data"] == {
            "sources": ["live"],
            "simulated": False,
            "note": "computed from KuCoin's prices",
        }
        await session.execute(delete(MarketDataSource))
        assert (await metrics(api))["market_data"] == NOT_RECORDED

    async def test_the_correlation_says_so_too(self, api: httpx.AsyncClient) -> None:
        await build(api, (await ranked(api))[:3])
        response = await api.get(f"{PORTFOLIO}/correlation", params={"window": 48}, headers=READ)
        assert response.status_code == 200 and response.json()["market_data"] == SIMULATED

    async def test_the_ranking_says_where_its_run_read_candles_from(
        self, api: httpx.AsyncClient
    ) -> None:
        await ranked(api)
        response = await api.get(f"{BASE}/scoring/rankings", headers=READ)
        assert response.status_code == 200 and response.json()["market_data"] == SIMULATED

    async def test_weights_sizes_and_score_history_say_so_too(self, api: httpx.AsyncClient) -> None:
        members = await build(api, (await ranked(api))[:3])
        for path, params in (
            (f"{PORTFOLIO}/weights", {"method": "inverse_volatility"}),
            (f"{PORTFOLIO}/weights", {"method": "score"}),
            (f"{PORTFOLIO}/position-size", {"symbol": members[0], "account_balance": 10_000}),
            (f"{BASE}/scoring/symbol/{members[0]}/scores", {}),
        ):
            response = await api.get(path, params=params, headers=READ)
            assert response.status_code == 200, (path, response.text)
            assert response.json()["market_data"] == SIMULATED, (path, params)
        equal = await api.get(f"{PORTFOLIO}/weights", params={"method": "equal"}, headers=READ)
        assert equal.json()["market_data"] is None  # equal weights read no price

    async def test_without_members_there_is_no_figure_to_label(
        self, api: httpx.AsyncClient
    ) -> None:
        body = await metrics(api)
        assert body["report"] is None and body["market_data"] is None
