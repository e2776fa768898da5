"""The as-run record follows the real portfolio whoever changes it: members added by one API key
and a replacement made by hand with another appear as its decisions, each with the key's name
as actor; `GET /evidence/live` answers from the first change on, before any hour is marked."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import Candle, Symbol
from app.platform.core.units import HOUR
from app.records.as_run_update import AsRunService
from app.records.hours import ceil_hour
from app.records.models import TrackRecordDecision
from tests.api.portfolio_calls import ADMIN, BASE, PORTFOLIO, READ, TRADE, history, ranked
from tests.api.scored_market import connection, scored, sim_config
from tests.factories import make_candles

# This module runs on the market scored once a module, as the portfolio's tests do; the other
# tests of the records' folder run on the root fixtures, so the scored ones are taken here.
__all__ = ["connection", "scored", "sim_config"]

LIVE = f"{BASE}/evidence/live"


async def live(api: httpx.AsyncClient) -> dict[str, object]:
    response = await api.get(LIVE, headers=READ)
    assert response.status_code == 200, response.text
    return dict(response.json()["as_run"])


async def store_hour(session: AsyncSession, symbols: list[str], opened: datetime) -> None:
    """An hourly candle opening at `opened` for each of `symbols` that has none."""
    rows = (await session.scalars(select(Symbol).where(Symbol.symbol.in_(symbols)))).all()
    for symbol in rows:
        stored = await session.scalar(
            select(Candle.close).where(
                Candle.symbol_id == symbol.id,
                Candle.granularity_min == 60,
                Candle.open_time == opened,
            )
        )
        if stored is None:
            await make_candles(session, symbol, [100.0], start=opened)


async def mark(session: AsyncSession, symbols: list[str], hour: datetime) -> None:
    """The record marked to `hour` (its candle stored, the clock just past it)."""
    await store_hour(session, symbols, hour - HOUR)
    await AsRunService(session).update(hour + timedelta(minutes=1))
    await session.flush()


class TestAsRunRecord:
    async def test_a_replacement_by_hand_is_a_decision_with_the_keys_name(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        symbols = await ranked(api)
        members, newcomer = symbols[:3], symbols[6]
        for symbol in members:
            response = await api.post(
                f"{PORTFOLIO}/add-symbol", json={"symbol": symbol}, headers=ADMIN
            )
            assert response.status_code == 200, response.text
        added = await history(api)
        first = ceil_hour(datetime.fromisoformat(added[-1]["occurred_at"]))
        # Right after the first decision: the record answers, nothing marked yet.
        started = await live(api)
        assert started["inception"] == first.isoformat().replace("+00:00", "Z")
        assert (started["marked_to"], started["hours"], started["decisions"]) == (None, 0, 0)

        await mark(session, [*members, newcomer], first)
        response = await api.post(
            f"{PORTFOLIO}/replace-symbol",
            json={"old_symbol": members[1], "new_symbol": newcomer, "reason": "by hand"},
            headers=TRADE,
        )
        assert response.status_code == 200, response.text
        # Recorded after its hour was marked: it trades at the next one.
        await mark(session, [*members, newcomer], first + HOUR)

        rows = (await history(api))[0], added[0]  # newest first: the replacement, the last add
        decisions = list((await session.scalars(select(TrackRecordDecision).order_by("at"))).all())
        assert [(d.at, d.actor, d.reason) for d in decisions] == [
            (first, rows[1]["actor"], "add"),
            (first + HOUR, rows[0]["actor"], "by hand"),
        ]
        assert rows[0]["actor"] != rows[1]["actor"]  # the trade key's name, then the admin's
        assert decisions[1].weights.keys() == {members[0], newcomer, members[2]}
        document = await live(api)
        assert (document["hours"], document["decisions"]) == (2, 2)
        assert document["marked_to"] == (first + HOUR).isoformat().replace("+00:00", "Z")
