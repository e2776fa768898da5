"""Calibration on a scripted price path: outcomes measured from stored candles; an agent that is
right more often gains weight, one that is wrong loses it, within the bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import Symbol
from app.signals.models import Signal
from app.signals.outcomes import SignalOutcomeService
from app.signals.repository import PAGE
from app.signals.voting.agent_weights import MAX_WEIGHT, MIN_WEIGHT
from tests.factories import make_candles, make_symbol

START = datetime(2026, 11, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


async def scripted_symbol(session: AsyncSession) -> Symbol:
    """A contract whose price rises 1 % every hour for three days."""
    symbol = await make_symbol(session, "PATH", tick_size=Decimal("0.0001"), multiplier=Decimal(1))
    await make_candles(session, symbol, [100.0 * 1.01**hour for hour in range(72)], start=START)
    return symbol


def decided(symbol: Symbol, direction: str, at: datetime, votes: dict[str, str]) -> Signal:
    cast = [{"agent": a, "decision": d, "confidence": 0.8, "reason": ""} for a, d in votes.items()]
    return Signal(
        source="script",
        symbol_id=symbol.id,
        symbol=symbol.symbol,
        signal_type="TEST",
        direction=direction,
        strength=Decimal("0.5"),
        confidence=Decimal("0.5"),
        timeframe="4h",
        payload={},
        status="approved",
        outcome="approved",
        created_at=at,
        evaluated_at=at,
        processed_at=at,
        consensus={},
        votes=cast,
    )


@pytest.mark.parametrize("page", [PAGE, 5], ids=["one page", "pages of 5"])
async def test_right_agents_gain_weight_wrong_ones_lose_it(
    session: AsyncSession, page: int
) -> None:
    symbol = await scripted_symbol(session)
    for hour in range(2, 40, 2):  # a rising price: every BUY succeeds, every SELL fails
        at = START + hour * HOUR + timedelta(minutes=5)
        session.add(decided(symbol, "BUY", at, {"technical": "approve", "risk": "reject"}))
        session.add(decided(symbol, "SELL", at, {"technical": "reject", "risk": "approve"}))
    await session.flush()
    measured = await SignalOutcomeService(session, page).measure_outcomes(START + 3 * 24 * HOUR)
    assert measured == 38
    records = await SignalOutcomeService(session, page).agent_records()
    technical, risk, fundamental = records["technical"], records["risk"], records["fundamental"]
    assert (technical.votes, technical.hits) == (38, 38)
    assert (risk.votes, risk.hits) == (38, 0)
    assert 1.0 < technical.weight <= MAX_WEIGHT and MIN_WEIGHT <= risk.weight < 1.0
    assert fundamental.weight == 1.0  # never voted: the prior
    assert technical.brier is not None and risk.brier is not None and technical.brier < risk.brier


async def test_a_signal_before_its_horizon_or_without_candles_waits(session: AsyncSession) -> None:
    symbol = await scripted_symbol(session)
    late = START + 70 * HOUR  # its 4 h horizon ends after the stored candles
    session.add(decided(symbol, "BUY", late, {"technical": "approve"}))
    session.add(decided(symbol, "BUY", START + 10 * HOUR, {"technical": "approve"}))
    await session.flush()
    assert (
        await SignalOutcomeService(session).measure_outcomes(START + 12 * HOUR) == 0
    )  # neither horizon passed
    assert (
        await SignalOutcomeService(session).measure_outcomes(START + 80 * HOUR) == 1
    )  # only the one with candles
