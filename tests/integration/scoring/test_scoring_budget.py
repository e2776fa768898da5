"""A scoring run's KuCoin weight: funding paid once, the plan, the record, the rotation."""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.gateway import KucoinGateway
from app.kucoin.transport import endpoint_name
from app.market.funding import FUNDING_LOOKBACK, next_settlement
from app.market.models import FundingSettlement, Symbol
from app.portfolio.holdings import PortfolioHoldings
from app.scoring.models import SymbolScore
from app.scoring.scoring_run import ScoringRunService
from tests.helpers import set_config
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import PINNED_NOW_MS, make_client, make_gateway

FUNDING = "/api/v1/contract/funding-rates"


@pytest.fixture
def sim_config() -> dict[str, Any]:
    # Half past an hour, and runs read at the simulator's time: no hour or settlement passes
    # between two runs unless a test moves the clock.
    return {"universe": 12, "start_time_ms": PINNED_NOW_MS}


@pytest.fixture
def gateway(sim: KucoinSimulator, http: aiohttp.ClientSession) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url, max_attempts=1, failure_threshold=1000))


def sim_now(sim: KucoinSimulator) -> datetime:
    return datetime.fromtimestamp(sim.clock.now(), tz=UTC)


async def score(session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator) -> Any:
    service = ScoringRunService(session, gateway, asyncio.Lock(), PortfolioHoldings())
    return await service.calculate(triggered_by="test", now=sim_now(sim))


async def stored_funding(session: AsyncSession) -> dict[str, list[datetime]]:
    rows = await session.execute(
        select(Symbol.symbol, FundingSettlement.settled_at)
        .join(Symbol, Symbol.id == FundingSettlement.symbol_id)
        .order_by(FundingSettlement.settled_at)
    )
    out: dict[str, list[datetime]] = {}
    for symbol, at in rows.all():
        out.setdefault(symbol, []).append(at)
    return out


def charged(sim: KucoinSimulator, since: int) -> Counter[str]:
    out: Counter[str] = Counter()
    for record in sim.requests[since:]:
        if record.weight:
            out[endpoint_name(record.path)] += record.weight
    return out


