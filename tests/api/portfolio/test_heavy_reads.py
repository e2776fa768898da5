"""The heavy reads compute in the reads worker process (`app.platform.runtime.offload.READS`): a
read waits on that process, not on the service's, which answers meanwhile; and what the maths
refuses there reaches the caller whole, as the problem it was on a thread."""

from __future__ import annotations

import asyncio
import os
import signal

import httpx
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import Candle, Symbol
from app.platform.core.units import HOUR_MIN
from app.platform.runtime.offload import READS, in_worker
from tests.api.portfolio.test_operations import build
from tests.api.portfolio_calls import BASE, PORTFOLIO, READ, ranked
from tests.helpers import assert_problem, set_config


class TestHeavyReads:
    async def test_a_heavy_read_waits_on_the_reads_worker_while_the_service_answers(
        self, api: httpx.AsyncClient
    ) -> None:
        members = await build(api, (await ranked(api))[:4])
        worker = await in_worker(os.getpid, worker=READS)  # the app's: one per process
        assert worker != os.getpid()
        os.kill(worker, signal.SIGSTOP)
        try:
            reading = asyncio.ensure_future(
                api.get(f"{PORTFOLIO}/correlation", params={"window": 100}, headers=READ)
            )
            for _ in range(20):  # the read reaches the worker, which cannot answer while stopped
                assert (await api.get(f"{BASE}/health")).status_code == 200
                await asyncio.sleep(0.05)
            assert not reading.done()
        finally:
            os.kill(worker, signal.SIGCONT)
        response = await reading
        assert response.status_code == 200, response.text
        assert response.json()["symbols"] == members and response.json()["window_hours"] == 100

    async def test_risk_weights_without_a_members_candles_are_a_409_naming_it(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        members = await build(api, (await ranked(api))[:4])
        bare = members[2]
        bare_id = await session.scalar(select(Symbol.id).where(Symbol.symbol == bare))
        await session.execute(
            delete(Candle).where(Candle.symbol_id == bare_id, Candle.granularity_min == HOUR_MIN)
        )
        response = await api.get(f"{PORTFOLIO}/weights", params={"method": "hrp"}, headers=READ)
        body = assert_problem(response, 409, "insufficient-market-data")
        assert (body["common_hours"], body["without_candles"]) == (0, [bare])

    async def test_risk_weights_no_liquidity_cap_can_fit_are_a_409_naming_the_cap(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await build(api, (await ranked(api))[:4])
        await set_config(session, "liquidity_reference_balance_usdt", 1e12)  # every cap ~0 %
        response = await api.get(f"{PORTFOLIO}/weights", params={"method": "hrp"}, headers=READ)
        body = assert_problem(response, 409, "weights-infeasible")
        assert body["cap"] == "liquidity_cap"
