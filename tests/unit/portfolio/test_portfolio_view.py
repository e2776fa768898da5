"""`GET /portfolio` sends its answer serialised as built (`model_construct`, no validation: the
hot read path), in the one shape the API documents: what it sends validates as `PortfolioRead`
and reads back to the same bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from app.market.prices import PriceCache
from app.portfolio.reader import PORTFOLIO_JSON, PortfolioFacts, render
from app.portfolio.repository import MemberFacts
from app.portfolio.schemas.members import PortfolioRead

NOW = datetime.now(UTC)


def member(symbol_id: int, symbol: str, weight: str, price: float | None) -> MemberFacts:
    return MemberFacts(
        symbol_id=symbol_id,
        seat=symbol_id,
        weight=Decimal(weight),
        included_at=NOW - timedelta(hours=30),
        entry_price=Decimal("101.25"),
        symbol=symbol,
        kucoin_symbol=symbol + "M",
        mark_price=price,
        market_data_at=None if price is None else NOW - timedelta(seconds=40),
        ccxt_symbol=f"{symbol[:-4]}/USDT:USDT",
        tick_size=Decimal("0.01"),
    )


def test_the_hot_answer_is_the_documented_shape_byte_for_byte() -> None:
    facts = PortfolioFacts(
        members=[member(1, "SOLUSDT", "60.5", 104.3), member(2, "ETHUSDT", "39.5", None)],
        composite={1: 71.5},
        rank={1: 1, 2: 2},
        candidates=frozenset({2}),
        min_holding=timedelta(hours=24),
        max_symbols=10,
        stale_limit_s=1800.0,
        score_run_id=7,
        score_started_at=NOW - timedelta(minutes=5),
        weights_as_of=NOW - timedelta(hours=2),
    )
    sent = PORTFOLIO_JSON.dump_json(render(facts, PriceCache(cast(Any, None))))
    answer = PortfolioRead.model_validate_json(sent)
    assert answer.model_dump_json().encode() == sent
    assert [(m.symbol, m.weight, m.is_replacement_candidate) for m in answer.members] == [
        ("SOLUSDT", Decimal("60.5"), False),
        ("ETHUSDT", Decimal("39.5"), True),
    ]
    assert answer.members[1].current_price is None and answer.members[1].stale
    assert answer.total_weight == 100 and not answer.reconstructed
