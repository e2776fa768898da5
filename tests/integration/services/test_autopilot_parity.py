"""The autopilot plans what the replay's policy step decides: on the same facts (members held,
runs scored, candles), the same confirmed replacements and then the same outsiders filling the
vacancies, in the same order. So with autopilot on, the portfolio as run is the policy's."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Symbol
from app.policy.replacement import RunScores
from app.replay.config import HOUR_MS
from app.replay.context import context_at
from app.replay.policy import Holding, PolicyState, step
from app.services.portfolio.autopilot import plan_pass
from app.services.portfolio.config import load_portfolio_config
from app.services.replay.config import default_run_config, policy_config
from app.services.system.runtime_settings import DEFAULTS
from tests.factories import make_candles, make_member, make_run, make_symbol
from tests.helpers import set_config
from tests.replay_data import START_MS, random_walks

PLACES = 6
HELD_H = 100


def at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


async def test_the_plan_is_the_replay_decision_replacements_then_vacancies(
    session: AsyncSession,
) -> None:
    policy = policy_config(
        default_run_config(), DEFAULTS, {"policy": {"scoring_candles": 300}}, top=PLACES
    )
    history = random_walks(12, 400, seed=11)
    t = START_MS + 380 * HOUR_MS
    earlier = context_at(history, t - 24 * HOUR_MS, policy, set())
    now = context_at(history, t, policy, set())
    # Four of six places held, by the weakest: replacements are due, and two vacancies.
    weakest = sorted(now.composite, key=lambda i: (now.composite[i], i))[:4]

    # The replay's side.
    state = PolicyState(
        members=[Holding(i, rank, t - HELD_H * HOUR_MS) for rank, i in enumerate(weakest, 1)],
        runs=[RunScores(1, earlier.composite, t - 24 * HOUR_MS)],
    )
    decision = step(now, copy.deepcopy(state), policy, run_id=2)

    # The live side: the same facts in the database.
    await set_config(session, "max_portfolio_symbols", PLACES)
    rows: dict[int, Symbol] = {}
    hours = policy.correlation_window_hours + 1
    for i, name in enumerate(history.symbols):
        rows[i] = await make_symbol(session, name.removesuffix("USDT"))
        closes = history.at(t).candles("close", hours)[i]
        await make_candles(session, rows[i], closes.tolist(), start=at(t - hours * HOUR_MS))
    for started, ctx in ((t - 24 * HOUR_MS, earlier), (t, now)):
        await make_run(
            session, {rows[i]: c for i, c in ctx.composite.items()}, started_at=at(started)
        )
    for rank, i in enumerate(weakest, 1):
        await make_member(
            session, rank, symbol=rows[i], weight=Decimal(25),
            included_at=at(t - HELD_H * HOUR_MS),
        )  # fmt: skip
    plan = await plan_pass(session, await load_portfolio_config(session), at(t))

    assert decision.exits == []
    assert [(r.member, r.outsider, r.reasons) for r in plan.replacements] == [
        (e["member"], e["outsider"], e["reasons"]) for e in decision.replaced
    ]
    assert [(r.member, r.blocking) for r in plan.blocked] == [
        (e["member"], e["blocking"]) for e in decision.blocked
    ]
    assert [symbol.symbol for symbol, _ in plan.additions] == decision.added
    assert plan.replacements and plan.additions  # the case shows both steps
    assert [score for _, score in plan.additions] == [
        now.composite[history.index_of(s)] for s in decision.added
    ]
