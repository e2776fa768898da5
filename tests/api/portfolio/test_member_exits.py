"""Exits that do not wait, live: at the end of a scoring run (the `score_refresh` job, run over
HTTP against the simulator), a member the gate excludes for a reason that will not heal is
replaced by the run's best eligible outsider in one audited change with reason `exit:<code>`,
raising a `member_exit` alert and announcing the change (event, webhook); with
`auto_replace_exits` off it is only proposed. The live facts through the pure rule give the
decision the job took."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import aiohttp
import httpx
import pytest
from aiohttp import web
from fastapi import FastAPI
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.models import Alert
from app.market.models import Candle, Symbol
from app.platform.core.environment_sections import WebhookEnvironment
from app.platform.db.models import EventOutbox, WebhookDelivery
from app.platform.events.wakeup import EventSignal
from app.platform.webhooks.dispatcher import WebhookDispatcher
from app.portfolio.decision_inputs import hourly_log_returns
from app.portfolio.maths.correlation import pairwise_correlation
from app.portfolio.member_exits import ExitService
from app.portfolio.models import PortfolioHistory, PortfolioMember
from app.portfolio.policy.exit_rule import choose_replacements, due_exits, exit_outsiders
from app.portfolio.policy.replacement_facts import CorrelationTable, OutsiderFact
from app.portfolio.repository import PortfolioRepository
from app.portfolio.service import MySymbolsService
from app.portfolio.settings import load_portfolio_config
from app.scoring.models import ScoringRun, SymbolScore
from app.scoring.repository import ScoringRepository
from tests.api.portfolio_calls import ADMIN, BASE, add, ranked
from tests.conftest import ADMIN_NAME
from tests.helpers import send_now, set_config
from tests.kucoin_sim.app import KucoinSimulator

REFRESH = f"{BASE}/jobs/score_refresh/run"
GRACE = timedelta(hours=24)  # exit_grace_hours' default
HOUR_MS = 3_600_000
EXIT_SECRET = "whsec_" + base64.b64encode(b"exit-webhook-secret-for-32-bytes").decode()


REFRESHER = ADMIN_NAME  # the key `refresh` asks with: the exits it makes are its


async def refresh(api: httpx.AsyncClient) -> dict[str, Any]:
    """One score_refresh job run (a scoring run, then exits and proposals); its result."""
    response = await api.post(REFRESH, params={"wait": 60}, headers=ADMIN)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "succeeded", body
    return dict(body["result"])


async def symbol(session: AsyncSession, name: str) -> Symbol:
    row = await session.scalar(select(Symbol).where(Symbol.symbol == name))
    assert row is not None
    return row


async def members(session: AsyncSession) -> list[str]:
    """The active members by seat: an exit's newcomer takes the leaver's seat (never shown)."""
    return [r.symbol.symbol for r in await PortfolioRepository(session).active()]


async def rank_in_run(session: AsyncSession, run_id: int, symbols: list[str], name: str) -> int:
    """`name`'s rank among `symbols` by their composites in run `run_id`: best first, the
    members the run did not score after those it did."""
    rows = await session.execute(
        select(Symbol.symbol, SymbolScore.score)
        .join(SymbolScore, SymbolScore.symbol_id == Symbol.id)
        .where(
            SymbolScore.run_id == run_id,
            SymbolScore.component == "composite",
            Symbol.symbol.in_(symbols),
        )
    )
    scores = {s: float(score) for s, score in rows.all()}
    if name not in scores:
        return len(scores) + 1 + [s for s in symbols if s not in scores].index(name)
    return 1 + sum(1 for s, score in scores.items() if score > scores[name])


async def best_outsider(session: AsyncSession, run_id: int, held: list[str]) -> str:
    """The run's best tradable outsider by composite (the correlation limit is 1 here)."""
    rows = await session.execute(
        select(Symbol.symbol)
        .join(SymbolScore, SymbolScore.symbol_id == Symbol.id)
        .where(
            SymbolScore.run_id == run_id,
            SymbolScore.component == "composite",
            Symbol.status == "Open",
            Symbol.is_eligible,
            Symbol.delisted_at.is_(None),
            Symbol.symbol.not_in(held),
        )
        .order_by(SymbolScore.score.desc(), Symbol.symbol)
    )
    return str(rows.scalars().first())


