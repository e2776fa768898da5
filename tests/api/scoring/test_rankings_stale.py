"""After a scoring run that scored nothing, the rankings still show the older run's scores, and
say so: `stale` with why (they said `stale: false`, as if the newest word)."""

from __future__ import annotations

import httpx

from tests.api.portfolio_calls import BASE, READ, TRADE
from tests.api.scored_market import connection, scored, sim_config
from tests.helpers import assert_problem
from tests.kucoin_sim.app import KucoinSimulator

__all__ = ["connection", "scored", "sim_config"]

RANKINGS = f"{BASE}/scoring/rankings"


async def rankings(api: httpx.AsyncClient) -> dict[str, object]:
    response = await api.get(RANKINGS, headers=READ)
    assert response.status_code == 200, response.text
    return dict(response.json())


class TestRankingsAfterARunThatScoredNothing:
    async def test_the_older_run_s_scores_are_marked_stale_with_why(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        before = await rankings(api)
        assert before["stale"] is False
        sim.faults.set("http_500", status=503)  # every request, until cleared
        failed = await api.post(f"{BASE}/scoring/calculate", params={"wait": 60}, headers=TRADE)
        assert_problem(failed, 503, "exchange-unavailable")
        after = await rankings(api)
        assert after["run_id"] == before["run_id"] and after["items"] == before["items"]
        assert after["stale"] is True  # was false
        assert before["stale_reason"] is None
        reason = str(after["stale_reason"])
        assert "scored nothing" in reason and "universe sync: exchange-unavailable" in reason
        assert "older run" in reason
