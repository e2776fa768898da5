"""Autopilot (the runtime setting `autopilot`, off by default): with it on, each scheduled scoring
run (the `score_refresh` job) applies the policy to the real portfolio, as actor `autopilot`:
the confirmed replacements, the vacancies filled from the ranking within the correlation limit,
the rebalance past its threshold. With it off, replacements stay proposals and the portfolio is
left as it is.

The replacement and rebalance cases run the autopilot's pass after scoring runs written here
(their composites chosen, an hour apart), on the module's scored symbols and candles."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import numpy as np
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.db.models import EventOutbox, PortfolioHistory, ScoringRun, Symbol
from app.db.repositories.portfolio import PortfolioRepository
from app.db.repositories.scoring import COMPOSITE, ScoringRepository
from app.policy.replacement import CorrelationTable
from app.policy.selection import fill_vacancies
from app.portfolio.correlation import pairwise_correlation
from app.services.factory import Services
from app.services.portfolio.autopilot import AutopilotPass
from app.services.portfolio.config import load_portfolio_config
from app.services.portfolio.market import hourly_log_returns
from app.services.portfolio.weights import effective_bounds
from app.services.system.runtime_settings import SETTINGS, read_setting
from tests.api.portfolio.helpers import ADMIN, BASE, add, ranked
from tests.factories import make_member, make_run
from tests.helpers import assert_problem, set_config

REFRESH = f"{BASE}/jobs/score_refresh/run"
HOUR = timedelta(hours=1)
HELD = timedelta(days=2)
# Any lead, however short, held or not, however correlated, confirmed by one run: a replacement
# is due at once.
RELAXED = {
    "min_holding_hours": 0,
    "replacement_margin": 0,
    "replacement_confirmation_hours": 0,
    "correlation_limit": 1.0,
}


async def refresh(api: httpx.AsyncClient) -> dict[str, Any]:
    """One score_refresh job run; its result."""
    response = await api.post(REFRESH, params={"wait": 60}, headers=ADMIN)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "succeeded", body
    return dict(body["result"])


async def audit_rows(session: AsyncSession) -> list[PortfolioHistory]:
    query = select(PortfolioHistory).order_by(PortfolioHistory.id)
    return list((await session.scalars(query)).all())


async def members(session: AsyncSession) -> list[str]:
    """The active members by rank."""
    return [r.symbol.symbol for r in await PortfolioRepository(session).active()]


async def symbols(session: AsyncSession, names: list[str]) -> list[Symbol]:
    rows = {s.symbol: s for s in (await session.scalars(select(Symbol))).all()}
    return [rows[name] for name in names]


class TestSetting:
    async def test_is_off_by_default_and_switched_on_through_the_configuration_api(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        listed = (await api.get(f"{BASE}/config", headers=ADMIN)).json()["settings"]
        item = next(s for s in listed if s["key"] == "autopilot")
        assert (item["value"], item["default"], item["type"]) == (False, False, "boolean")
        assert item["description"] == SETTINGS["autopilot"].description
        response = await api.put(
            f"{BASE}/config", json={"values": {"autopilot": True}}, headers=ADMIN
        )
        assert response.status_code == 200, response.text
        assert response.json()["changed"] == [{"key": "autopilot", "old": False, "new": True}]
        assert await read_setting(session, "autopilot") is True


class TestOff:
    async def test_a_scoring_run_changes_no_member_and_writes_no_audit_row(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        top = await ranked(api)
        for name in top[-2:]:  # the weakest two: the best outsiders lead them
            assert (await add(api, name)).status_code == 200
        await configure(session, **RELAXED)
        before = [(r.id, r.action) for r in await audit_rows(session)]
        result = await refresh(api)
        assert await members(session) == top[-2:]
        assert [(r.id, r.action) for r in await audit_rows(session)] == before
        # The replacements the run justifies stay proposals.
        assert "autopilot" not in result
        assert result["replacements_proposed"]
        proposed = await session.scalar(
            select(func.count())
            .select_from(EventOutbox)
            .where(EventOutbox.kind == "replacement_proposed")
        )
        assert proposed == len(result["replacements_proposed"])


class TestFill:
    async def test_one_run_fills_an_empty_portfolio_from_the_ranking_within_the_limit(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await set_config(session, "autopilot", True)
        await set_config(session, "correlation_limit", 0.2)  # low: it passes outsiders over
        result = await refresh(api)
        held = await members(session)
        config = await load_portfolio_config(session)
        assert 1 <= len(held) <= config.max_symbols
        # The pure rule on the run's ranking and the stored returns picks the same symbols.
        scores = await ScoringRepository(session).component_scores([result["run_id"]], COMPOSITE)
        by_id = {s.id: s for s in (await session.scalars(select(Symbol))).all()}
        composite = {i: float(row.score) for i, row in scores[result["run_id"]].items()}
        best_first = sorted(
            (by_id[i] for i in composite if by_id[i].status == "Open" and by_id[i].is_eligible),
            key=lambda s: (-composite[s.id], s.symbol),
        )
        returns = await hourly_log_returns(
            session, best_first, config.correlation_window_hours, utcnow()
        )
        corr = pairwise_correlation(returns)
        table = CorrelationTable([s.id for s in best_first], corr)
        chosen = fill_vacancies(
            [], [s.id for s in best_first], table,
            places=config.max_symbols, correlation_limit=config.correlation_limit,
        )  # fmt: skip
        assert held == [by_id[i].symbol for i in chosen]
        assert held[0] == best_first[0].symbol
        # No two members at or above the limit.
        rows = [k for k, s in enumerate(best_first) if s.symbol in held]
        pairs = corr[np.ix_(rows, rows)][~np.eye(len(rows), dtype=bool)]
        assert np.nanmax(pairs, initial=-1.0) < config.correlation_limit
        # One add per member, each audited as the autopilot's, with its reason.
        rows_added = await audit_rows(session)
        assert [(r.action, r.symbol, r.new_rank, r.actor) for r in rows_added] == [
            ("add", name, rank, "autopilot") for rank, name in enumerate(held, start=1)
        ]
        assert all(
            r.reason is not None and r.reason.startswith("autopilot: vacancy filled from")
            for r in rows_added
        )
        assert result["autopilot"]["added"] == [
            {"symbol": r.symbol, "rank": r.new_rank, "history_id": r.id} for r in rows_added
        ]
        weights = [r.member.weight for r in await PortfolioRepository(session).active()]
        assert abs(sum(weights) - Decimal(100)) <= Decimal("0.01")
        low, high, _ = effective_bounds(len(held), config)
        step = Decimal("0.0001")  # 4 decimals summing to 100 may round one step past 100 / n
        assert all(Decimal(str(low)) - step <= w <= Decimal(str(high)) + step for w in weights)

    async def test_a_full_portfolio_is_left_as_it_is(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        top = await ranked(api)
        await set_config(session, "max_portfolio_symbols", 2)
        for name in top[:2]:
            assert (await add(api, name)).status_code == 200
        await set_config(session, "autopilot", True)
        before = len(await audit_rows(session))
        result = await refresh(api)
        assert await members(session) == top[:2]
        assert result["autopilot"]["added"] == []
        assert result["autopilot"]["replaced"] == []  # held 0 of the 24 h
        assert len(await audit_rows(session)) == before


@pytest.fixture
async def top(api: httpx.AsyncClient) -> list[str]:
    """The module's scoring run's ranking, best first."""
    return await ranked(api)


@pytest.fixture
async def autopilot(sim_app: FastAPI, top: list[str], session: AsyncSession) -> Services:
    """The app's services on the test's session, the autopilot on, the module's scoring run
    set aside (the runs the tests write are the only ones), the data fresh for a week."""
    await session.execute(update(ScoringRun).values(status="failed"))
    await set_config(session, "autopilot", True)
    await set_config(session, "stale_data_limit_s", 7 * 86_400)
    return Services(session, sim_app.state.app_state)


async def configure(session: AsyncSession, **values: object) -> None:
    for key, value in values.items():
        await set_config(session, key, value)


async def pass_after(
    services: Services, composites: dict[Symbol, float], at: timedelta
) -> AutopilotPass:
    """A scoring run `at` before now with these composites, then the autopilot's pass."""
    run = await make_run(services.session, composites, started_at=utcnow() - at)
    return await services.autopilot.apply(run)


