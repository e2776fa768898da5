"""Universe sync: every KuCoin contract upserted into `symbol`; delistings marked and alerted."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.log import AlertLog
from app.callers.actor import Actor
from app.kucoin.gateway import ContractInfo, KucoinGateway
from app.market.contracts.categories import Decision, base_of, decide
from app.market.models import Symbol
from app.market.repository.sources import MarketDataSourceRepository
from app.market.repository.symbols import SymbolFilter, SymbolRepository
from app.market.schemas import MarketDataRead, SyncResultRead
from app.market.settings import STALE_DATA_LIMIT_S
from app.platform.core.clock import utcnow
from app.platform.core.errors import NotFoundError
from app.platform.db.models.system_configuration import ConfigurationChange
from app.platform.db.repositories.stored_settings import ConfigRepository
from app.platform.settings_store.reader import read_setting

logger = logging.getLogger(__name__)

DELISTED = "Delisted"  # our marker for a contract KuCoin no longer lists at all
CATEGORY_CHANGE = "symbol_category:"  # the audit key of a category override: + the symbol


async def market_data_between(
    session: AsyncSession, since: datetime, until: datetime
) -> MarketDataRead:
    """Where the stored candles opening in [since, until] came from, as an answer shows it."""
    return MarketDataRead.of(await MarketDataSourceRepository(session).between(since, until))


def symbol_category(row: Symbol) -> Decision:
    """A stored contract's category and its source, from the evidence stored on its row: an
    admin's override, KuCoin's `assetClass`, the session rule's last verdict, the table (the
    scoring run's gate also applies the peg rule to its closes)."""
    return decide(
        base_of(row.symbol),
        override=row.category_override,
        exchange=row.asset_class,
        data=row.category_data,
    )


@dataclass(frozen=True)
class SymbolView:
    """A stored symbol with the age of its market data."""

    row: Symbol
    data_age_s: float | None
    stale: bool


def eligibility(contract: ContractInfo) -> tuple[bool, str | None]:
    """Only open, normal-stage USDT-margined linear perpetuals without an expiry are tradable."""
    if not contract.is_perpetual or contract.is_inverse or contract.quote != "USDT":
        return False, "NOT_USDT_PERPETUAL"
    if contract.status != "Open":
        return False, "NOT_OPEN"
    if contract.market_stage == "PRE_MARKET":
        return False, "PRE_MARKET"
    if contract.expires_at is not None:
        return False, "SCHEDULED_EXPIRY"
    return True, None


class Holdings(Protocol):
    """Which symbols the portfolio holds, as it tells the domains below it, which never read its
    tables: a held contract's delisting is critical, and the scoring run's shortlist keeps every
    held one (`app/portfolio/holdings.py` answers it)."""

    async def symbol_ids(self, session: AsyncSession) -> set[int]:
        """The ids of the held symbols, read in `session` (the caller's transaction)."""
        ...


