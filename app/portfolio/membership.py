"""Portfolio membership: add, remove, replace; seats 1..n, weights recomputed, one audit row each.

Every change takes the portfolio's write lock first and writes its `portfolio_history` row (with
the resulting portfolio as a snapshot) in the same transaction; the database's own constraints
stay the last line of defence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.kucoin.exchange_errors import ExchangeError
from app.kucoin.gateway import KucoinGateway
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
from app.platform.core.clock import utcnow
from app.platform.core.errors import ConflictError, NotFoundError
from app.platform.core.ticks import decimal_on_tick
from app.platform.settings_store.reader import read_setting
from app.portfolio.audit import ranks_of, record_change, weights_of
from app.portfolio.decision_inputs import latest_scores
from app.portfolio.models import PortfolioHistory, PortfolioMember
from app.portfolio.repository import MemberRow, PortfolioRepository
from app.portfolio.schemas.allocation import WeightsRead
from app.portfolio.settings import PortfolioConfig, load_portfolio_config
from app.portfolio.target_weights import calculate_dynamic_weights

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


class MembershipService:
    """Adds, removes and replaces members under the portfolio lock, each change audited."""

    def __init__(self, session: AsyncSession, gateway: KucoinGateway, prices: PriceCache) -> None:
        self.session = session
        self.gateway = gateway
        self.prices = prices
        self.portfolio = PortfolioRepository(session)

    async def add_symbol(self, symbol: str, *, reason: str | None, actor: Actor) -> Change:
        """Add an open, eligible, scored symbol in the next seat; weights recomputed."""
        await self.portfolio.lock()
        config = await load_portfolio_config(self.session)
        rows = await self.portfolio.active()
        before = weights_of(rows)
        row = await self._eligible_symbol(symbol)
        if any(r.symbol.id == row.id for r in rows):
            raise AlreadyMember(
                f"{row.symbol} is already a member (rank {await self._rank_of(rows, row)})"
            )
        if len(rows) >= config.policy.max_symbols:
            raise PortfolioFull(
                f"the portfolio holds {len(rows)} of {config.policy.max_symbols} symbols; "
                "replace one instead",
                extra={"max_portfolio_symbols": config.policy.max_symbols},
            )
        targets = await self._targets([*(r.symbol for r in rows), row], config)
        await self._join(row, seat=len(rows) + 1, weight=targets.weights[row.symbol])
        after = await self._apply_weights(targets)
        ranks = await ranks_of(self.session, after)
        history = await record_change(
            self.session,
            "add",
            after=after,
            actor=actor,
            reason=reason,
            now=utcnow(),
            symbol=row.symbol,
            new_rank=ranks[row.id],
            new_weight=targets.weights[row.symbol],
            targets=targets,
            before=before,
            ranks=ranks,
        )
        return Change(history, targets)

    async def remove_symbol(self, symbol: str, *, reason: str | None, actor: Actor) -> Change:
        """Remove a member; the seats after it move up, weights recomputed."""
        await self.portfolio.lock()
        config = await load_portfolio_config(self.session)
        rows = await self.portfolio.active()
        before = weights_of(rows)
        leaving = await self._find_member(rows, symbol)
        old_rank = (await ranks_of(self.session, rows))[leaving.symbol.id]
        old_seat, old_weight = leaving.member.seat, leaving.member.weight
        await self._leave(leaving.member)
        remaining = [r for r in rows if r is not leaving]
        for r in remaining:
            if r.member.seat > old_seat:  # ascending: each target seat is already free
                await self.portfolio.set_seat(r.member, r.member.seat - 1)
        targets = await self._targets([r.symbol for r in remaining], config)
        after = await self._apply_weights(targets)
        history = await record_change(
            self.session,
            "remove",
            after=after,
            actor=actor,
            reason=reason,
            now=utcnow(),
            symbol=leaving.symbol.symbol,
            old_rank=old_rank,
            old_weight=old_weight,
            targets=targets,
            before=before,
        )
        return Change(history, targets)

    async def replace_symbol(
        self, old: str, new: str, *, reason: str | None, actor: Actor
    ) -> Change:
        """Swap a member for an outsider atomically; the newcomer takes the member's seat."""
        await self.portfolio.lock()
        config = await load_portfolio_config(self.session)
        rows = await self.portfolio.active()
        before = weights_of(rows)
        leaving = await self._find_member(rows, old)
        row = await self._eligible_symbol(new)
        if any(r.symbol.id == row.id for r in rows):
            raise AlreadyMember(
                f"{row.symbol} is already a member (rank {await self._rank_of(rows, row)})"
            )
        old_rank = (await ranks_of(self.session, rows))[leaving.symbol.id]
        seat, old_weight = leaving.member.seat, leaving.member.weight
        await self._leave(leaving.member)
        kept = [r.symbol for r in rows if r is not leaving]
        targets = await self._targets([*kept, row], config)
        await self._join(row, seat=seat, weight=targets.weights[row.symbol])
        after = await self._apply_weights(targets)
        ranks = await ranks_of(self.session, after)
        history = await record_change(
            self.session,
            "replace",
            after=after,
            actor=actor,
            reason=reason,
            now=utcnow(),
            symbol=row.symbol,
            replaced_symbol=leaving.symbol.symbol,
            old_rank=old_rank,
            new_rank=ranks[row.id],
            old_weight=old_weight,
            new_weight=targets.weights[row.symbol],
            targets=targets,
            before=before,
            ranks=ranks,
        )
        return Change(history, targets)

    # -- helpers -----------------------------------------------------------------------------

    async def _eligible_symbol(self, symbol: str) -> Symbol:
        """A tradable symbol the latest scoring run scored."""
        row = await self._tradable_symbol(symbol)
        scores = await latest_scores(self.session, [row.id])
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

    async def _tradable_symbol(self, symbol: str) -> Symbol:
        """An open, eligible, listed symbol of the synced universe whose category is not
        excluded."""
        canonical = await self.gateway.canonical(symbol)
        row = await self.portfolio.symbol_by_name(canonical)
        if row is None:
            raise NotFoundError(f"{canonical} is not in the synced universe; run a sync first")
        if row.status != "Open" or not row.is_eligible or row.delisted_at is not None:
            raise SymbolNotEligible(
                f"{canonical} is not tradable ({row.eligibility_reason or row.status})",
                extra={"contract_status": row.status, "eligibility_reason": row.eligibility_reason},
            )
        category = symbol_category(row).category
        if is_excluded(category, await read_setting(self.session, EXCLUDED_CATEGORIES, tuple)):
            raise _category_excluded(canonical, category)
        return row

    async def _find_member(self, rows: list[MemberRow], symbol: str) -> MemberRow:
        """The member named by its stored canonical or KuCoin form (so a member whose contract
        KuCoin no longer lists can still leave), else by any form the converter knows."""
        name = symbol.strip().upper()
        for r in rows:
            if name in (r.symbol.symbol, r.symbol.kucoin_symbol):
                return r
        return self._member(rows, await self.gateway.canonical(symbol))

    @staticmethod
    def _member(rows: list[MemberRow], canonical: str) -> MemberRow:
        for r in rows:
            if r.symbol.symbol == canonical:
                return r
        raise NotMember(f"{canonical} is not an active member of the portfolio")

    async def _targets(self, symbols: list[Symbol], config: PortfolioConfig) -> WeightsRead:
        return await calculate_dynamic_weights(self.session, symbols, config, now=utcnow())

    async def _join(self, row: Symbol, *, seat: int, weight: Decimal) -> PortfolioMember:
        member = PortfolioMember(
            symbol_id=row.id,
            seat=seat,
            weight=weight,
            status="active",
            included_at=utcnow(),
            entry_price=await self._entry_price(row),
        )
        self.portfolio.add(member)
        await self.session.flush()
        return member

    async def _leave(self, member: PortfolioMember) -> None:
        member.status, member.removed_at = "removed", utcnow()
        await self.session.flush()

    async def _entry_price(self, row: Symbol) -> Decimal | None:
        """The live mid when KuCoin answers, else the last synced mark price (never invented),
        on the contract's tick."""
        try:
            return decimal_on_tick((await self.prices.get(row.symbol)).mid, row.tick_size)
        except ExchangeError as exc:
            logger.warning("entry price of %s from the stored mark (%s)", row.symbol, exc.slug)
        return None if row.mark_price is None else decimal_on_tick(row.mark_price, row.tick_size)

    async def _rank_of(self, rows: list[MemberRow], symbol: Symbol) -> int:
        return (await ranks_of(self.session, rows))[symbol.id]

    async def _apply_weights(self, targets: WeightsRead) -> list[MemberRow]:
        rows = await self.portfolio.active()
        for r in rows:
            r.member.weight = targets.weights[r.symbol.symbol]
        await self.session.flush()
        return rows


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