class TestReplacement:
    async def test_a_replacement_is_executed_once_its_lead_covers_the_hours(
        self, top: list[str], session: AsyncSession, autopilot: Services
    ) -> None:
        strong, weak, outsider = await symbols(session, top[:3])
        await make_member(session, 1, symbol=strong, weight=50, included_at=utcnow() - HELD)
        await make_member(session, 2, symbol=weak, weight=50, included_at=utcnow() - HELD)
        await configure(
            session, max_portfolio_symbols=2, weighting_method="equal", replacement_candidates=1,
            replacement_margin=5, replacement_confirmation_hours=2, correlation_limit=1.0,
        )  # fmt: skip
        scores = {strong: 80.0, weak: 50.0, outsider: 60.0}  # OUT leads WEAK by 10
        first = await pass_after(autopilot, scores, 2 * HOUR)
        second = await pass_after(autopilot, scores, HOUR)
        for done in (first, second):  # 0 h, then 1 h of the 2 h
            assert done.replaced == []
            [blocked] = done.blocked
            assert (blocked["member"], blocked["outsider"]) == (weak.symbol, outsider.symbol)
            assert "of the 2 h required" in blocked["blocking"][0]
        assert await audit_rows(session) == []
        third = await pass_after(autopilot, scores, timedelta(0))
        [row] = await audit_rows(session)
        assert (row.action, row.symbol, row.replaced_symbol, row.new_rank, row.actor) == (
            "replace", outsider.symbol, weak.symbol, 2, "autopilot",
        )  # fmt: skip
        assert row.reason is not None
        assert row.reason.startswith(
            f"autopilot: replacement confirmed: {weak.symbol} is among the bottom 1 members by "
            f"composite; {outsider.symbol} leads by at least 5 points in every scoring run over "
            "the last 2 h; highest correlation with the remaining members "
        )
        assert row.reason.endswith(" < 1")
        assert third.replaced == [
            {"member": weak.symbol, "outsider": outsider.symbol, "lead": 10.0,
             "history_id": row.id}
        ]  # fmt: skip
        assert await members(session) == [strong.symbol, outsider.symbol]


