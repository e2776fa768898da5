"""The membership's rules, the building blocks of `MySymbolsService`'s changes: who may join (an
open, eligible, listed contract of a category not excluded, and scored by the latest run), at
what entry price, what a change answers and what it refuses.

Every change takes the portfolio's write lock first and writes its `portfolio_history` row (with
the resulting portfolio as a snapshot) in the same transaction; the database's own constraints
stay the last line of defence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.exchange_errors import ExchangeError
from app.market.contracts.categories import (
    EXCLUDED_CATEGORIES,
    EXCLUDED_PREFIX,
    UNKNOWN,
    exclusion_code,
    is_excluded,
)
from app.market.models import Symbol
from app.market.prices import PriceCache
from app.market.service import symbol_category
from app.platform.core.errors import ConflictError, NotFoundError
from app.platform.core.ticks import decimal_on_tick
from app.platform.settings_store.reader import read_setting
from app.portfolio.decision_inputs import latest_scores
from app.portfolio.models import PortfolioHistory
from app.portfolio.repository import PortfolioRepository
from app.portfolio.schemas.allocation import WeightsRead

logger = logging.getLogger(__name__)


class PortfolioFull(ConflictError):
    slug, title = "portfolio-full", "The portfolio already holds its maximum of symbols"


class AlreadyMember(ConflictError):
    slug, title = "already-member", "The symbol is already in the portfolio"


class NotMember(NotFoundError):
    slug, title = "not-a-member", "The symbol is not in the portfolio"


class SymbolNotEligible(ConflictError):
    slug, title = "symbol-not-eligible", "Only open, eligible, scored symbols can join"


class CategoryExcluded(SymbolNotEligible):
    slug, title = "symbol-category-excluded", "The symbol's contract category is excluded"


@dataclass(frozen=True)
class Change:
    history: PortfolioHistory
    weights: WeightsRead


async def eligible_symbol(session: AsyncSession, canonical: str) -> Symbol:
    """A tradable symbol (`tradable_symbol`) the latest scoring run scored."""
    row = await tradable_symbol(session, canonical)
    scores = await latest_scores(session, [row.id])
    if row.id not in scores.composite:
        excluded = scores.run.exclusions.get("symbols", {}) if scores.run else {}
        why = excluded.get(row.symbol, "not shortlisted" if scores.run else "no run yet")
        if why.startswith(EXCLUDED_PREFIX):  # the peg rule, on the run's closes
            raise _category_excluded(row.symbol, why.removeprefix(EXCLUDED_PREFIX))
        raise SymbolNotEligible(
            f"{row.symbol} has no score in the latest scoring run ({why})",
            extra={"scoring_run_id": scores.run.id if scores.run else None, "why": why},
        )
    return row


async def tradable_symbol(session: AsyncSession, canonical: str) -> Symbol:
    """An open, eligible, listed symbol of the synced universe whose category is not
    excluded."""
    row = await PortfolioRepository(session).symbol_by_name(canonical)
    if row is None:
        raise NotFoundError(f"{canonical} is not in the synced universe; run a sync first")
    if row.status != "Open" or not row.is_eligible or row.delisted_at is not None:
        raise SymbolNotEligible(
            f"{canonical} is not tradable ({row.eligibility_reason or row.status})",
            extra={"contract_status": row.status, "eligibility_reason": row.eligibility_reason},
        )
    category = symbol_category(row).category
    if is_excluded(category, await read_setting(session, EXCLUDED_CATEGORIES, tuple)):
        raise _category_excluded(canonical, category)
    return row


async def entry_price(prices: PriceCache, row: Symbol) -> Decimal | None:
    """The live mid when KuCoin answers, else the last synced mark price (never invented),
    on the contract's tick."""
    try:
        return decimal_on_tick((await prices.get(row.symbol)).mid, row.tick_size)
    except ExchangeError as exc:
        logger.warning("entry price of %s from the stored mark (%s)", row.symbol, exc.slug)
    return None if row.mark_price is None else decimal_on_tick(row.mark_price, row.tick_size)


def _category_excluded(canonical: str, category: str) -> CategoryExcluded:
    code = exclusion_code(category)
    why = (
        "nothing can tell yet what it is (too young for the session rule, or its weekends and "
        "weekday nights not clearly a coin's or a shut market's), and the runtime setting "
        "excluded_categories excludes some categories"
        if category == UNKNOWN
        else f"the runtime setting excluded_categories excludes {category}"
    )
    return CategoryExcluded(
        f"{canonical} is a{'n' if category[0] in 'aeiou' else ''} {category} contract, and {why} "
        f"({code}); an admin may hold it to a category with PUT /symbols/{{symbol}}/category",
        extra={"category": category, "gate_code": code},
    )
