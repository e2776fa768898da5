"""Autopilot (the runtime setting `autopilot`, off by default): with it on, the real portfolio
follows the forward record's policy book (each pass moves it to the book's members and target
weights, as actor `autopilot`); a scoring run changes no member either way, its replacements stay
proposals. The passes here follow targets written by hand over the module's scored symbols; the
forward record's own passes, and the as-run record equal to the book's, are in
tests/integration/records/test_forward_record.py."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.configuration.registry import SETTINGS
from app.market.models import Symbol
from app.market.service import symbol_category
from app.platform.core.errors import ConflictError
from app.platform.db.models import EventOutbox
from app.platform.settings_store.reader import read_setting
from app.portfolio.autopilot import INTERIM, METHOD, AutopilotService, PolicyTarget
from app.portfolio.membership import CategoryExcluded
from app.portfolio.models import PortfolioHistory
from app.portfolio.repository import PortfolioRepository
from app.portfolio.service import MySymbolsService
from tests.api.portfolio_calls import ADMIN, BASE, add, ranked
from tests.helpers import set_config

REFRESH = f"{BASE}/jobs/score_refresh/run"
DECIDED = datetime(2026, 11, 25, 9, tzinfo=UTC)
REASON = f"autopilot: the policy book's decision at {DECIDED.isoformat()}"
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


async def held(session: AsyncSession) -> list[tuple[str, Decimal]]:
    """The active members by seat (the portfolio's own order, not shown), with their weights."""
    return [(r.symbol.symbol, r.member.weight) for r in await PortfolioRepository(session).active()]


def target(weights: dict[str, str]) -> PolicyTarget:
    """The book holding `weights` (percent), seated in the order given."""
    return PolicyTarget(DECIDED, list(weights), {s: Decimal(w) for s, w in weights.items()})


@pytest.fixture
async def top(api: httpx.AsyncClient) -> list[str]:
    """The module's scoring run's ranking, best first."""
    return await ranked(api)


@pytest.fixture
def autopilot(sim_app: FastAPI, session: AsyncSession) -> AutopilotService:
    state = sim_app.state.app_state
    return AutopilotService(session, MySymbolsService(session, state.gateway, state.prices))


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
        assert await read_setting(session, SETTINGS["autopilot"], bool) is True


class TestScoringRun:
    @pytest.mark.parametrize("autopilot", [False, True])
    async def test_changes_no_member_and_its_replacements_stay_proposals(
        self, api: httpx.AsyncClient, session: AsyncSession, autopilot: bool
    ) -> None:
        top = await ranked(api)
        for name in top[-2:]:  # the weakest two: the best outsiders lead them
            assert (await add(api, name)).status_code == 200
        await set_config(session, "autopilot", autopilot)
        for key, value in RELAXED.items():
            await set_config(session, key, value)
        before = [(r.id, r.action) for r in await audit_rows(session)]
        result = await refresh(api)
        assert [s for s, _ in await held(session)] == top[-2:]
        assert [(r.id, r.action) for r in await audit_rows(session)] == before
        assert "autopilot" not in result
        assert result["replacements_proposed"]
        proposed = await session.scalar(
            select(func.count())
            .select_from(EventOutbox)
            .where(EventOutbox.kind == "replacement_proposed")
        )
        assert proposed == len(result["replacements_proposed"])


class TestTarget:
    def test_of_the_stored_book_state_by_seat(self) -> None:
        stored = {
            "members": [["ETHUSDT", 2, 0], ["BTCUSDT", 1, 0]],
            "weights": {"BTCUSDT": "60.0000", "ETHUSDT": "40.0000"},
        }
        made = PolicyTarget.of(stored, DECIDED)
        assert made == PolicyTarget(
            DECIDED,
            ["BTCUSDT", "ETHUSDT"],
            {"BTCUSDT": Decimal("60.0000"), "ETHUSDT": Decimal("40.0000")},
        )

    def test_none_while_members_and_weights_disagree(self) -> None:
        stored = {"members": [["BTCUSDT", 1, 0]], "weights": {"ETHUSDT": "100"}}
        assert PolicyTarget.of(stored, DECIDED) is None


class TestFollow:
    @pytest.fixture(autouse=True)
    async def wide_caps(self, session: AsyncSession) -> None:
        """A 70 % cap, so that two or three members may hold these tests' uneven weights."""
        await set_config(session, "max_position_weight", 70.0)

    async def test_an_empty_portfolio_takes_the_books_members_and_weights(
        self, top: list[str], session: AsyncSession, autopilot: AutopilotService
    ) -> None:
        weights = {top[0]: "50.5000", top[1]: "30.2500", top[2]: "19.2500"}
        done = await autopilot.follow(target(weights))
        assert await held(session) == [(s, Decimal(w)) for s, w in weights.items()]
        rows = await audit_rows(session)
        assert [(r.action, r.symbol, r.new_rank, r.actor, r.reason) for r in rows] == [
            ("add", name, rank, "autopilot", REASON) for rank, name in enumerate(weights, 1)
        ]
        # On the way equal weights; the last add, whose members are the book's, its weights.
        assert [r.details["weighting"]["method"] for r in rows] == [INTERIM, INTERIM, METHOD]
        assert [(m["rank"], m["symbol"], m["weight"]) for m in rows[1].details["portfolio"]] == [
            (1, top[0], 50.0),
            (2, top[1], 50.0),
        ]
        assert done.added == [
            {"symbol": r.symbol, "rank": r.new_rank, "history_id": r.id} for r in rows
        ]
        assert done.rebalance_history_id is None  # the last add set the book's weights
        again = await autopilot.follow(target(weights))
        assert (again.added, again.replaced, again.removed, again.rebalance_history_id) == (
            [],
            [],
            [],
            None,
        )
        assert len(await audit_rows(session)) == 3

    async def test_a_leaving_member_is_replaced_in_its_seat_ranked_by_score_and_the_rest_leave(
        self, top: list[str], session: AsyncSession, autopilot: AutopilotService
    ) -> None:
        await autopilot.follow(target({top[0]: "40", top[1]: "30", top[2]: "30"}))
        first = len(await audit_rows(session))
        done = await autopilot.follow(target({top[0]: "45", top[3]: "55"}))
        # The newcomer took the leaver's seat (2nd of the portfolio's own order) ...
        assert await held(session) == [(top[0], Decimal(45)), (top[3], Decimal(55))]
        rows = (await audit_rows(session))[first:]
        # ... but its rank is its score's: below top[2] until that one leaves.
        assert [(r.action, r.symbol, r.replaced_symbol, r.old_rank, r.new_rank) for r in rows] == [
            ("replace", top[3], top[1], 2, 3),
            ("remove", top[2], None, 2, None),
        ]
        assert [[(m["rank"], m["symbol"]) for m in r.details["portfolio"]] for r in rows] == [
            [(1, top[0]), (2, top[2]), (3, top[3])],
            [(1, top[0]), (2, top[3])],
        ]
        assert done.replaced == [{"member": top[1], "outsider": top[3], "history_id": rows[0].id}]
        assert done.removed == [{"symbol": top[2], "history_id": rows[1].id}]
        assert all(r.actor == "autopilot" and r.reason == REASON for r in rows)

    async def test_weights_alone_are_one_rebalance_row(
        self, top: list[str], session: AsyncSession, autopilot: AutopilotService
    ) -> None:
        await autopilot.follow(target({top[0]: "50", top[1]: "50"}))
        first = len(await audit_rows(session))
        done = await autopilot.follow(target({top[0]: "62.5", top[1]: "37.5"}))
        [row] = (await audit_rows(session))[first:]
        assert done.rebalance_history_id == row.id
        assert (row.action, row.actor, row.reason) == ("rebalance", "autopilot", REASON)
        assert row.details["weights_before"] == {top[0]: 50.0, top[1]: 50.0}
        assert row.details["weighting"] == {
            "method": METHOD,
            "relaxed_caps": [],
            "decided_at": DECIDED.isoformat(),
        }
        assert await held(session) == [(top[0], Decimal("62.5")), (top[1], Decimal("37.5"))]

    @pytest.mark.parametrize(
        ("weights", "outside"),
        [({"0": "60", "1": "40"}, ["0"]), ({"0": "50", "1": "49.9999"}, [])],
        ids=["over the cap set since", "not summing to 100"],
    )
    async def test_holdings_that_do_not_fit_the_rules_as_they_stand_keep_none_of_the_pass(
        self,
        top: list[str],
        session: AsyncSession,
        autopilot: AutopilotService,
        weights: dict[str, str],
        outside: list[str],
    ) -> None:
        await autopilot.follow(target({top[0]: "50", top[1]: "50"}))
        before = (await held(session), len(await audit_rows(session)))
        await set_config(session, "max_position_weight", 55.0)  # an admin, after the decision
        book = target({top[int(i)]: w for i, w in weights.items()})
        with pytest.raises(ConflictError) as refused:
            await autopilot.follow(book)
        assert (await held(session), len(await audit_rows(session))) == before
        extra = refused.value.extra
        assert extra["outside_caps"] == [top[int(i)] for i in outside]
        assert extra["caps"] == [2.0, 55.0]
        assert Decimal(str(extra["weights_total"])) == sum(book.weights.values())

    async def test_a_newcomer_that_is_not_tradable_now_keeps_none_of_the_pass(
        self, top: list[str], session: AsyncSession, autopilot: AutopilotService
    ) -> None:
        await autopilot.follow(target({top[0]: "50", top[1]: "50"}))
        before = (await held(session), len(await audit_rows(session)))
        newcomer = await session.scalar(select(Symbol).where(Symbol.symbol == top[2]))
        assert newcomer is not None
        await set_config(session, "excluded_categories", [symbol_category(newcomer).category])
        with pytest.raises(CategoryExcluded):
            await autopilot.follow(target({top[0]: "35", top[2]: "65"}))
        assert (await held(session), len(await audit_rows(session))) == before
