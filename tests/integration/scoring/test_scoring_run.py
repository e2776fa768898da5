"""Scoring runs against the simulator: persisted runs, scores and breakdowns; gate; replay."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.kucoin.gateway import KucoinGateway
from app.market.models import Symbol
from app.portfolio.holdings import PortfolioHoldings
from app.records.keeping.family import WEIGHED as COMPONENTS  # the seeded rows
from app.scoring.models import ScoringAlgorithm, SymbolScore
from app.scoring.repository import SCORING_LOCK_KEY
from app.scoring.scoring_run import ScoringInProgress, ScoringRunService
from app.scoring.service import ScoringService
from tests.factories import make_member, weigh_every_component
from tests.helpers import set_config
from tests.kucoin_sim.app import KucoinSimulator
from tests.plugins import TOY, toy_plugin
from tests.sim_fixtures import live_clock_ms, make_client, make_gateway

HOUR_MS = 3_600_000
SESSION_TRADED = {"SIMEQAUSDTM": "equity", "SIMCMAUSDTM": "commodity"}


@pytest.fixture
def sim_config() -> dict[str, Any]:
    # The simulator's clock runs at real time, so book timestamps are as fresh as KuCoin's.
    return {"universe": 12, "start_time_ms": live_clock_ms()}


@pytest.fixture
def gateway(sim: KucoinSimulator, http: aiohttp.ClientSession) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url, max_attempts=1, failure_threshold=1000))


def runner(session: AsyncSession, gateway: KucoinGateway) -> ScoringRunService:
    return ScoringRunService(session, gateway, asyncio.Lock(), PortfolioHoldings())


async def scores_by_symbol(session: AsyncSession, run_id: int) -> dict[str, dict[str, SymbolScore]]:
    rows = await session.execute(
        select(SymbolScore, Symbol.symbol)
        .join(Symbol, Symbol.id == SymbolScore.symbol_id)
        .where(SymbolScore.run_id == run_id)
    )
    out: dict[str, dict[str, SymbolScore]] = {}
    for score, symbol in rows.all():
        out.setdefault(symbol, {})[score.component] = score
    return out


def sim_hour_ms(sim: KucoinSimulator) -> int:
    return sim.clock.now_ms() // HOUR_MS * HOUR_MS


class TestRun:
    async def test_the_default_scores_the_risk_component_alone(
        self, session: AsyncSession, gateway: KucoinGateway
    ) -> None:
        run = await runner(session, gateway).calculate(triggered_by="test")
        assert run.config["weights"] == {
            "technical": 0.0,
            "fundamental": 0.0,
            "market_structure": 0.0,
            "risk": 1.0,
        }
        scores = await scores_by_symbol(session, run.id)
        assert len(scores) == 12
        for rows in scores.values():
            assert set(rows) == {"composite", *COMPONENTS}  # scored, for the signal agents
            assert rows["composite"].score == rows["risk"].score  # the others weigh nothing
            assert rows["composite"].breakdown["weights"]["risk"] == 1.0

    async def test_persists_run_scores_and_breakdowns(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        await weigh_every_component(session)
        run = await runner(session, gateway).calculate(triggered_by="test")
        assert run.status == "completed" and run.finished_at is not None
        assert (run.universe_size, run.scored_count, run.excluded_count) == (12, 12, 0)
        assert run.data_source == sim.base_url and run.config_hash and run.duration_ms
        assert run.exclusions["stage1"] == {
            "universe": 12,
            "eligible": 12,
            "shortlisted": 12,
            "rotation": 0,
        }
        scores = await scores_by_symbol(session, run.id)
        assert len(scores) == 12
        for rows in scores.values():
            assert set(rows) == {"composite", *COMPONENTS}
            composite = rows["composite"]
            weights = composite.breakdown["weights"]
            expected = sum(float(rows[c].score) * weights[c] for c in COMPONENTS)
            assert float(composite.score) == pytest.approx(expected, abs=1e-3)
            for component in COMPONENTS:
                metrics = rows[component].breakdown["metrics"]
                assert {"name", "raw", "normalised", "weight", "contribution"} <= set(metrics[0])
                total = sum(m["contribution"] for m in metrics)
                assert float(rows[component].score) == pytest.approx(total, abs=1e-3)
        # First run: no previous open interest, so exactly one fundamental metric is missing.
        assert {float(r["composite"].confidence) for r in scores.values()} == {
            round(1 - 0.25 / 6, 4)
        }

    async def test_a_plugin_is_scored_and_stored_in_the_breakdowns_like_a_built_in(
        self, session: AsyncSession, gateway: KucoinGateway
    ) -> None:
        await weigh_every_component(session)
        with toy_plugin():
            run = await runner(session, gateway).calculate(triggered_by="test")
        scores = await scores_by_symbol(session, run.id)
        for rows in scores.values():
            metrics = {m["name"]: m for m in rows["technical"].breakdown["metrics"]}
            toy = metrics[TOY]
            assert toy["weight"] == 1.0 and 0 < toy["raw"] <= 1  # close over the 24 h high
            assert 0 <= toy["normalised"] <= 100
            total = sum(m["contribution"] for m in metrics.values())
            assert float(rows["technical"].score) == pytest.approx(total, abs=1e-3)

    async def test_a_second_run_measures_open_interest_change(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        await weigh_every_component(session)
        service = runner(session, gateway)
        first = await service.calculate(triggered_by="test")
        sim.clock.advance(3600)
        second = await service.calculate(triggered_by="test")
        # Read back out of the first run's stored inputs, to the bit.
        assert first.inputs is not None and second.inputs is not None
        stored = {v["symbol"]: v["open_interest_usdt"] for v in first.inputs["symbols"]}
        previous = {v["symbol"]: v["previous_open_interest_usdt"] for v in second.inputs["symbols"]}
        assert previous == stored and None not in stored.values()
        scores = await scores_by_symbol(session, second.id)
        assert {float(r["composite"].confidence) for r in scores.values()} == {1.0}
        metrics = {m["name"]: m for m in scores["BTCUSDT"]["fundamental"].breakdown["metrics"]}
        assert metrics["open_interest_change"]["raw"] is not None

    async def test_gate_excludes_with_reason_codes_and_never_scores_them(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        now = sim_hour_ms(sim)
        sim.drop_candles("SIM001USDTM", now - 400 * HOUR_MS, now - 380 * HOUR_MS)  # 21 missing
        sim.drop_candles("SIM002USDTM", now - 900 * HOUR_MS, now - 100 * HOUR_MS)  # 99 left
        run = await runner(session, gateway).calculate(triggered_by="test")
        # SIM002's 99 candles hold four weekday nights at most, whatever the weekday today: too
        # few for the session rule (five), which comes first (a contract of unknown category is
        # excluded while any category is). 149 held five on a Sunday, and the rule decided.
        assert run.exclusions["symbols"] == {
            "SIM001USDT": "CANDLE_GAPS",
            "SIM002USDT": "excluded:category:unknown",
        }
        assert run.exclusions["by_reason"] == {"CANDLE_GAPS": 1, "excluded:category:unknown": 1}
        assert (run.scored_count, run.excluded_count) == (10, 2)
        assert not {"SIM001USDT", "SIM002USDT"} & set(await scores_by_symbol(session, run.id))

    async def test_a_member_that_left_open_is_explained_not_dropped(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        service = runner(session, gateway)
        await service.calculate(triggered_by="test")
        eth = await session.scalar(select(Symbol).where(Symbol.symbol == "ETHUSDT"))
        assert eth is not None
        await make_member(session, 1, symbol=eth, weight=100)
        sim.delist("ETHUSDTM", status="Paused")
        run = await service.calculate(triggered_by="test")
        assert run.exclusions["symbols"]["ETHUSDT"] == "NOT_OPEN"

    async def test_kucoin_down_scores_nothing_and_invents_nothing(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        service = runner(session, gateway)
        first = await service.calculate(triggered_by="test")
        sim.faults.set("http_500")
        second = await service.calculate(triggered_by="test")
        assert second.scored_count == 0
        assert second.exclusions["by_reason"] == {"STALE_TICKER": 12}
        assert second.exclusions["universe_sync"] == "exchange-unavailable"
        rankings = await ScoringService(session, gateway).rankings(limit=5)
        assert rankings.run_id == first.id  # the last good scores, with their age
        assert rankings.data_age_s >= 0


class TestReproducibility:
    async def test_rescoring_a_stored_run_gives_identical_numbers(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        service = runner(session, gateway)
        run = await service.calculate(triggered_by="test")
        sim.clock.advance(2 * 3600)  # later candles exist now; the replay must ignore them
        await service.calculate(triggered_by="test")
        replay = await service.rescore(run.id)
        stored = await scores_by_symbol(session, run.id)
        assert {s.symbol for s in replay.scores} == set(stored)
        for score in replay.scores:
            rows = stored[score.symbol]
            assert Decimal(str(round(score.composite, 4))) == rows["composite"].score
            for name, part in score.components.items():
                assert part.score is not None
                assert Decimal(str(round(part.score, 4))) == rows[name].score
                assert [m.to_json() for m in part.metrics] == rows[name].breakdown["metrics"]

    async def test_new_weights_change_the_next_run_not_the_stored_one(
        self, session: AsyncSession, gateway: KucoinGateway
    ) -> None:
        await weigh_every_component(session)
        service = runner(session, gateway)
        first = await service.calculate(triggered_by="test")
        stored = await scores_by_symbol(session, first.id)
        before = {s: float(r["composite"].score) for s, r in stored.items()}
        await session.execute(
            update(ScoringAlgorithm)
            .where(ScoringAlgorithm.name == "technical")
            .values(weight=Decimal("0.5"))
        )
        await session.execute(
            update(ScoringAlgorithm)
            .where(ScoringAlgorithm.name == "risk")
            .values(weight=Decimal("0"))
        )
        second = await service.calculate(triggered_by="test")
        assert second.config_hash != first.config_hash
        after = await scores_by_symbol(session, second.id)
        stored_again = await scores_by_symbol(session, first.id)
        assert {s: float(r["composite"].score) for s, r in stored_again.items()} == before
        for rows in after.values():
            assert "risk" in rows  # weight 0: scored, weighing nothing
            technical, fundamental, structure = (
                float(rows[c].score) for c in ("technical", "fundamental", "market_structure")
            )
            expected = 0.5 * technical + 0.25 * fundamental + 0.25 * structure
            assert float(rows["composite"].score) == pytest.approx(expected, abs=1e-3)


class TestConcurrency:
    async def test_a_run_in_progress_here_is_409(
        self, session: AsyncSession, gateway: KucoinGateway
    ) -> None:
        lock = asyncio.Lock()
        async with lock:
            with pytest.raises(ScoringInProgress):
                await ScoringRunService(session, gateway, lock, PortfolioHoldings()).calculate(
                    triggered_by="test"
                )

    async def test_a_run_on_another_replica_is_409(
        self, session: AsyncSession, gateway: KucoinGateway, engine: AsyncEngine, backend: str
    ) -> None:
        if backend != "postgresql":
            pytest.skip("SQLite runs one process: the in-process lock is the whole story")
        async with engine.connect() as other:
            await other.execute(select(func.pg_advisory_xact_lock(SCORING_LOCK_KEY)))
            with pytest.raises(ScoringInProgress, match="another replica"):
                await runner(session, gateway).calculate(triggered_by="test")
            await other.rollback()


class TestSessionTraded:
    """Perpetuals on session-traded underlyings under tickers no table knows, whose rows carry no
    assetClass: the session rule on their stored candles keeps them out of every run."""

    @pytest.fixture
    def sim_config(self) -> dict[str, Any]:
        return {"universe": 12, "start_time_ms": live_clock_ms(), "session_traded": SESSION_TRADED}

    async def test_session_traded_contracts_under_unknown_tickers_are_never_scored(
        self, session: AsyncSession, gateway: KucoinGateway
    ) -> None:
        """No table knows SIMEQA or SIMCMA, and their rows carry no assetClass: the session rule
        on their stored candles excludes them, and says so on the symbol."""
        run = await runner(session, gateway).calculate(triggered_by="test")
        excluded = run.exclusions["symbols"]
        session_codes = {"excluded:category:equity", "excluded:category:commodity"}
        assert {excluded["SIMEQAUSDT"], excluded["SIMCMAUSDT"]} <= session_codes  # the kind aside
        assert not {"SIMEQAUSDT", "SIMCMAUSDT"} & set(await scores_by_symbol(session, run.id))
        assert len(await scores_by_symbol(session, run.id)) == 12
        stock = await session.scalar(select(Symbol).where(Symbol.symbol == "SIMEQAUSDT"))
        assert stock is not None and stock.category_data in ("equity", "commodity")
        stored = {v["symbol"]: v["data_category"] for v in run.inputs["symbols"]}
        assert stored["SIMEQAUSDT"] == stock.category_data and stored["BTCUSDT"] == "crypto"

    async def test_without_the_exclusion_they_are_scored(
        self, session: AsyncSession, gateway: KucoinGateway
    ) -> None:
        """The control: the test above could fail."""
        await set_config(session, "excluded_categories", [])
        run = await runner(session, gateway).calculate(triggered_by="test")
        assert {"SIMEQAUSDT", "SIMCMAUSDT"} <= set(await scores_by_symbol(session, run.id))