class TestRebalance:
    async def test_weights_move_only_past_the_threshold(
        self, top: list[str], session: AsyncSession, autopilot: Services
    ) -> None:
        first, second = await symbols(session, top[:2])
        await make_member(session, 1, symbol=first, weight=50, included_at=utcnow() - HELD)
        await make_member(session, 2, symbol=second, weight=50, included_at=utcnow() - HELD)
        await configure(
            session, max_portfolio_symbols=2, weighting_method="score", max_position_weight=100,
            rebalance_threshold_pct=1.0,
        )  # fmt: skip
        # Targets 50.4 / 49.6: 0.4 points from the weights, under the threshold.
        done = await pass_after(autopilot, {first: 50.4, second: 49.6}, HOUR)
        assert done.rebalance_history_id is None
        assert await audit_rows(session) == []
        # Targets 52 / 48: 2 points away.
        done = await pass_after(autopilot, {first: 52.0, second: 48.0}, timedelta(0))
        [row] = await audit_rows(session)
        assert done.rebalance_history_id == row.id
        assert (row.action, row.actor) == ("rebalance", "autopilot")
        run_id = done.scoring_run_id
        assert row.reason == (
            f"autopilot: a target weight moved past 1 points after scoring run {run_id}"
        )
        weights = {
            r.symbol.symbol: r.member.weight for r in await PortfolioRepository(session).active()
        }
        assert weights == {first.symbol: Decimal("52"), second.symbol: Decimal("48")}


class TestFailure:
    async def test_a_failed_pass_is_undone_and_degrades_the_run_the_scores_kept(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await set_config(session, "autopilot", True)
        # A liquidity cap no weights can meet: the first add is refused (weights-infeasible).
        await set_config(session, "liquidity_reference_balance_usdt", 1e12)
        response = await api.post(REFRESH, params={"wait": 60}, headers=ADMIN)
        body = assert_problem(response, 409, "weights-infeasible")
        run = (await api.get(str(body["run_url"]), headers=ADMIN)).json()
        assert run["status"] == "degraded"
        assert run["problem"]["scoring_run_id"] == run["result"]["run_id"]
        assert "autopilot" not in run["result"]
        scoring = await session.get(ScoringRun, run["result"]["run_id"])
        assert scoring is not None and scoring.status == "completed" and scoring.scored_count
        assert await members(session) == []
        assert await audit_rows(session) == []