async def events(session: AsyncSession, kind: str) -> list[dict[str, Any]]:
    query = select(EventOutbox.payload).where(EventOutbox.kind == kind).order_by(EventOutbox.id)
    return list((await session.scalars(query)).all())


async def history_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(PortfolioHistory)) or 0)


@pytest.fixture
async def held(api: httpx.AsyncClient, session: AsyncSession) -> list[str]:
    """Three members just added (held 0 h: the hysteresis could not replace them), the
    correlation limit at 1 so the best outsider always qualifies."""
    top = await ranked(api)
    for name in top[:3]:
        assert (await add(api, name)).status_code == 200
    await set_config(session, "correlation_limit", 1.0)
    return top[:3]


def assert_executed(result: dict[str, Any], member: str, outsider: str, reason: str) -> int:
    [outcome] = result["exits"]
    assert (outcome["member"], outcome["outsider"], outcome["reason"], outcome["executed"]) == (
        member,
        outsider,
        reason,
        True,
    )
    return int(outcome["history_id"])


async def assert_audited(
    session: AsyncSession,
    history_id: int,
    member: str,
    outsider: str,
    reason: str,
    ranks: tuple[int, int],
    actor: str = "scheduler",
) -> None:
    """The audit row (made by `actor`: the scheduler, or the key that asked for the run; with
    `ranks`, the leaver's and the newcomer's ranks by score), the alert and the
    portfolio_changed event of one executed exit."""
    row = await session.get(PortfolioHistory, history_id)
    assert row is not None
    assert (row.action, row.symbol, row.replaced_symbol, row.reason) == (
        "replace",
        outsider,
        member,
        reason,
    )
    assert (row.old_rank, row.new_rank, row.actor) == (*ranks, actor)
    alert = await session.scalar(select(Alert).where(Alert.fingerprint == f"member_exit:{member}"))
    assert alert is not None
    assert (alert.kind, alert.symbol, alert.severity, alert.status) == (
        "member_exit",
        member,
        "warning",
        "open",
    )
    assert alert.message == f"{member} left the portfolio ({reason}); {outsider} replaced it"
    assert alert.details["history_id"] == history_id
    assert (alert.details["outsider"], alert.details["reason"]) == (outsider, reason)
    [changed] = [
        e for e in await events(session, "portfolio_changed") if e["history_id"] == history_id
    ]
    said = [changed[k] for k in ("action", "symbol", "replaced_symbol", "reason")]
    assert said == ["replace", outsider, member, reason]
    assert member not in changed["members"] and outsider in changed["members"]
    alerts = [e for e in await events(session, "alert") if e["alert_id"] == alert.id]
    assert [a["kind"] for a in alerts] == ["member_exit"]


