"""Alerts over HTTP: each kind raised from a scripted scenario, deduplicated, auto-resolved."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.log import AlertLog
from app.market.category_verdicts import CATEGORY_ALERT
from app.platform.db.models import EventOutbox
from app.portfolio.member_exits import MEMBER_EXIT
from app.records.forward_service import QUALIFIED
from tests.api.portfolio_calls import BASE, READ, TRADE, add, ranked
from tests.conftest import TRADE_NAME
from tests.helpers import assert_problem, set_config
from tests.kucoin_sim.app import KucoinSimulator

ALERTS = f"{BASE}/alerts"


async def check(api: httpx.AsyncClient, kind: str | None = None) -> dict[str, list[str]]:
    """The check's outcome, restricted to one kind when given (others may fire meanwhile)."""
    response = await api.post(f"{ALERTS}/check", headers=TRADE)
    assert response.status_code == 200, response.text
    body = dict(response.json())
    if kind is None:
        return body
    return {key: [f for f in values if f.startswith(f"{kind}:")] for key, values in body.items()}


async def alerts(api: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    return list((await api.get(ALERTS, params=params, headers=READ)).json())


async def members(api: httpx.AsyncClient, count: int = 4) -> list[str]:
    symbols = (await ranked(api))[:count]
    for symbol in symbols:
        assert (await add(api, symbol)).status_code == 200
    return symbols


class TestRaiseDeduplicateResolve:
    async def test_low_score_is_raised_once_counted_and_resolved(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await members(api, 3)
        await set_config(session, "alert_low_score", 101)
        first = await check(api, "low_score")
        assert sorted(first["raised"]) == sorted(f"low_score:{s}" for s in symbols)
        second = await check(api, "low_score")
        assert second["raised"] == [] and sorted(second["ongoing"]) == sorted(first["raised"])
        rows = await alerts(api, kind="low_score")
        assert len(rows) == 3 and {r["occurrences"] for r in rows} == {2}
        await set_config(session, "alert_low_score", 0)
        third = await check(api, "low_score")
        assert sorted(third["resolved"]) == sorted(first["raised"])
        assert {r["status"] for r in await alerts(api, kind="low_score")} == {"resolved"}

    async def test_a_recurrence_within_the_cooldown_reopens_the_same_row(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        [symbol] = await members(api, 1)
        await set_config(session, "alert_low_score", 101)
        await check(api)
        await set_config(session, "alert_low_score", 0)
        await check(api)
        await set_config(session, "alert_low_score", 101)
        again = await check(api, "low_score")
        assert again["raised"] == [f"low_score:{symbol}"]
        [row] = await alerts(api, kind="low_score")
        assert (row["status"], row["occurrences"], row["resolved_at"]) == ("open", 2, None)
        announced = (
            await session.scalars(
                select(EventOutbox.payload)
                .where(EventOutbox.kind == "alert")
                .order_by(EventOutbox.id)  # PostgreSQL returns an unordered scan in any order
            )
        ).all()
        low = [p for p in announced if p["kind"] == "low_score"]
        assert [p["occurrences"] for p in low] == [1, 2]  # opened, then reopened: each is news

    async def test_correlation_performance_and_staleness_from_their_thresholds(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await members(api, 4)
        await set_config(session, "correlation_limit", -1)  # every pair is "too correlated"
        await set_config(session, "alert_max_loss_pct", -1000)  # any price counts as a loss
        await set_config(session, "max_position_weight", 25.5)
        await set_config(session, "min_position_weight", 24.5)
        await set_config(session, "stale_data_limit_s", 0)
        raised = set((await check(api))["raised"])
        kinds = {fingerprint.split(":")[0] for fingerprint in raised}
        assert {"high_correlation", "poor_performance", "stale_data"} <= kinds
        assert sum(f.startswith("high_correlation:") for f in raised) == 6  # 4 members: 6 pairs

    async def test_a_member_leaving_open_and_coming_back(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        symbols = await members(api, 2)
        code = "XBTUSDTM" if symbols[0] == "BTCUSDT" else symbols[0] + "M"
        sim.delist(code, status="Paused")
        await api.post(f"{BASE}/symbols/sync?wait=60", headers=TRADE)
        result = await check(api)
        assert f"delisting:{symbols[0]}" in result["raised"] + result["ongoing"]
        [row] = await alerts(api, kind="delisting")
        assert row["severity"] == "critical" and row["symbol"] == symbols[0]
        sim.relist(code)
        await api.post(f"{BASE}/symbols/sync?wait=60", headers=TRADE)
        assert f"delisting:{symbols[0]}" in (await check(api))["resolved"]

    async def test_an_open_breaker_is_exchange_unavailable(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        sim.faults.set("http_500")
        for _ in range(6):  # five failures open the breaker
            await api.post(f"{BASE}/symbols/sync?wait=60", headers=TRADE)
        result = await check(api)
        assert "exchange_unavailable" in result["raised"]
        [row] = await alerts(api, kind="exchange_unavailable")
        assert row["severity"] == "critical"


class TestAcknowledge:
    async def test_ack_then_resolved_is_409_and_unknown_is_404(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await members(api, 1)
        await set_config(session, "alert_low_score", 101)
        await check(api)
        [row] = await alerts(api, kind="low_score")
        acked = await api.post(f"{ALERTS}/{row['id']}/ack", headers=TRADE)
        assert acked.status_code == 200
        assert (acked.json()["status"], acked.json()["acknowledged_by"]) == (
            "acknowledged",
            TRADE_NAME,
        )
        assert (await alerts(api, status="acknowledged"))[0]["id"] == row["id"]
        await set_config(session, "alert_low_score", 0)
        await check(api)
        assert_problem(await api.post(f"{ALERTS}/{row['id']}/ack", headers=TRADE), 409, "conflict")
        assert_problem(await api.post(f"{ALERTS}/999999/ack", headers=TRADE), 404, "not-found")
        assert_problem(await api.post(f"{ALERTS}/{row['id']}/ack", headers=READ), 403, "forbidden")

    async def test_unknown_kind_filter_is_422(self, api: httpx.AsyncClient) -> None:
        response = await api.get(ALERTS, params={"kind": "vibes"}, headers=READ)
        assert_problem(response, 422, "validation-error")


class TestConcentration:
    async def test_a_weight_over_a_lowered_but_feasible_max(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await members(api, 5)
        body = (await api.get(f"{BASE}/portfolio", headers=READ)).json()
        weights = {m["symbol"]: float(m["weight"]) for m in body["members"]}
        heaviest = max(weights, key=lambda s: weights[s])
        assert weights[heaviest] > 20.02  # score weights of five members are never all equal
        cap = (weights[heaviest] + 20.0) / 2  # above 20: five members can still meet it
        await set_config(session, "max_position_weight", cap)
        raised = (await check(api, "concentration"))["raised"]
        assert f"concentration:{heaviest}" in raised
        assert all(weights[f.split(":")[1]] > cap for f in raised)


class TestKindFilter:
    async def test_every_kind_raised_below_the_check_is_a_filter(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        # Raised by the exits and the forward record, not by the check: the filter once
        # refused them (422), so their alerts could not be listed by kind.
        log = AlertLog(session)
        for kind in (MEMBER_EXIT, QUALIFIED, CATEGORY_ALERT):
            await log.raise_or_touch(
                kind=kind, fingerprint=f"{kind}:X", severity="warning", message=kind
            )
        await session.flush()
        for kind in (MEMBER_EXIT, QUALIFIED, CATEGORY_ALERT):
            response = await api.get(ALERTS, params={"kind": kind}, headers=READ)
            assert response.status_code == 200, response.text
            assert [row["fingerprint"] for row in response.json()] == [f"{kind}:X"]
