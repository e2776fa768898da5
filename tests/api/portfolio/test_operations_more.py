"""Portfolio operations over HTTP: sizing, replacement, correlation, PnL and analytics."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import Symbol
from app.platform.core.clock import utcnow
from app.portfolio.models import PerformanceRecord
from tests.api.portfolio.test_operations import build, contract, lots, member_weights
from tests.api.portfolio_calls import PORTFOLIO, READ, TRADE, portfolio, ranked
from tests.helpers import assert_problem, set_config


async def read(api: httpx.AsyncClient, path: str, **params: Any) -> dict[str, Any]:
    response = await api.get(f"{PORTFOLIO}/{path}", params=params, headers=READ)
    assert response.status_code == 200, response.text
    return dict(response.json())


class TestPositionSize:
    async def size(self, api: httpx.AsyncClient, symbol: str, **params: Any) -> dict[str, Any]:
        response = await api.get(
            f"{PORTFOLIO}/position-size",
            params={"symbol": symbol, "account_balance": 100_000, **params},
            headers=READ,
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def test_matches_a_hand_calculation_in_lots(self, api: httpx.AsyncClient) -> None:
        members = await build(api, (await ranked(api))[:6])
        symbol = members[1]
        weight = (await member_weights(api))[symbol]
        spec = await contract(api, symbol)
        multiplier, lot = float(spec["multiplier"]), int(Decimal(str(spec["lot_size"])))
        body = await self.size(api, symbol)
        price = body["price"]
        notional = 100_000 * float(weight) / 100
        assert Decimal(str(body["weight_pct"])) == weight
        assert body["notional_usdt"] == pytest.approx(notional, rel=1e-12)
        assert (body["capped"], body["cap_reason"]) == (False, None)
        assert body["contracts"] == lots(notional, multiplier, price, lot) > 0
        contract_notional = body["contracts"] * multiplier * price
        assert body["contract_notional_usdt"] == pytest.approx(contract_notional, rel=1e-12)
        assert contract_notional <= notional < contract_notional + lot * multiplier * price
        assert body["max_leverage"] == spec["max_leverage"]
        assert body["min_margin_usdt"] == pytest.approx(
            contract_notional / spec["max_leverage"], rel=1e-12
        )
        assert (body["volatility"], body["volatility_scale"]) == (None, None)

    async def test_a_weight_above_the_max_is_capped(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await build(api, (await ranked(api))[:10])
        weights = await member_weights(api)
        heaviest = max(weights, key=lambda s: weights[s])
        cap = float(weights[heaviest]) - 0.05  # still feasible: 10 members x cap >= 100
        assert cap * 10 >= 100
        await set_config(session, "max_position_weight", cap)
        body = await self.size(api, heaviest)
        assert (body["capped"], body["cap_reason"]) == (True, "max_weight")
        assert body["notional_usdt"] == pytest.approx(100_000 * cap / 100, rel=1e-12)

    async def test_a_max_cap_no_weights_can_meet_is_relaxed_like_the_weights(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        members = await build(api, (await ranked(api))[:6])
        await set_config(session, "max_position_weight", 10)  # 6 x 10 < 100: relaxed
        weight = (await member_weights(api))[members[0]]
        body = await self.size(api, members[0])
        assert (body["capped"], body["cap_reason"]) == (False, None)
        assert body["notional_usdt"] == pytest.approx(1000 * float(weight), rel=1e-12)

    async def test_volatility_scaling_targets_the_configured_volatility(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        members = await build(api, (await ranked(api))[:6])
        body = await self.size(api, members[0], volatility_adjusted="true")
        volatility = body["volatility"]
        assert volatility > 0
        assert body["volatility_scale"] == pytest.approx(min(1.0, 0.8 / volatility), rel=1e-12)
        await set_config(session, "target_volatility", volatility / 4)
        scaled = await self.size(api, members[0], volatility_adjusted="true")
        scale = volatility / 4 / scaled["volatility"]  # 1/4 unless an hour closed meanwhile
        assert scale < 1 and scaled["volatility_scale"] == pytest.approx(scale, rel=1e-12)
        assert scaled["volatility_adjusted"] is True
        weight = float(Decimal(str(scaled["weight_pct"])))
        assert scaled["notional_usdt"] == pytest.approx(1000 * weight * scale, rel=1e-12)

    async def test_asked_for_and_not_reduced_answers_false_as_the_schema_says(
        self, api: httpx.AsyncClient, session: AsyncSession, openapi_document: dict[str, Any]
    ) -> None:
        """`?volatility_adjusted=true` answered `"volatility_adjusted": false`, which the schema
        did not explain: the field says whether the scaling reduced the size."""
        fields = openapi_document["components"]["schemas"]["PositionSizeRead"]["properties"]
        said = fields["volatility_adjusted"].get("description", "")
        assert "reduced the notional" in said and "volatility_scale" in said
        assert "null when it was not asked for" in fields["volatility_scale"]["description"]
        members = await build(api, (await ranked(api))[:6])
        volatility = (await self.size(api, members[0], volatility_adjusted="true"))["volatility"]
        await set_config(session, "target_volatility", min(volatility * 4, 10.0))
        body = await self.size(api, members[0], volatility_adjusted="true")
        assert (body["volatility_adjusted"], body["volatility_scale"]) == (False, 1.0)
        unasked = await self.size(api, members[0])
        assert (unasked["volatility_adjusted"], unasked["volatility_scale"]) == (False, None)

    async def test_agrees_with_the_rebalance_plan_when_the_max_cap_is_relaxed(
        self, api: httpx.AsyncClient
    ) -> None:
        members = await build(api, (await ranked(api))[:3])
        plan = await api.post(
            f"{PORTFOLIO}/rebalance",
            json={"dry_run": True, "account_balance": 100_000},
            headers=TRADE,
        )
        assert plan.status_code == 200, plan.text
        target = plan.json()["orders"][0]["target_notional_usdt"]
        assert target == pytest.approx(33_333.4)  # 33.3334 % of the balance
        body = await self.size(api, members[0])
        assert body["notional_usdt"] == pytest.approx(target, rel=1e-12)

    async def test_symbol_forms_non_members_and_bad_balances(self, api: httpx.AsyncClient) -> None:
        symbols = [s for s in await ranked(api) if s != "BTCUSDT"]
        await build(api, ["BTCUSDT", symbols[0]])
        assert (await self.size(api, "XBTUSDTM"))["symbol"] == "BTCUSDT"
        url = f"{PORTFOLIO}/position-size"
        response = await api.get(
            url, params={"symbol": symbols[5], "account_balance": 1000}, headers=READ
        )
        body = assert_problem(response, 404, "not-a-member")
        assert str(body["detail"]).startswith(f"{symbols[5]} is not an active member")
        for balance in (0, -5):
            response = await api.get(
                url, params={"symbol": "BTCUSDT", "account_balance": balance}, headers=READ
            )
            body = assert_problem(response, 422, "validation-error")
            assert [e["field"] for e in body["errors"]] == ["account_balance"]


class TestReplacementCandidates:
    async def ten(self, api: httpx.AsyncClient, session: AsyncSession) -> list[str]:
        """Ranks 1-8 and 11-12 as members (outsiders 9 and 10 beat the two weakest), with the
        holding time, margin, confirmations and correlation rules relaxed."""
        symbols = await ranked(api)
        await build(api, [*symbols[:8], *symbols[10:12]])
        for key, value in (
            ("min_holding_hours", 0),
            ("replacement_margin", 0),
            ("replacement_confirmation_hours", 0),
            ("correlation_limit", 1.0),
        ):
            await set_config(session, key, value)
        return symbols

    async def test_the_two_weakest_members_get_a_recommendation_with_reasons(
        self, api: httpx.AsyncClient
    ) -> None:
        await build(api, (await ranked(api))[:10])
        members = (await portfolio(api))["members"]
        weakest = sorted(members, key=lambda m: m["composite"])[:2]
        body = await read(api, "replacement-candidates")
        assert len(body["run_ids"]) == 1
        recommendations = body["recommendations"]
        assert [r["member"] for r in recommendations] == [m["symbol"] for m in weakest]
        for rec, member in zip(recommendations, weakest, strict=True):
            assert (rec["member_rank"], rec["member_score"]) == (
                member["rank"],
                member["composite"],
            )
            assert (
                f"{member['symbol']} is among the bottom 2 members by composite" in (rec["reasons"])
            )
            assert rec["outsider"] not in {m["symbol"] for m in members}

    async def test_right_after_adding_the_holding_time_blocks_a_leading_outsider(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await self.ten(api, session)
        await set_config(session, "min_holding_hours", 24)
        recommendations = (await read(api, "replacement-candidates"))["recommendations"]
        included = {m["symbol"]: m["included_at"] for m in (await portfolio(api))["members"]}
        assert len(recommendations) == 2
        for rec in recommendations:
            assert rec["actionable"] is False and rec["held_hours"] < 1
            assert rec["lead"] >= 0  # its outsider leads by the margin, 0 here
            held = [b for b in rec["blocking"] if b.startswith("held ")]
            assert held and held[0].endswith("of the required 24 h")
            # Not actionable before its 24 h are held (to the second, cut down), said so.
            ends = datetime.fromisoformat(included[rec["member"]]) + timedelta(hours=24)
            not_before = datetime.fromisoformat(rec["not_before"])
            assert timedelta(0) <= ends - not_before < timedelta(seconds=1.01)
            assert rec["actionability"] == f"not actionable before {not_before:%Y-%m-%d %H:%M} UTC"

    async def test_a_best_outsider_short_of_the_margin_is_named_with_its_lead_and_no_time(
        self, api: httpx.AsyncClient
    ) -> None:
        symbols = await ranked(api)
        await build(api, symbols[:10])  # the best outsider, ranked 11th, leads no member
        members = (await portfolio(api))["members"]
        candidates = {m["symbol"] for m in members if m["is_replacement_candidate"]}
        recommendations = (await read(api, "replacement-candidates"))["recommendations"]
        assert {r["member"] for r in recommendations} == candidates and len(candidates) == 2
        for rec in recommendations:
            assert (rec["outsider"], rec["actionable"]) == (symbols[10], False)
            lead = rec["lead"]
            assert lead == round(rec["outsider_score"] - rec["member_score"], 4) <= 0
            # No outsider leads by the 5-point margin: no time, and the wording says why in the
            # answer's own figures (the lead signed, cut toward zero to one decimal).
            assert rec["not_before"] is None
            said = rec["actionability"]
            prefix = f"not actionable: no outsider leads by 5 points (best: {symbols[10]}, "
            assert said.startswith(prefix) and said.endswith(")"), said
            shown = said.removeprefix(prefix).removesuffix(")")
            assert shown.startswith("-" if lead < 0 else "+"), said
            assert abs(float(shown)) <= abs(lead) < abs(float(shown)) + 0.1, said
            assert any(b.startswith("held ") for b in rec["blocking"])  # still among the reasons

    async def test_a_better_outsider_is_actionable_when_the_rules_allow(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await self.ten(api, session)
        body = await read(api, "replacement-candidates")
        recommendations = body["recommendations"]
        assert {r["member"] for r in recommendations} == set(symbols[10:12])
        assert {r["outsider"] for r in recommendations} == set(symbols[8:10])
        first, second = recommendations  # the weakest member takes the best outsider
        assert first["member_score"] <= second["member_score"]
        assert first["outsider_score"] >= second["outsider_score"]
        for rec in recommendations:
            assert rec["actionable"] is True and rec["blocking"] == []
            assert (rec["not_before"], rec["actionability"]) == (None, "actionable now")
            assert rec["lead"] == round(rec["outsider_score"] - rec["member_score"], 4) >= 0
            (confirmation,) = rec["confirmations"]
            assert confirmation["run_id"] == body["run_ids"][0]
            assert confirmation["lead"] == rec["lead"]
            assert rec["most_correlated_with"] in symbols[:8] + symbols[10:12]
            assert rec["max_correlation"] < 1.0
            assert any("highest correlation" in reason for reason in rec["reasons"])

    async def test_a_correlation_limit_of_minus_one_blocks_it(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await self.ten(api, session)
        await set_config(session, "correlation_limit", -1)
        recommendations = (await read(api, "replacement-candidates"))["recommendations"]
        assert len(recommendations) == 2
        for rec in recommendations:
            assert rec["actionable"] is False and rec["max_correlation"] is not None
            (blocking,) = rec["blocking"]
            assert blocking.startswith("correlation ") and blocking.endswith("limit -1")
            # No time says when a correlation ends: the wording says why instead.
            assert rec["not_before"] is None
            assert rec["actionability"] == f"not actionable: {blocking}"

    async def test_an_actionable_one_executes_and_the_newcomer_takes_its_score_rank(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await self.ten(api, session)
        rec = (await read(api, "replacement-candidates"))["recommendations"][0]
        assert (rec["member"], rec["outsider"], rec["member_rank"]) == (symbols[11], symbols[8], 10)
        response = await api.post(
            f"{PORTFOLIO}/replace-symbol",
            json={"old_symbol": rec["member"], "new_symbol": rec["outsider"], "reason": "rec"},
            headers=TRADE,
        )
        assert response.status_code == 200, response.text
        change = response.json()["change"]
        assert (change["action"], change["symbol"], change["replaced_symbol"]) == (
            "replace",
            rec["outsider"],
            rec["member"],
        )
        # The leaver was ranked 10; the newcomer is ranked by its score (9th), not in its place.
        assert (change["old_rank"], change["new_rank"]) == (10, 9)
        members = (await portfolio(api))["members"]
        assert [(m["rank"], m["symbol"]) for m in members] == list(
            enumerate([*symbols[:9], symbols[10]], start=1)
        )
        assert [m["composite"] for m in members] == sorted(
            (m["composite"] for m in members), reverse=True
        )


class TestCorrelation:
    async def btc_and_five(self, api: httpx.AsyncClient) -> list[str]:
        others = [s for s in await ranked(api) if s != "BTCUSDT"]
        return await build(api, ["BTCUSDT", *others[:5]])

    async def test_the_matrix_is_symmetric_with_a_unit_diagonal(
        self, api: httpx.AsyncClient
    ) -> None:
        members = await self.btc_and_five(api)
        body = await read(api, "correlation")
        matrix, n = body["matrix"], len(members)
        assert (body["symbols"], body["window_hours"], body["correlation_limit"]) == (
            members,
            168,
            0.85,
        )
        assert 24 <= body["common_hours"] <= 168
        assert all(matrix[i][i] == 1.0 for i in range(n))
        assert all(matrix[i][j] == matrix[j][i] for i in range(n) for j in range(n))
        upper = [matrix[i][j] for i in range(n) for j in range(i + 1, n)]
        assert all(-1 <= v <= 1 for v in upper)
        assert body["average_pairwise"] == pytest.approx(sum(upper) / len(upper), abs=1e-6)
        betas = body["beta_to_btc"]  # BTC is the benchmark: its own beta is 1
        assert list(betas) == members and betas["BTCUSDT"] == 1.0
        assert all(isinstance(b, float) for b in betas.values())
        assert (await read(api, "correlation", window=48))["window_hours"] == 48

    async def test_pairs_and_clusters_follow_the_matrix_and_the_limit(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        members = await self.btc_and_five(api)
        body = await read(api, "correlation")
        matrix, n, limit = body["matrix"], len(members), body["correlation_limit"]
        over = {
            (members[i], members[j]): matrix[i][j]
            for i in range(n)
            for j in range(i + 1, n)
            if matrix[i][j] > limit
        }
        pairs = [(p["a"], p["b"], p["correlation"]) for p in body["pairs_over_limit"]]
        assert {(a, b): pytest.approx(rho, abs=1e-6) for a, b, rho in pairs} == over
        assert [rho for *_, rho in pairs] == sorted((rho for *_, rho in pairs), reverse=True)
        assert sorted(s for cluster in body["clusters"] for s in cluster) == sorted(members)
        home = {s: k for k, cluster in enumerate(body["clusters"]) for s in cluster}
        assert all(home[a] == home[b] for a, b, _ in pairs)
        await set_config(session, "correlation_limit", -1)
        everything = await read(api, "correlation")
        assert everything["clusters"] == [sorted(members)]
        assert len(everything["pairs_over_limit"]) == n * (n - 1) // 2
        await set_config(session, "correlation_limit", 1)
        nothing = await read(api, "correlation")
        assert nothing["clusters"] == [[s] for s in sorted(members)]
        assert nothing["pairs_over_limit"] == []


class TestPerformance:
    async def post(
        self, api: httpx.AsyncClient, symbol: str, pnl: float, at: Any, key: dict[str, str] = TRADE
    ) -> httpx.Response:
        body = {"symbol": symbol, "pnl": pnl, "timestamp": at.isoformat()}
        return await api.post(f"{PORTFOLIO}/performance", json=body, headers=key)

    async def rows(self, session: AsyncSession) -> list[PerformanceRecord]:
        query = select(PerformanceRecord).order_by(PerformanceRecord.id)
        return list((await session.scalars(query)).all())

    async def test_a_timestamp_outside_the_time_window_is_refused_and_stores_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """Both were accepted, and PostgreSQL stored `infinity` and `-infinity`."""
        symbol = (await build(api, (await ranked(api))[:3]))[1]
        for at in ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00Z"):
            body = {"symbol": symbol, "pnl": 1, "timestamp": at}
            response = await api.post(f"{PORTFOLIO}/performance", json=body, headers=TRADE)
            problem = assert_problem(response, 422, "validation-error")
            assert [(e["field"], e["code"]) for e in problem["errors"]] == [
                ("timestamp", "datetime_window")
            ]
        assert await self.rows(session) == []

    async def test_reports_accumulate_since_inclusion(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbol = (await build(api, (await ranked(api))[:3]))[1]
        start = utcnow()
        bodies = []
        for k, pnl in enumerate([10, -30, 5]):
            response = await self.post(api, symbol, pnl, start + timedelta(minutes=k))
            assert response.status_code == 200, response.text
            bodies.append(response.json())
        summary = [
            (b["records"], Decimal(str(b["pnl_since_inclusion"])), Decimal(str(b["max_drawdown"])))
            for b in bodies
        ]
        assert summary == [(1, 10, 0), (2, -20, 30), (3, -15, 30)]
        assert [b["win_rate"] for b in bodies] == [1.0, 0.5, pytest.approx(2 / 3)]
        member = next(m for m in (await portfolio(api))["members"] if m["symbol"] == symbol)
        assert bodies[-1]["symbol"] == symbol
        assert bodies[-1]["included_at"] == member["included_at"]
        rows = await self.rows(session)
        assert [r.pnl for r in rows] == [Decimal(10), Decimal(-30), Decimal(5)]
        symbol_id = await session.scalar(select(Symbol.id).where(Symbol.symbol == symbol))
        assert {r.symbol_id for r in rows} == {symbol_id}
        assert all(str(r.source).startswith("bootstrap-trade") for r in rows)

    async def test_refused_reports_store_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await ranked(api)
        await build(api, symbols[:2])
        response = await self.post(api, symbols[5], 1, utcnow())
        body = assert_problem(response, 404, "not-a-member")
        assert symbols[5] in str(body["detail"])
        response = await self.post(api, symbols[0], 1, utcnow(), READ)
        assert_problem(response, 403, "forbidden")  # reports need the trade role
        assert await self.rows(session) == []


class TestAnalytics:
    async def test_statistics_measure_the_concentration_of_the_weights(
        self, api: httpx.AsyncClient
    ) -> None:
        await build(api, (await ranked(api))[:7])
        members = (await portfolio(api))["members"]
        weights = [float(Decimal(str(m["weight"]))) for m in members]
        body = await read(api, "statistics")
        assert (body["member_count"], body["max_symbols"]) == (7, 10)
        assert body["weights"]["total"] == 100.0
        assert (body["weights"]["min"], body["weights"]["max"]) == (min(weights), max(weights))
        hhi = sum((w / 100) ** 2 for w in weights)
        assert body["herfindahl"] == pytest.approx(hhi, abs=1e-9)
        assert body["effective_members"] == pytest.approx(1 / hhi, rel=1e-9)
        composites = [m["composite"] for m in members]
        assert (body["composite_summary"]["min"], body["composite_summary"]["max"]) == (
            min(composites),
            max(composites),
        )
        assert sum(body["sectors"].values()) == pytest.approx(100.0)

    async def test_metrics_report_the_risk_of_the_current_weights(
        self, api: httpx.AsyncClient
    ) -> None:
        members = await build(api, (await ranked(api))[:5])
        body = await read(api, "metrics")
        report = body["report"]
        assert (body["window_hours"], body["members_used"]) == (720, members)
        assert body["observations"] == report["observations"] > 0
        assert report["level"] == 0.95 and report["volatility"] > 0
        assert 0 <= report["var"] <= report["es"]
        assert 0 <= report["max_drawdown"] < 1
        strict = (await read(api, "metrics", level=0.99))["report"]
        assert report["var"] <= strict["var"] <= strict["es"]

    async def test_an_empty_portfolio_has_no_figures_and_short_windows_are_422(
        self, api: httpx.AsyncClient
    ) -> None:
        statistics = await read(api, "statistics")
        assert (statistics["member_count"], statistics["herfindahl"]) == (0, None)
        metrics = await read(api, "metrics")
        assert (metrics["observations"], metrics["members_used"], metrics["report"]) == (
            0,
            [],
            None,
        )
        response = await api.get(f"{PORTFOLIO}/metrics", params={"window": 23}, headers=READ)
        body = assert_problem(response, 422, "validation-error")
        assert [e["field"] for e in body["errors"]] == ["window"]
