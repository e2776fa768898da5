"""Rows for tests that write the database directly: sensible defaults, keyword overrides.

Each factory adds its rows to the session and flushes, so ids are there to use; nothing commits
(the test's outer transaction is rolled back).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import Candle, Symbol
from app.portfolio.models import PortfolioMember
from app.scoring.models import ScoringAlgorithm, ScoringRun, SymbolScore

Row = TypeVar("Row")
HOUR = timedelta(hours=1)
COMPOSITE = "composite"


async def add(session: AsyncSession, row: Row) -> Row:
    """Add one row and flush it (so the database checks it now and its id is set)."""
    session.add(row)
    await session.flush()
    return row


async def make_symbol(session: AsyncSession, base: str | None = None, **overrides: Any) -> Symbol:
    """An open, eligible USDT-margined perpetual `{base}USDT` (`{base}USDTM` on KuCoin);
    a fresh random base when none is given."""
    base = base or f"T{uuid.uuid4().hex[:8].upper()}"
    values: dict[str, Any] = {
        "symbol": f"{base}USDT",
        "kucoin_symbol": f"{base}USDTM",
        "base_currency": base,
        "quote_currency": "USDT",
        "settle_currency": "USDT",
        "contract_type": "FFWCSX",
        "lot_size": Decimal(1),
        "tick_size": Decimal("0.01"),
        "multiplier": Decimal("0.001"),
        "max_leverage": 50,
        "status": "Open",
        "is_eligible": True,
    }
    return await add(session, Symbol(**{**values, **overrides}))


async def make_member(
    session: AsyncSession,
    seat: int,
    *,
    symbol: Symbol | None = None,
    weight: Decimal | str | int = 10,
    **overrides: Any,
) -> PortfolioMember:
    """An active portfolio member in `seat` (of a fresh symbol unless one is given)."""
    symbol = symbol or await make_symbol(session)
    member = PortfolioMember(symbol_id=symbol.id, seat=seat, weight=Decimal(weight), **overrides)
    return await add(session, member)


async def make_run(
    session: AsyncSession,
    composites: Mapping[Symbol, float | str] | None = None,
    *,
    components: Mapping[str, Mapping[Symbol, float | str]] | None = None,
    confidence: str = "0.8",
    **overrides: Any,
) -> ScoringRun:
    """A completed scoring run with a composite row per symbol of `composites` and, per
    component name of `components`, a row per symbol; `scored_count` counts the composites."""
    composites = composites or {}
    values: dict[str, Any] = {
        "status": "completed",
        "data_source": "test",
        "universe_size": len(composites),
        "scored_count": len(composites),
        "triggered_by": "test",
    }
    run = await add(session, ScoringRun(**{**values, **overrides}))
    for component, scores in {COMPOSITE: composites, **(components or {})}.items():
        for symbol, score in scores.items():
            session.add(
                SymbolScore(
                    run_id=run.id,
                    symbol_id=symbol.id,
                    component=component,
                    score=Decimal(str(score)),
                    confidence=Decimal(confidence),
                )
            )
    await session.flush()
    return run


async def make_candles(
    session: AsyncSession,
    symbol: Symbol,
    closes: Sequence[float],
    *,
    start: datetime,
    step: timedelta = HOUR,
    volume: float = 1.0,
) -> list[Candle]:
    """Flat candles (open = high = low = close) from `start`, one per close, `step` apart."""
    candles = [
        Candle(
            symbol_id=symbol.id,
            granularity_min=int(step.total_seconds() // 60),
            open_time=start + i * step,
            open=close,
            high=close,
            low=close,
            close=close,
            volume=volume,
            fetched_at=start,
        )
        for i, close in enumerate(closes)
    ]
    session.add_all(candles)
    await session.flush()
    return candles


SEED_WEIGHTS = {
    "technical": "0.30",
    "fundamental": "0.25",
    "market_structure": "0.25",
    "risk": "0.20",
}


async def weigh_every_component(session: AsyncSession) -> None:
    """Put the seed's weights (every component weighed, technical version 1) in force, as the
    `seed` preset does: for tests of how components combine, which the default in force (risk
    only) cannot show."""
    for row in (await session.scalars(select(ScoringAlgorithm))).all():
        row.weight = Decimal(SEED_WEIGHTS[row.name])
        row.parameters = {k: v for k, v in row.parameters.items() if k != "version"}
    await session.flush()
