"""Portfolio membership over HTTP: rules, ranks, weights, audit trail, as_of, errors."""

from __future__ import annotations

from decimal import Decimal

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import Symbol
from app.portfolio.models import PortfolioHistory, PortfolioMember
from tests.api.portfolio_calls import (
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
from tests.kucoin_sim.app import KucoinSimulator


async def db_state(session: AsyncSession) -> tuple[int, int]:
    members = await session.scalar(
        select(func.count()).select_from(PortfolioMember).where(PortfolioMember.status == "active")
    )
    rows = await session.scalar(select(func.count()).select_from(PortfolioHistory))
    return int(members or 0), int(rows or 0)


async def seats(session: AsyncSession) -> dict[str, int]:
    """The active members' seats (the column is still named rank), which the API never shows."""
    query = (
        select(Symbol.symbol, PortfolioMember.seat)
        .join(Symbol, Symbol.id == PortfolioMember.symbol_id)
        .where(PortfolioMember.status == "active")
    )
    return {symbol: seat for symbol, seat in (await session.execute(query)).all()}


async def distinct_ranked(api: httpx.AsyncClient, count: int) -> list[str]:
    """The best `count` scored symbols with no two composites equal (equal scores keep the
    members' own order, which a test of the order by score should not depend on)."""
    body = (await api.get(f"{BASE}/scoring/rankings", params={"limit": 24}, headers=READ)).json()
    picked: dict[float, str] = {}
    for item in body["items"]:
        picked.setdefault(item["composite"], item["symbol"])
    symbols = list(picked.values())[:count]
    assert len(symbols) == count and symbols[0] == body["items"][0]["symbol"]
    return symbols


def weights_of(body: dict[str, object]) -> list[Decimal]:
    return [Decimal(str(m["weight"])) for m in body["members"]]  # type: ignore[index]


class TestAdd:
    async def test_top_ten_join_with_ranks_and_weights_summing_to_100(
        self, api: httpx.AsyncClient
    ) -> None:
        top = (await ranked(api))[:10]
        for symbol in top:
            response = await add(api, symbol, reason="top 10")
            assert response.status_code == 200, response.text
        body = await portfolio(api)
        assert [m["symbol"] for m in body["members"]] == top
        assert [m["rank"] for m in body["members"]] == list(range(1, 11))
        assert sum(weights_of(body)) == Decimal(100)
        assert all(Decimal(2) <= w <= Decimal(25) for w in weights_of(body))
        flagged = [m["symbol"] for m in body["members"] if m["is_replacement_candidate"]]
        assert flagged == top[-2:]
        assert all(m["entry_price"] and m["price_source"] for m in body["members"])

    async def test_each_add_writes_one_audit_row_with_actor_and_request(
        self, api: httpx.AsyncClient
    ) -> None:
        top = await ranked(api)
        response = await add(api, top[0], reason="first")
        await add(api, top[1])
        rows = await history(api)
        assert [r["action"] for r in rows] == ["add", "add"]
        first = rows[-1]
        assert (first["symbol"], first["new_rank"], first["reason"]) == (top[0], 1, "first")
        assert first["actor"].startswith("bootstrap-trade")
        assert first["request_id"] == response.headers["x-request-id"]
        assert first["new_weight"] == 100.0
        assert first["details"]["weighting"]["relaxed_caps"] == ["max_position_weight"]
        assert rows[0]["details"]["weights_before"] == {top[0]: 100.0}

    async def test_any_symbol_form_is_accepted(self, api: httpx.AsyncClient) -> None:
        response = await add(api, "XBTUSDTM")
        assert response.status_code == 200, response.text
        assert response.json()["change"]["symbol"] == "BTCUSDT"

    async def test_eleventh_member_is_409_and_changes_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await ranked(api)
        for symbol in symbols[:10]:
            await add(api, symbol)
        before = await db_state(session)
        body = assert_problem(await add(api, symbols[10]), 409, "portfolio-full")
        assert body["max_portfolio_symbols"] == 10
        assert await db_state(session) == before

    async def test_a_lower_configured_max_is_honoured(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await set_config(session, "max_portfolio_symbols", 3)
        symbols = await ranked(api)
        for symbol in symbols[:3]:
            assert (await add(api, symbol)).status_code == 200
        assert_problem(await add(api, symbols[3]), 409, "portfolio-full")

    async def test_a_member_again_is_409(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await add(api, "ETHUSDT")
        before = await db_state(session)
        assert_problem(await add(api, "eth-usdt"), 409, "already-member")
        assert await db_state(session) == before

    async def test_a_contract_that_left_open_is_refused(
        self, api: httpx.AsyncClient, sim: KucoinSimulator, session: AsyncSession
    ) -> None:
        sim.delist("SIM004USDTM", status="Paused")
        await api.post("/api/symbol-mgmt/symbols/sync?wait=60", headers=TRADE)
        body = assert_problem(await add(api, "SIM004USDT"), 409, "symbol-not-eligible")
        assert body["status"] == 409 and "NOT_OPEN" in str(body["detail"])
        assert await db_state(session) == (0, 0)

    async def test_an_unscored_symbol_is_refused_with_why(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await set_config(session, "scoring_shortlist", 3)
        await set_config(session, "scoring_rotation", False)  # no rotation through the rest
        await set_config(session, "max_portfolio_symbols", 1)  # 2 of the last run's best kept
        await api.post("/api/symbol-mgmt/scoring/calculate?wait=60", headers=TRADE)
        scored = set(await ranked(api, 16))
        assert len(scored) <= 6  # the shortlist of 3, the last run's best 2, the benchmark
        unscored = next(f"SIM{i:03d}USDT" for i in range(1, 15) if f"SIM{i:03d}USDT" not in scored)
        body = assert_problem(await add(api, unscored), 409, "symbol-not-eligible")
        assert body["why"] == "not shortlisted"

    async def test_unknown_and_malformed_symbols(self, api: httpx.AsyncClient) -> None:
        assert_problem(await add(api, "NOPEUSDT"), 404, "unknown-symbol")
        malformed = assert_problem(await add(api, "$$$$"), 422, "validation-error")
        assert malformed["errors"][0]["field"] == "symbol"  # the documented pattern refuses it
        body = assert_problem(
            await api.post(f"{PORTFOLIO}/add-symbol", json={"sym": "X"}, headers=TRADE),
            422,
            "validation-error",
        )
        assert {e["field"] for e in body["errors"]} >= {"symbol"}

    async def test_writes_need_the_trade_role(self, api: httpx.AsyncClient) -> None:
        response = await api.post(
            f"{PORTFOLIO}/add-symbol", json={"symbol": "ETHUSDT"}, headers=READ
        )
        assert_problem(response, 403, "forbidden")


class TestRemoveAndReplace:
    async def test_remove_ranks_the_rest_by_score_and_reweights(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await distinct_ranked(api, 5)
        for symbol in reversed(symbols):  # joined worst first: the seats are not the ranks
            await add(api, symbol)
        body = await portfolio(api)
        assert [(m["rank"], m["symbol"]) for m in body["members"]] == list(
            enumerate(symbols, start=1)
        )
        response = await api.post(
            f"{PORTFOLIO}/remove-symbol",
            json={"symbol": symbols[1], "reason": "weak"},
            headers=TRADE,
        )
        assert response.status_code == 200, response.text
        change = response.json()["change"]
        assert (change["action"], change["symbol"], change["old_rank"]) == ("remove", symbols[1], 2)
        body = await portfolio(api)
        assert [(m["rank"], m["symbol"]) for m in body["members"]] == list(
            enumerate([symbols[0], *symbols[2:]], start=1)
        )
        assert [(p["rank"], p["symbol"]) for p in change["details"]["portfolio"]] == list(
            enumerate([symbols[0], *symbols[2:]], start=1)
        )
        assert sum(weights_of(body)) == Decimal(100)
        # Inside, the seats after the leaver's moved up: 1..4 without a hole, in joining order.
        joined = [*symbols[:1:-1], symbols[0]]
        assert await seats(session) == dict(zip(joined, range(1, 5), strict=True))

    async def test_removing_a_non_member_is_404(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await add(api, "ETHUSDT")
        before = await db_state(session)
        response = await api.post(
            f"{PORTFOLIO}/remove-symbol", json={"symbol": "BTCUSDT"}, headers=TRADE
        )
        assert_problem(response, 404, "not-a-member")
        assert await db_state(session) == before

    async def test_replace_ranks_the_newcomer_by_its_score_in_one_audit_row(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await distinct_ranked(api, 7)
        for symbol in symbols[:4]:
            await add(api, symbol)
        response = await api.post(
            f"{PORTFOLIO}/replace-symbol",
            json={"old_symbol": symbols[2], "new_symbol": symbols[6], "reason": "better"},
            headers=TRADE,
        )
        assert response.status_code == 200, response.text
        change = response.json()["change"]
        assert (change["action"], change["symbol"], change["replaced_symbol"]) == (
            "replace",
            symbols[6],
            symbols[2],
        )
        # The leaver was 3rd; the newcomer scores below every member kept, so it is 4th.
        assert (change["old_rank"], change["new_rank"]) == (3, 4)
        body = await portfolio(api)
        expected = [*symbols[:2], symbols[3], symbols[6]]
        assert [(m["rank"], m["symbol"]) for m in body["members"]] == list(
            enumerate(expected, start=1)
        )
        assert [(p["rank"], p["symbol"]) for p in change["details"]["portfolio"]] == list(
            enumerate(expected, start=1)
        )
        assert len(await history(api)) == 5
        # Inside, the newcomer took the leaver's seat.
        assert (await seats(session))[symbols[6]] == 3

    async def test_the_best_outsider_replacing_the_weakest_ranks_first_in_the_pairlist_too(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await distinct_ranked(api, 5)
        best, members = symbols[0], symbols[1:5]
        for symbol in members:
            assert (await add(api, symbol)).status_code == 200
        held = (await portfolio(api))["members"]
        pair = {m["symbol"]: m["ccxt_symbol"] for m in held}
        before = (await api.get(f"{BASE}/pairlist", headers=READ)).json()
        assert before["pairs"] == [pair[s] for s in members]
        assert [m["composite"] for m in held] == sorted(
            (m["composite"] for m in held), reverse=True
        )
        weakest = held[-1]["symbol"]
        assert weakest == members[-1]
        response = await api.post(
            f"{PORTFOLIO}/replace-symbol",
            json={"old_symbol": weakest, "new_symbol": best, "reason": "best outsider"},
            headers=TRADE,
        )
        assert response.status_code == 200, response.text
        change = response.json()["change"]
        assert (change["symbol"], change["replaced_symbol"]) == (best, weakest)
        assert (change["old_rank"], change["new_rank"]) == (4, 1)
        body = await portfolio(api)
        order = [best, *members[:3]]
        assert [(m["rank"], m["symbol"]) for m in body["members"]] == list(
            enumerate(order, start=1)
        )
        assert body["members"][0]["composite"] > max(m["composite"] for m in held)
        pair.update({m["symbol"]: m["ccxt_symbol"] for m in body["members"]})
        pairlist = (await api.get(f"{BASE}/pairlist", headers=READ)).json()
        assert pairlist["pairs"] == [pair[s] for s in order]
        assert pairlist["ranks"] == {pair[m["symbol"]]: m["rank"] for m in body["members"]}
        assert pairlist["ranks"][pair[best]] == 1
        assert (await seats(session))[best] == 4  # the seat it took is the leaver's, not shown

    async def test_replace_with_a_member_is_409_and_changes_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await ranked(api)
        for symbol in symbols[:3]:
            await add(api, symbol)
        before = await db_state(session)
        response = await api.post(
            f"{PORTFOLIO}/replace-symbol",
            json={"old_symbol": symbols[0], "new_symbol": symbols[1]},
            headers=TRADE,
        )
        assert_problem(response, 409, "already-member")
        assert await db_state(session) == before


class TestAsOf:
    async def test_each_recorded_step_is_reconstructed_exactly(
        self, api: httpx.AsyncClient
    ) -> None:
        symbols = await ranked(api)
        steps = [
            ("add-symbol", {"symbol": symbols[0]}),
            ("add-symbol", {"symbol": symbols[1]}),
            ("add-symbol", {"symbol": symbols[2]}),
            ("replace-symbol", {"old_symbol": symbols[1], "new_symbol": symbols[5]}),
            ("remove-symbol", {"symbol": symbols[0]}),
            ("add-symbol", {"symbol": symbols[7]}),
        ]
        recorded = []
        for path, body in steps:
            response = await api.post(f"{PORTFOLIO}/{path}", json=body, headers=TRADE)
            assert response.status_code == 200, response.text
            state = [
                (m["rank"], m["symbol"], Decimal(str(m["weight"])))
                for m in (await portfolio(api))["members"]
            ]
            recorded.append((response.json()["change"]["occurred_at"], state))
        for occurred_at, state in recorded:
            past = await portfolio(api, as_of=occurred_at)
            assert past["reconstructed"] is True
            assert [
                (m["rank"], m["symbol"], Decimal(str(m["weight"]))) for m in past["members"]
            ] == state
        before_anything = await portfolio(api, as_of="2020-01-01T00:00:00Z")
        assert before_anything["members"] == []