class UniverseService:
    """Syncs KuCoin's contract list into `symbol` and answers what is stored."""

    def __init__(self, session: AsyncSession, gateway: KucoinGateway) -> None:
        self.session = session
        self.symbols = SymbolRepository(session)
        self.alerts = AlertLog(session)
        self.gateway = gateway

    async def list_symbols(
        self, filters: SymbolFilter, *, limit: int, offset: int
    ) -> tuple[list[SymbolView], int]:
        """Stored symbols (last good data, whatever KuCoin's state), each with its data age."""
        rows, total = await self.symbols.page(filters, limit=limit, offset=offset)
        stale_limit = await read_setting(self.session, STALE_DATA_LIMIT_S, float)
        return [self._view(row, stale_limit) for row in rows], total

    async def get_symbol(self, symbol: str) -> SymbolView:
        """One stored symbol given in any accepted form."""
        canonical = await self.gateway.canonical(symbol)
        row = await self.symbols.get_by_symbol(canonical)
        if row is None:
            raise NotFoundError(f"{canonical} is not in the synced universe; run a sync first")
        stale_limit = await read_setting(self.session, STALE_DATA_LIMIT_S, float)
        return self._view(row, stale_limit)

    async def set_category(self, symbol: str, category: str | None, *, actor: Actor) -> SymbolView:
        """Override a symbol's category (None: back to the table and the peg rule); a change is
        audited as a configuration change keyed `symbol_category:<symbol>`."""
        canonical = await self.gateway.canonical(symbol)
        await self.symbols.lock_universe()  # one writer of symbol rows at a time
        row = await self.symbols.get_by_symbol(canonical)
        if row is None:
            raise NotFoundError(f"{canonical} is not in the synced universe; run a sync first")
        if row.category_override != category:
            await ConfigRepository(self.session).record_change(
                ConfigurationChange(
                    changed_at=utcnow(),
                    actor=actor.name,
                    request_id=actor.request_id,
                    key=f"{CATEGORY_CHANGE}{canonical}",
                    old_value={"category_override": row.category_override},
                    new_value={"category_override": category},
                )
            )
            row.category_override = category
            await self.symbols.flush()
        stale_limit = await read_setting(self.session, STALE_DATA_LIMIT_S, float)
        return self._view(row, stale_limit)

    @staticmethod
    def _view(row: Symbol, stale_limit_s: float) -> SymbolView:
        if row.market_data_at is None:
            return SymbolView(row, None, True)
        age = (utcnow() - row.market_data_at).total_seconds()
        return SymbolView(row, round(age, 3), age > stale_limit_s)

    async def sync(self, holdings: Holdings) -> SyncResultRead:
        """Fetch the contract list and make `symbol` match it, in the caller's transaction (a
        delisting of one of `holdings` is alerted as critical)."""
        started = time.perf_counter()
        contracts = await self.gateway.list_contracts()
        now = utcnow()
        added = updated = eligible = 0
        delisted: list[str] = []
        relisted: list[str] = []
        await self.symbols.lock_universe()
        existing = await self.symbols.all_by_kucoin_symbol()
        members = await holdings.symbol_ids(self.session)  # under the universe's lock
        seen: set[str] = set()
        for contract in contracts:
            seen.add(contract.kucoin_symbol)
            row = existing.get(contract.kucoin_symbol)
            # Only a contract we knew as open can be delisted; a new non-open one just arrives so.
            was_open = row is not None and row.status == "Open" and row.delisted_at is None
            if row is None:
                row = Symbol(kucoin_symbol=contract.kucoin_symbol, first_seen_at=now)
                self.symbols.add(row)
                added += 1
            else:
                updated += 1
            _apply(row, contract, now)
            eligible += row.is_eligible
            if contract.status == "Open" and row.delisted_at is not None:
                row.delisted_at = None
                relisted.append(row.symbol)
            elif contract.status != "Open" and was_open:
                row.delisted_at = now
                delisted.append(row.symbol)
                await self._alert_delisting(row, f"status is now {contract.status}", members)
        for kucoin_symbol, row in existing.items():
            if kucoin_symbol in seen or row.status == DELISTED:
                continue
            # A contract already marked (Paused, Closed) keeps the time it stopped being Open.
            if row.delisted_at is None:
                row.delisted_at = now
                delisted.append(row.symbol)
            row.status = DELISTED
            row.is_eligible, row.eligibility_reason = False, "DELISTED"
            await self._alert_delisting(row, "no longer listed by KuCoin", members)
        await self.symbols.flush()
        duration_ms = round((time.perf_counter() - started) * 1000, 3)
        logger.info(
            "universe sync: %d contracts, %d added, %d delisted, %d eligible",
            len(contracts),
            added,
            len(delisted),
            eligible,
        )
        return SyncResultRead(
            source=self.gateway.source,
            synced_at=now,
            contracts=len(contracts),
            added=added,
            updated=updated,
            delisted=delisted,
            relisted=relisted,
            eligible=eligible,
            duration_ms=duration_ms,
        )

    async def _alert_delisting(self, row: Symbol, why: str, members: set[int]) -> None:
        is_member = row.id in members
        await self.alerts.raise_or_touch(
            kind="delisting",
            fingerprint=f"delisting:{row.symbol}",
            severity="critical" if is_member else "warning",
            symbol=row.symbol,
            message=f"{row.symbol} ({row.kucoin_symbol}) {why}",
            details={
                "kucoin_symbol": row.kucoin_symbol,
                "status": row.status,
                "portfolio_member": is_member,
            },
        )


def _apply(row: Symbol, c: ContractInfo, now: datetime) -> None:
    eligible, reason = eligibility(c)
    row.symbol, row.base_currency, row.quote_currency = c.symbol, c.base, c.quote
    row.ccxt_symbol = c.ccxt_symbol
    row.settle_currency, row.contract_type, row.is_inverse = c.settle, c.contract_type, c.is_inverse
    row.lot_size = Decimal(repr(c.lot_size))
    row.tick_size = Decimal(repr(c.tick_size))
    row.multiplier = Decimal(repr(c.multiplier))
    row.max_leverage, row.status = c.max_leverage, c.status
    row.is_eligible, row.eligibility_reason = eligible, reason
    row.mark_price, row.index_price, row.last_price = c.mark_price, c.index_price, c.last_price
    row.turnover_24h, row.volume_24h = c.turnover_24h, c.volume_24h
    row.open_interest_lots, row.funding_rate = c.open_interest_lots, c.funding_rate
    row.funding_interval_ms, row.listed_at = c.funding_interval_ms, c.listed_at
    row.asset_class = c.asset_class
    row.last_seen_at, row.market_data_at = now, now