class TestFunding:
    async def test_settlements_are_stored_and_only_new_ones_fetched(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        first = await score(session, gateway, sim)
        assert first.exclusions["fetch_failures"] == {}
        assert sim.count(FUNDING) == 12  # 14 days each, once
        stored = await stored_funding(session)
        assert len(stored) == 12 and all(len(times) >= 14 * 3 for times in stored.values())
        # The scorer read exactly the stored settlements of its lookback.
        inputs = {v["symbol"]: v["funding_history"] for v in first.inputs["symbols"]}
        assert {s: len(v) for s, v in inputs.items()} == {
            s: sum(t >= sim_now(sim) - timedelta(days=14) for t in times)
            for s, times in stored.items()
        }

        mark = len(sim.requests)
        await score(session, gateway, sim)
        assert charged(sim, mark)["funding_history"] == 0  # nothing settled since

        sim.clock.advance(8 * 3600)
        mark = len(sim.requests)
        third = await score(session, gateway, sim)
        calls = [r for r in sim.requests[mark:] if r.path == FUNDING]
        assert len(calls) == 12
        last = {s: times[-1] for s, times in stored.items()}
        ids = {s.symbol: s.kucoin_symbol for s in (await session.scalars(select(Symbol))).all()}
        by_kucoin = {ids[s]: at for s, at in last.items()}
        for call in calls:  # each asks only after its last stored settlement
            expected = int(by_kucoin[call.query["symbol"]].timestamp() * 1000) + 1
            assert int(call.query["from"]) == expected
        after = await stored_funding(session)
        for symbol, times in after.items():
            new = [t for t in times if t > last[symbol]]
            assert new and len(new) <= 8  # 8 h: one settlement (8 h) to two (4 h) per contract
            assert times[: len(stored[symbol])] == stored[symbol]  # the old ones untouched
        assert third.spend["spent"]["weight_by_endpoint"]["funding_history"] == 12 * 5

    async def test_a_failed_fetch_is_asked_again_by_the_next_run(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        sim.faults.set("http_500", path=FUNDING, count=1)
        first = await score(session, gateway, sim)
        failed = [k for k in first.exclusions["fetch_failures"] if k.endswith(":funding")]
        assert len(failed) == 1
        symbol = failed[0].removesuffix(":funding")
        stored = await stored_funding(session)
        assert len(stored) == 11 and symbol not in stored

        mark = len(sim.requests)  # no time passes: only the failed contract is due
        second = await score(session, gateway, sim)
        calls = [r for r in sim.requests[mark:] if r.path == FUNDING]
        ids = {s.symbol: s.kucoin_symbol for s in (await session.scalars(select(Symbol))).all()}
        assert [call.query["symbol"] for call in calls] == [ids[symbol]]
        as_of = datetime.fromisoformat(second.inputs["as_of"])
        lookback_start = as_of - FUNDING_LOOKBACK  # asked for its whole lookback again
        assert int(calls[0].query["from"]) == int(lookback_start.timestamp() * 1000)
        after = await stored_funding(session)
        assert len(after) == 12 and len(after[symbol]) >= 14 * 3


class TestRecordedWeight:
    async def test_a_run_records_what_the_simulator_charged_and_what_it_planned(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        for _ in range(2):  # a first run and a steady one
            mark = len(sim.requests)
            run = await score(session, gateway, sim)
            assert run.exclusions["fetch_failures"] == {}
            spent = run.spend["spent"]
            assert spent["weight_by_endpoint"] == dict(charged(sim, mark))
            assert spent["weight"] == sum(r.weight for r in sim.requests[mark:])
            assert spent["limiter_wait_s"] == 0
            planned = run.spend["planned"]
            assert planned["weight_by_endpoint"] == spent["weight_by_endpoint"]
            assert planned["weight"] == spent["weight"]
        # Steady: books and the contract list only (no new hour, no settlement due).
        assert spent["weight_by_endpoint"] == {"contracts": 3, "book_snapshot": 12 * 3}

    async def test_limiter_waits_are_recorded(
        self, session: AsyncSession, http: aiohttp.ClientSession, sim: KucoinSimulator
    ) -> None:
        # A first run of 12 x (book 3 + two kline pages 6 + funding 5) + 3 = 171 over 100 / 10 s:
        # the limiter must hold the sends past the first 100 unless those took 10 s (a 1-s window,
        # and in a full CI run a 3-s one, passed by itself on a loaded machine, and nothing waited).
        sim.set_quota(100, 10.0)
        client = make_client(http, sim.base_url, quota=100, window_s=10.0, max_attempts=1)
        run = await score(session, make_gateway(client), sim)
        assert run.spend["spent"]["weight"] == sum(r.weight for r in sim.requests) == 171
        assert run.spend["spent"]["limiter_wait_s"] > 0
        assert not [r for r in sim.requests if r.status == 429]


class TestRotation:
    async def test_every_eligible_contract_is_scored_within_the_hour(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        await set_config(session, "scoring_shortlist", 3)
        await set_config(session, "max_portfolio_symbols", 1)  # 2 replacement candidates
        await set_config(session, "score_refresh_interval_s", 900)  # 4 runs an hour
        runs = []
        for _ in range(4):
            runs.append(await score(session, gateway, sim))
            sim.clock.advance(1)
        eligible = set((await session.scalars(select(Symbol.id).where(Symbol.is_eligible))).all())
        scored = set((await session.scalars(select(func.distinct(SymbolScore.symbol_id)))).all())
        assert eligible and scored == eligible
        first = runs[0].spend["planned"]
        core = set(runs[0].inputs["symbol_ids"]) - set(first["rotation"])
        # The shortlist (and the benchmark), then a quarter of the others, most traded first.
        assert len(first["rotation"]) == math.ceil((len(eligible) - len(core)) * 900 / 3600)
        rows = (await session.scalars(select(Symbol).where(Symbol.is_eligible))).all()
        rest = sorted(
            (s for s in rows if s.symbol not in core), key=lambda s: -(s.turnover_24h or 0)
        )
        assert first["rotation"] == [s.symbol for s in rest[: len(first["rotation"])]]
        # Later runs rotate to contracts not scored yet before re-scoring any.
        second = set(runs[1].spend["planned"]["rotation"])
        assert not second & set(first["rotation"])

    async def test_rotation_off_scores_the_shortlist_only(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        await set_config(session, "scoring_shortlist", 3)
        await set_config(session, "scoring_rotation", False)
        run = await score(session, gateway, sim)
        assert run.spend["planned"]["rotation"] == []
        assert run.exclusions["stage1"]["rotation"] == 0
        assert len(run.inputs["symbol_ids"]) == run.exclusions["stage1"]["shortlisted"]


class TestWeightBudget:
    async def test_new_settlements_wait_for_a_run_with_room_and_are_then_fetched(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        await set_config(session, "scoring_rotation", False)
        await score(session, gateway, sim)  # the first: 14 days each, whatever the budget
        before = await stored_funding(session)
        sim.clock.advance(8 * 3600)
        await set_config(session, "scoring_weight_budget", 0)
        mark = len(sim.requests)
        tight = await score(session, gateway, sim)
        planned = tight.spend["planned"]
        assert charged(sim, mark)["funding_history"] == 0
        assert sorted(planned["deferred_funding"]) == sorted(before) and planned["budget"] == 0
        # The core was still fetched whole: a new hour of candles and a book each.
        assert tight.spend["spent"]["weight_by_endpoint"]["book_snapshot"] == 12 * 3
        assert await stored_funding(session) == before
        await set_config(session, "scoring_weight_budget", 1000)
        mark = len(sim.requests)
        roomy = await score(session, gateway, sim)
        assert charged(sim, mark)["funding_history"] == 12 * 5
        assert roomy.spend["planned"]["deferred_funding"] == []
        after = await stored_funding(session)
        assert all(len(after[s]) > len(before[s]) for s in before)


class TestNextSettlement:
    LAST = datetime(2026, 11, 23, 8, tzinfo=UTC)
    EIGHT = timedelta(hours=8)

    def test_on_the_grid_after_the_last_one_and_what_was_asked(self) -> None:
        assert next_settlement(self.LAST, None, self.EIGHT) == self.LAST + self.EIGHT
        asked = self.LAST + timedelta(hours=9)  # asked after 16:00 found nothing yet
        assert next_settlement(self.LAST, asked, self.EIGHT) == self.LAST + 2 * self.EIGHT
        just_after = self.LAST + self.EIGHT + timedelta(seconds=5)  # may not be published yet
        assert next_settlement(self.LAST, just_after, self.EIGHT) == self.LAST + self.EIGHT

    def test_a_contract_without_settlements_is_asked_once_an_interval(self) -> None:
        asked = self.LAST + timedelta(hours=1)
        assert next_settlement(None, asked, self.EIGHT) == asked - timedelta(minutes=1) + self.EIGHT
        assert next_settlement(None, None, self.EIGHT) == datetime.min.replace(tzinfo=UTC)
