"""Portfolio operations over HTTP: target weights, position sizing and rebalancing."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import numpy as np
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from app.market.models import Symbol
from app.platform.core.clock import utcnow
from app.portfolio.models import PortfolioHistory, PortfolioMember
from app.scoring.models import ScoringRun
from app.scoring.scorers.assemble import assemble
from app.scoring.scorers.components import market_structure
from app.scoring.scoring_run import symbol_values
from tests.api.portfolio_calls import (
    ADMIN,
    BASE,
    PORTFOLIO,
    READ,
    TRADE,
    add,
    history,
    portfolio,
    ranked,
)
from tests.helpers import assert_problem, set_config

METHODS = ["score", "equal", "inverse_volatility", "risk_parity", "hrp"]


async def build(api: httpx.AsyncClient, symbols: list[str]) -> list[str]:
    for symbol in symbols:
        response = await add(api, symbol)
        assert response.status_code == 200, response.text
    return symbols


async def member_weights(api: httpx.AsyncClient) -> dict[str, Decimal]:
    return {m["symbol"]: Decimal(str(m["weight"])) for m in (await portfolio(api))["members"]}


async def contract(api: httpx.AsyncClient, symbol: str) -> dict[str, Any]:
    response = await api.get(f"{BASE}/symbols/{symbol}", headers=READ)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def depth_usdt(session: AsyncSession, symbol: str) -> float:
    """The depth_usdt the market-structure component measures on the latest run's stored book
    (the default weighs risk alone, so no score row carries it: the cap reads the books)."""
    run = await session.scalar(
        select(ScoringRun).options(undefer(ScoringRun.inputs)).order_by(ScoringRun.id.desc())
    )
    assert run is not None and run.inputs is not None
    (values,) = [v for v in symbol_values(run.inputs) if v.symbol == symbol]
    book = assemble([values], np.empty((0, 7)), 0, 1)
    params = run.config["parameters"]["market_structure"]
    (metric,) = [m for m in market_structure(book, params) if m.name == "depth_usdt"]
    return float(metric.raw[0])


async def weights(api: httpx.AsyncClient, method: str | None = None) -> dict[str, Any]:
    params = {} if method is None else {"method": method}
    response = await api.get(f"{PORTFOLIO}/weights", params=params, headers=READ)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def rebalance(api: httpx.AsyncClient, headers: dict[str, str] = TRADE, **body: Any) -> Any:
    response = await api.post(f"{PORTFOLIO}/rebalance", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def rebalance_rows(session: AsyncSession) -> list[PortfolioHistory]:
    query = select(PortfolioHistory).where(PortfolioHistory.action == "rebalance")
    return list((await session.scalars(query.order_by(PortfolioHistory.id))).all())


async def db_weights(session: AsyncSession) -> dict[str, Decimal]:
    query = (
        select(Symbol.symbol, PortfolioMember.weight)
        .join(Symbol, Symbol.id == PortfolioMember.symbol_id)
        .where(PortfolioMember.status == "active")
    )
    return {symbol: weight for symbol, weight in (await session.execute(query)).all()}


def lots(notional: float, multiplier: float, price: float, lot: int) -> int:
    return math.floor(notional / (multiplier * price) / lot + 1e-9) * lot


class TestWeights:
    async def test_every_method_sums_to_100_within_the_caps(self, api: httpx.AsyncClient) -> None:
        members = await build(api, (await ranked(api))[:6])
        for method in METHODS:
            body = await weights(api, method)
            assert (body["method"], body["relaxed_caps"]) == (method, [])
            assert list(body["weights"]) == members
            values = [Decimal(str(w)) for w in body["weights"].values()]
            assert sum(values) == Decimal(100), method
            assert all(Decimal(2) <= w <= Decimal(25) for w in values), body
            assert all(w == w.quantize(Decimal("0.0001")) for w in values), body
            if method == "equal":  # the leftover steps go to the first members
                assert values == [Decimal("16.6667")] * 4 + [Decimal("16.6666")] * 2
            if method in ("inverse_volatility", "risk_parity", "hrp"):
                volatility = body["inputs"]["volatility_annualised"]
                assert list(volatility) == members and min(volatility.values()) > 0

    async def test_three_members_relax_the_max_cap_to_an_equal_third(
        self, api: httpx.AsyncClient
    ) -> None:
        await build(api, (await ranked(api))[:3])
        body = await weights(api, "equal")
        assert body["relaxed_caps"] == ["max_position_weight"]
        assert list(body["weights"].values()) == [33.3334, 33.3333, 33.3333]
        assert body["inputs"]["effective_bounds_pct"] == {"min": 2.0, "max": 33.333333}

    async def test_the_configured_method_is_the_default(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await build(api, (await ranked(api))[:4])
        assert (await weights(api))["method"] == "score"
        await set_config(session, "weighting_method", "equal")
        body = await weights(api)
        assert body["method"] == "equal" and set(body["weights"].values()) == {25.0}

    async def test_an_unknown_method_is_422(self, api: httpx.AsyncClient) -> None:
        response = await api.get(f"{PORTFOLIO}/weights", params={"method": "magic"}, headers=READ)
        body = assert_problem(response, 422, "validation-error")
        assert [e["field"] for e in body["errors"]] == ["method"]

    async def test_a_binding_liquidity_cap_holds_and_is_reported(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await ranked(api)
        depth = {s: await depth_usdt(session, s) for s in symbols}
        by_depth = sorted(symbols, key=depth.__getitem__)
        thin, deep = by_depth[0], by_depth[-5:]
        assert all(depth[s] >= 2 * depth[thin] for s in deep)  # their caps stay above 25 %
        await build(api, [thin, *deep])
        # thin's cap: 12.5 % of this balance, a hair above so that float round trips cannot
        # land it at 12.4999999...: rounding then (rightly) keeps the weight under it.
        reference = depth[thin] * 0.1 / 12.5 * 100 * (1 - 1e-12)
        await set_config(session, "liquidity_reference_balance_usdt", reference)
        body = await weights(api, "equal")
        caps = body["inputs"]["liquidity_cap_pct"]
        assert caps[thin] == pytest.approx(depth[thin] * 0.1 / reference * 100, abs=1e-4)
        assert caps[thin] == pytest.approx(12.5)
        assert all(caps[s] > 25 for s in deep)
        assert Decimal(str(body["weights"][thin])) == Decimal("12.5000")
        assert all(Decimal(str(body["weights"][s])) == Decimal("17.5000") for s in deep)

    async def test_rounding_never_lifts_a_weight_above_its_liquidity_cap(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await ranked(api)
        depth = {s: await depth_usdt(session, s) for s in symbols}
        by_depth = sorted(symbols, key=depth.__getitem__)
        thin = by_depth[0]
        await build(api, [thin, *by_depth[-5:]])
        # A cap of 12.34569 %: floored to 12.3456 it has the largest rounding remainder.
        reference = depth[thin] * 0.1 / 12.34569 * 100
        await set_config(session, "liquidity_reference_balance_usdt", reference)
        body = await weights(api, "equal")
        cap = Decimal(repr(depth[thin] * 0.1 / reference * 100))
        assert Decimal(str(body["weights"][thin])) <= cap


class TestRebalance:
    async def test_a_dry_run_at_target_plans_no_orders(self, api: httpx.AsyncClient) -> None:
        members = await build(api, (await ranked(api))[:6])
        current = await member_weights(api)
        body = await rebalance(api, dry_run=True, account_balance=100_000)
        assert (body["dry_run"], body["method"], body["threshold_pct"]) == (True, "score", 1.0)
        assert (body["changes_applied"], body["history_id"], body["forced"]) == (0, None, False)
        assert (body["account_balance"], body["stale_inputs"]) == (100_000.0, [])
        assert [c["symbol"] for c in body["changes"]] == members
        for change in body["changes"]:
            assert Decimal(str(change["current_weight"])) == current[change["symbol"]]
            assert Decimal(str(change["target_weight"])) == current[change["symbol"]]
            assert Decimal(str(change["difference"])) == 0
            assert (change["above_threshold"], change["applied"]) == (False, False)
        assert [o["symbol"] for o in body["orders"]] == members
        for order in body["orders"]:
            weight = float(current[order["symbol"]])
            assert order["target_weight_pct"] == weight
            assert order["target_notional_usdt"] == pytest.approx(1000 * weight, rel=1e-12)
            assert order["current_contracts"] == order["target_contracts"] > 0
            assert (order["delta_contracts"], order["delta_notional_usdt"]) == (0, 0.0)
            assert (order["side"], order["skipped_reason"]) == (None, None)

    async def test_given_positions_are_traded_to_the_target_in_whole_lots(
        self, api: httpx.AsyncClient
    ) -> None:
        others = [s for s in await ranked(api) if s != "BTCUSDT"]
        members = await build(api, ["BTCUSDT", *others[:5]])
        positions = {"XBTUSDTM": 0, **{s: 0 for s in members[1:4]}, members[4]: 10**9}
        body = await rebalance(api, dry_run=True, account_balance=100_000, positions=positions)
        orders = {o["symbol"]: o for o in body["orders"]}
        for symbol in members[:4]:  # from flat: buy the whole target
            order = orders[symbol]
            spec = await contract(api, symbol)
            multiplier, lot = float(spec["multiplier"]), int(Decimal(str(spec["lot_size"])))
            assert order["current_contracts"] == 0
            assert order["delta_contracts"] == order["target_contracts"] > 0
            assert order["side"] == "buy"
            price = order["delta_notional_usdt"] / (order["delta_contracts"] * multiplier)
            target = order["target_notional_usdt"]
            assert order["target_contracts"] == lots(target, multiplier, price, lot)
        over = orders[members[4]]  # above target: sell the excess
        assert over["current_contracts"] == 10**9
        assert over["delta_contracts"] == over["target_contracts"] - 10**9
        assert over["side"] == "sell" and over["delta_notional_usdt"] < 0
        # A member the engine did not mention is taken as flat.
        assert orders[members[5]]["current_contracts"] == 0

    async def test_a_method_change_applies_the_whole_target_set(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        members = await build(api, (await ranked(api))[:6])
        before = await member_weights(api)
        await set_config(session, "weighting_method", "equal")
        await set_config(session, "rebalance_threshold_pct", 0.01)
        response = await api.post(f"{PORTFOLIO}/rebalance", json={}, headers=TRADE)
        assert response.status_code == 200, response.text
        body = response.json()
        equal = [Decimal("16.6667")] * 4 + [Decimal("16.6666")] * 2
        assert body["method"] == "equal" and body["dry_run"] is False
        assert [Decimal(str(c["target_weight"])) for c in body["changes"]] == equal
        assert all(c["applied"] == (Decimal(str(c["difference"])) != 0) for c in body["changes"])
        assert body["changes_applied"] == sum(
            before[s] != w for s, w in zip(members, equal, strict=True)
        )
        assert body["changes_applied"] > 0
        assert list((await member_weights(api)).values()) == equal
        assert await db_weights(session) == dict(zip(members, equal, strict=True))
        (row,) = await rebalance_rows(session)
        assert row.id == body["history_id"] == (await history(api))[0]["id"]
        assert (row.reason, row.request_id) == ("scheduled", response.headers["x-request-id"])
        assert row.actor.startswith("bootstrap-trade")
        assert row.details["weights_before"] == {s: float(w) for s, w in before.items()}
        assert row.details["weighting"]["method"] == "equal"
        assert [(p["rank"], p["symbol"], p["weight"]) for p in row.details["portfolio"]] == [
            (rank, s, float(w)) for rank, (s, w) in enumerate(zip(members, equal, strict=True), 1)
        ]

    async def test_a_dry_run_reports_the_changes_and_writes_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await build(api, (await ranked(api))[:6])
        await set_config(session, "weighting_method", "equal")
        await set_config(session, "rebalance_threshold_pct", 0.01)
        before, trail = await member_weights(api), await history(api)
        body = await rebalance(api, dry_run=True)
        assert any(c["above_threshold"] for c in body["changes"])
        assert not any(c["applied"] for c in body["changes"])
        assert [c["target_weight"] for c in body["changes"]] == [16.6667] * 4 + [16.6666] * 2
        assert (body["changes_applied"], body["history_id"], body["orders"]) == (0, None, [])
        assert await member_weights(api) == before and await db_weights(session) == before
        assert await history(api) == trail and await rebalance_rows(session) == []

    async def test_a_second_run_right_after_applies_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await build(api, (await ranked(api))[:6])
        await set_config(session, "weighting_method", "equal")
        await set_config(session, "rebalance_threshold_pct", 0.01)
        assert (await rebalance(api))["changes_applied"] > 0
        again = await rebalance(api)
        assert (again["changes_applied"], again["history_id"]) == (0, None)
        assert all(Decimal(str(c["difference"])) == 0 for c in again["changes"])
        assert len(await rebalance_rows(session)) == 1

    async def test_changes_within_the_threshold_are_left_alone(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await build(api, (await ranked(api))[:6])
        before = await member_weights(api)
        await set_config(session, "weighting_method", "equal")
        await set_config(session, "rebalance_threshold_pct", 50)
        body = await rebalance(api)
        assert any(Decimal(str(c["difference"])) != 0 for c in body["changes"])
        assert not any(c["above_threshold"] or c["applied"] for c in body["changes"])
        assert (body["changes_applied"], body["history_id"]) == (0, None)
        assert await member_weights(api) == before

    async def stale(self, api: httpx.AsyncClient, session: AsyncSession) -> list[str]:
        members = await build(api, (await ranked(api))[:6])
        await set_config(session, "weighting_method", "equal")
        await set_config(session, "rebalance_threshold_pct", 0.01)
        await session.execute(
            update(Symbol)
            .where(Symbol.symbol == members[2])
            .values(market_data_at=utcnow() - timedelta(hours=2))
        )
        await session.flush()
        return members

    async def test_stale_inputs_are_409_and_change_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        members = await self.stale(api, session)
        before, trail = await member_weights(api), await history(api)
        response = await api.post(f"{PORTFOLIO}/rebalance", json={}, headers=TRADE)
        body = assert_problem(response, 409, "market-data-stale")
        assert body["stale_inputs"] == [f"{members[2]} market data older than 1800 s"]
        assert await member_weights(api) == before and await history(api) == trail

    async def test_an_admin_can_force_it_on_stale_inputs(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        members = await self.stale(api, session)
        body = await rebalance(api, ADMIN, force=True)
        assert body["forced"] is True and body["changes_applied"] > 0
        assert body["stale_inputs"] == [f"{members[2]} market data older than 1800 s"]
        (row,) = await rebalance_rows(session)
        assert row.id == body["history_id"] and "forced" in str(row.reason)
        assert row.actor.startswith("bootstrap-admin")

    async def test_bad_bodies_and_roles_are_refused_without_changes(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await self.stale(api, session)
        before = await member_weights(api)
        response = await api.post(f"{PORTFOLIO}/rebalance", json={"force": True}, headers=TRADE)
        body = assert_problem(response, 403, "forbidden")  # force is for admins only
        assert (body["required_role"], body["key_role"]) == ("admin", "trade")
        for payload, field in (({"account_balance": 0}, "account_balance"), ({"x": 1}, "x")):
            response = await api.post(f"{PORTFOLIO}/rebalance", json=payload, headers=TRADE)
            body = assert_problem(response, 422, "validation-error")
            assert [e["field"] for e in body["errors"]] == [field]
        response = await api.post(f"{PORTFOLIO}/rebalance", json={}, headers=READ)
        assert_problem(response, 403, "forbidden")
        assert await member_weights(api) == before and await rebalance_rows(session) == []
