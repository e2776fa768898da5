"""The portfolio as freqtrade's RemotePairList."""

from __future__ import annotations

import httpx

from tests.api.portfolio.helpers import BASE, READ, add, ranked
from tests.conftest import READ_KEY
from tests.helpers import assert_problem


class TestPairlist:
    async def test_members_by_rank_in_ccxt_form_with_the_refresh_period(
        self, api: httpx.AsyncClient
    ) -> None:
        symbols = (await ranked(api))[:3]
        for symbol in [*symbols, "BTCUSDT"]:
            await add(api, symbol)
        body = (await api.get(f"{BASE}/pairlist", headers=READ)).json()
        expected = [
            f"{s.removesuffix('USDT')}/USDT:USDT" for s in dict.fromkeys([*symbols, "BTCUSDT"])
        ]
        assert body == {"pairs": expected, "refresh_period": 900}

    async def test_an_empty_portfolio_is_an_empty_list(self, api: httpx.AsyncClient) -> None:
        body = (await api.get(f"{BASE}/pairlist", headers=READ)).json()
        assert body["pairs"] == []

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