class TestContractStatus:
    async def test_paused_within_the_grace_stays_then_gone_leaves_as_delisted(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator, held: list[str]
    ) -> None:
        member = held[1]
        kucoin = (await symbol(session, member)).kucoin_symbol
        sim.delist(kucoin, status="Paused")
        for _ in range(2):  # Paused since the first of these runs' sync: within the grace
            result = await refresh(api)
            assert result["exits"] == []
        row = await symbol(session, member)
        assert (row.status, row.delisted_at is not None) == ("Paused", True)
        assert await members(session) == held
        sim.delist(kucoin)  # now gone from KuCoin's contract list
        result = await refresh(api)
        outsider = await best_outsider(session, result["run_id"], held)
        history_id = assert_executed(result, member, outsider, "exit:delisted")
        assert (await symbol(session, member)).status == "Delisted"
        after = [held[0], outsider, held[2]]
        assert await members(session) == after
        # The run scored no delisted member: it ranked last when it left (by score, whatever its
        # seat); the newcomer is ranked by its own score among those it joined.
        ranks = (3, await rank_in_run(session, result["run_id"], after, outsider))
        await assert_audited(
            session, history_id, member, outsider, "exit:delisted", ranks, REFRESHER
        )

    async def test_paused_beyond_the_grace_leaves_as_not_open_and_a_webhook_says_why(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator, held: list[str]
    ) -> None:
        member = held[0]
        sim.delist((await symbol(session, member)).kucoin_symbol, status="Paused")
        assert (await refresh(api))["exits"] == []
        row = await symbol(session, member)
        assert row.delisted_at is not None
        row.delisted_at -= GRACE + timedelta(minutes=1)  # Paused since a day and a minute ago
        await session.flush()
        before = await history_count(session)
        result = await refresh(api)
        outsider = await best_outsider(session, result["run_id"], held)
        history_id = assert_executed(result, member, outsider, "exit:not_open")
        assert await history_count(session) == before + 1  # one audited change
        after = [outsider, *held[1:]]
        assert await members(session) == after
        # Unscored in the run that saw it paused: the leaver ranked last, though in the first seat.
        ranks = (3, await rank_in_run(session, result["run_id"], after, outsider))
        await assert_audited(
            session, history_id, member, outsider, "exit:not_open", ranks, REFRESHER
        )
        # The next run: the member is gone, nothing more is due.
        assert (await refresh(api))["exits"] == []
        changes = await session.scalars(
            select(EventOutbox).where(EventOutbox.kind == "portfolio_changed")
        )
        [event_id] = [e.id for e in changes if e.payload["history_id"] == history_id]
        received = await delivered(session, event_id)
        assert received["kind"] == "portfolio_changed"
        assert (received["data"]["replaced_symbol"], received["data"]["symbol"]) == (
            member,
            outsider,
        )
        assert received["data"]["reason"] == "exit:not_open"


async def delivered(session: AsyncSession, event_id: int) -> dict[str, Any]:
    """Deliver one outbox event to a receiver on 127.0.0.1 through the webhook dispatcher (on
    the test's session); the body received, after checking the delivery's row."""
    received: list[dict[str, Any]] = []

    async def handle(request: web.Request) -> web.Response:
        received.append(json.loads(await request.read()))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"

    @asynccontextmanager
    async def joined() -> AsyncIterator[AsyncSession]:
        yield session

    try:
        async with aiohttp.ClientSession() as http:
            environment = WebhookEnvironment(
                urls=[url], secret=EXIT_SECRET, allow_http=True, allow_private_addresses=True
            )
            dispatcher = WebhookDispatcher(
                environment,
                joined,
                http,
                EventSignal(),
                replica="test",  # type: ignore[arg-type]
            )
            event = await session.get(EventOutbox, event_id)
            assert event is not None
            await send_now(dispatcher, event, url)
    finally:
        await runner.cleanup()
    row = await session.scalar(select(WebhookDelivery).where(WebhookDelivery.event_id == event_id))
    assert row is not None
    assert (row.kind, row.status, row.attempts, row.response_status) == (
        "portfolio_changed",
        "delivered",
        1,
        204,
    )
    [body] = received
    return body


async def stop_candles(session: AsyncSession, sim: KucoinSimulator, name: str, hours: int) -> None:
    """`name`'s candles end `hours` ago: the stored ones after are deleted, and KuCoin has none."""
    row = await symbol(session, name)
    hour_ms = sim.clock.now_ms() // HOUR_MS * HOUR_MS
    sim.drop_candles(row.kucoin_symbol, hour_ms - hours * HOUR_MS, hour_ms + 48 * HOUR_MS)
    last = await session.scalar(
        select(func.max(Candle.open_time)).where(Candle.symbol_id == row.id)
    )
    assert last is not None  # the last closed hour: deleted with the `hours - 1` before it
    await session.execute(
        delete(Candle).where(
            Candle.symbol_id == row.id, Candle.open_time > last - timedelta(hours=hours)
        )
    )
    await session.flush()


