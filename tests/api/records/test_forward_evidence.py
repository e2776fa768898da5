"""The forward record over HTTP: `GET /evidence/live` is 404 before any record, 200 as soon as
the forward record exists (before its first mark, with no portfolio at all: `as_run` null),
and after the first hours are marked it shows the policy's shadow book from inception;
`GET /evidence/live/challengers` lists every registered challenger under the forward rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.records.forward_service import ForwardService
from app.records.keeping.challengers import CHALLENGERS
from app.records.keeping.forward_rule import MIN_DECISIONS
from tests.conftest import READ_KEY
from tests.factories import make_candles, make_symbol
from tests.helpers import assert_problem

LIVE = "/api/symbol-mgmt/evidence/live"
READ = {"X-API-Key": READ_KEY}
HOUR = timedelta(hours=1)
INCEPTION = datetime(2026, 11, 26, 12, tzinfo=UTC)


class TestForwardEvidence:
    async def test_404_before_any_record_then_200_from_the_record_on(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        assert_problem(await client.get(LIVE, headers=READ), 404, "not-found")

        await ForwardService(session).update(INCEPTION - HOUR / 2)  # the job's first run
        await session.flush()
        response = await client.get(LIVE, headers=READ)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["as_run"] is None  # no portfolio: the forward record stands alone
        forward = body["forward"]
        assert forward["inception"] == "2026-11-26T12:00:00Z"
        assert (forward["marked_to"], forward["hours_to_mark"], forward["books"]) == (None, 0, {})
        table = forward["challengers"]
        assert [c["name"] for c in table["verdicts"]] == [c.name for c in CHALLENGERS]
        assert table["rule"]["min_decisions"] == MIN_DECISIONS and table["adopt"] is None

        challengers = await client.get(f"{LIVE}/challengers", headers=READ)
        assert challengers.status_code == 200
        assert challengers.json() == table

    async def test_the_first_marked_hours_show_the_policy_book(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = [await make_symbol(session, base) for base in ("BTC", "ETH", "SOL")]
        start = INCEPTION - 30 * 24 * HOUR
        rng = np.random.default_rng(5)
        for symbol in symbols:
            closes = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 30 * 24 + 3)))
            await make_candles(session, symbol, closes.tolist(), start=start)
        await ForwardService(session, challengers=()).update(INCEPTION - HOUR / 2)
        await session.flush()
        marked = await ForwardService(session, challengers=()).update(INCEPTION + 2 * HOUR)
        assert (marked["hours"], marked["to"]) == (3, (INCEPTION + 2 * HOUR).isoformat())

        forward = (await client.get(LIVE, headers=READ)).json()["forward"]
        assert forward["marked_to"] == "2026-11-26T14:00:00Z"
        policy = forward["books"]["policy"]
        assert policy["from"] == "2026-11-26T12:00:00Z"
        assert policy["trades"] == 1  # decided at inception, traded an hour later
        assert [point[1] for point in forward["equity"]["policy"]][:2] == [1.0, 1.0]
        baselines = {"btc_hold", "equal_weight", "top_volume", "momentum", "random"}
        assert set(forward["books"]) == {"policy", *baselines}
        for name in baselines:  # in cash until their first decision, at 00:00 UTC
            assert (forward["books"][name]["trades"], forward["books"][name]["total_return"]) == (
                0,
                0.0,
            )