class TestStaleCandles:
    async def test_stale_past_the_grace_leaves(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator, held: list[str]
    ) -> None:
        member = held[2]
        await stop_candles(session, sim, member, 30)
        result = await refresh(api)
        run = await session.get(ScoringRun, result["run_id"])
        assert run is not None and run.exclusions["symbols"][member] == "CANDLE_GAPS"
        outsider = await best_outsider(session, result["run_id"], held)
        history_id = assert_executed(result, member, outsider, "exit:stale")
        after = [*held[:2], outsider]
        assert await members(session) == after
        ranks = (3, await rank_in_run(session, result["run_id"], after, outsider))
        await assert_audited(session, history_id, member, outsider, "exit:stale", ranks, REFRESHER)
        alert = await session.scalar(select(Alert).where(Alert.kind == "member_exit"))
        assert alert is not None and alert.details["fact"]["candle_age_hours"] > 24

    async def test_stale_within_the_grace_stays(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator, held: list[str]
    ) -> None:
        await set_config(session, "gate_max_gap_ratio", 0.005)  # 5 missing of 500: excluded
        member = held[2]
        await stop_candles(session, sim, member, 5)
        before = await history_count(session)
        result = await refresh(api)
        run = await session.get(ScoringRun, result["run_id"])
        assert run is not None and run.exclusions["symbols"][member] == "CANDLE_GAPS"
        assert result["exits"] == []
        assert await members(session) == held
        assert await history_count(session) == before
        assert await session.scalar(select(Alert).where(Alert.kind == "member_exit")) is None


class TestProposeOnly:
    async def test_auto_replace_off_proposes_and_changes_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator, held: list[str]
    ) -> None:
        await set_config(session, "auto_replace_exits", False)
        member = held[1]
        sim.delist((await symbol(session, member)).kucoin_symbol)
        before = await history_count(session)
        weights = {
            r.symbol.symbol: r.member.weight for r in await PortfolioRepository(session).active()
        }
        result = await refresh(api)
        outsider = await best_outsider(session, result["run_id"], held)
        [outcome] = result["exits"]
        assert outcome == {
            "member": member,
            "outsider": outsider,
            "reason": "exit:delisted",
            "executed": False,
            "history_id": None,
            "alert_id": outcome["alert_id"],
        }
        assert await members(session) == held
        assert await history_count(session) == before
        assert {
            r.symbol.symbol: r.member.weight for r in await PortfolioRepository(session).active()
        } == weights
        proposals = [p for p in await events(session, "replacement_proposed") if "exit" in p]
        assert proposals == [
            {
                "member": member,
                "outsider": outsider,
                "lead": None,
                "reasons": ["exit:delisted"],
                "exit": "exit:delisted",
                "scoring_run_id": result["run_id"],
            },
        ]
        alert = await session.get(Alert, outcome["alert_id"])
        assert alert is not None
        assert (alert.kind, alert.severity, alert.symbol) == ("member_exit", "critical", member)
        assert alert.message == (
            f"{member} must leave the portfolio (exit:delisted); {outsider} is proposed "
            "(auto_replace_exits is off)"
        )
        # Proposed again at the next run: the same alert, counted, not a second one.
        again = await refresh(api)
        assert [e["alert_id"] for e in again["exits"]] == [alert.id]
        await session.refresh(alert)
        assert alert.occurrences == 2
        active = await session.scalar(
            select(func.count())
            .select_from(PortfolioMember)
            .where(PortfolioMember.status == "active")
        )
        assert active == 3

    async def test_with_autopilot_on_the_scheduler_only_proposes_its_exits(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator, held: list[str]
    ) -> None:
        """Autopilot's hourly pass is the one automatic writer: auto_replace_exits (on) gives
        way, so the as-run record never parts from the policy's book between two passes."""
        await set_config(session, "autopilot", True)
        member = held[1]
        sim.delist((await symbol(session, member)).kucoin_symbol)
        before = await history_count(session)
        result = await refresh(api)
        [outcome] = result["exits"]
        assert (outcome["member"], outcome["executed"], outcome["history_id"]) == (
            member,
            False,
            None,
        )
        assert await members(session) == held
        assert await history_count(session) == before
        alert = await session.get(Alert, outcome["alert_id"])
        assert alert is not None
        assert alert.severity == "warning"  # the change is coming: nobody needs paging
        assert alert.message.endswith(
            "(autopilot makes the change at the next hour the forward record marks)"
        )


class TestReplayParity:
    async def test_the_live_facts_through_the_pure_rule_give_the_jobs_decision(
        self,
        api: httpx.AsyncClient,
        session: AsyncSession,
        sim: KucoinSimulator,
        sim_app: FastAPI,
        held: list[str],
    ) -> None:
        # The smallest core: rotation off, no budget, a shortlist of 3, 3 places (so the
        # previous run's best 6 are the replacement candidates the run must score).
        for key, value in (
            ("scoring_rotation", False),
            ("scoring_weight_budget", 0),
            ("scoring_shortlist", 3),
            ("max_portfolio_symbols", 3),
        ):
            await set_config(session, key, value)
        previous = await ScoringRepository(session).latest_run(with_scores=True)
        assert previous is not None
        candidates = await ScoringRepository(session).best_symbol_ids(previous.id, 6)
        await set_config(session, "auto_replace_exits", False)  # decide, then compare
        sim.delist((await symbol(session, held[0])).kucoin_symbol)
        await stop_candles(session, sim, held[2], 30)
        result = await refresh(api)
        run = await session.get(ScoringRun, result["run_id"])
        assert run is not None and run.spend["planned"]["rotation"] == []
        config = await load_portfolio_config(session)
        state = sim_app.state.app_state
        membership = MySymbolsService(session, state.gateway, state.prices)
        live = await ExitService(session, membership).decide(run, config, run.started_at)
        # The pure rule (the replay's) on the facts the live path built.
        due = due_exits(live.facts, config.policy.exit_grace_hours)
        assert [(d.member.symbol, d.reason) for d in due] == [
            (held[0], "exit:delisted"),
            (held[2], "exit:stale"),
        ]
        scores = (await ScoringRepository(session).component_scores([run.id], "composite"))[run.id]
        composite = {i: float(s.score) for i, s in scores.items()}
        rows = {s.id: s for s in (await session.scalars(select(Symbol))).all()}
        outsiders = [
            OutsiderFact(i, rows[i].symbol)
            for i in composite
            if rows[i].symbol not in held
            and rows[i].status == "Open"
            and rows[i].is_eligible
            and rows[i].delisted_at is None
        ]
        ranked_outsiders = exit_outsiders(outsiders, composite, len(due))
        remaining = [rows[f.id] for f in live.facts if f.symbol == held[1]]
        involved = remaining + [rows[o.id] for o in ranked_outsiders]
        returns = await hourly_log_returns(
            session, involved, config.policy.correlation_window_hours, run.started_at
        )
        table = CorrelationTable([s.id for s in involved], pairwise_correlation(returns))
        pure = choose_replacements(
            due,
            [s.id for s in remaining],
            ranked_outsiders,
            table,
            config.policy.replacement.correlation_limit,
        )
        assert pure == live.exits
        assert [(e["member"], e["outsider"], e["reason"]) for e in result["exits"]] == [
            (e.member, e.outsider, e.reason) for e in pure
        ]
        # Each newcomer was scored by this run, from its core (the shortlist or the replacement
        # candidates, the previous run's best: which, depends on the series' correlations).
        assert all(e.outsider_id in composite for e in pure)
        members = {s.id for s in rows.values() if s.symbol in held}
        assert set(candidates) - members <= set(composite)  # every outsider candidate scored
