"""A member's KuCoin and ccxt forms as stored at universe sync: reads name every member without
KuCoin's live contract list, and flag one that list no longer holds instead of failing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.exchange_errors import ExchangeError
from app.kucoin.symbols import SymbolConverter
from app.market.repository.symbols import SymbolRepository
from app.market.service import DELISTED

_RULES = SymbolConverter()  # never loaded: the string rules only


@dataclass(frozen=True)
class SymbolForms:
    kucoin: str
    ccxt: str
    listed: bool  # False: KuCoin's contract list no longer holds it (or it was never synced)


def ccxt_by_rules(canonical: str) -> str:
    """ccxt's form by the string rules, for a row synced before its form was stored."""
    try:
        return _RULES.to_ccxt(canonical)
    except ExchangeError:  # a form the rules cannot derive (a dated future): say it as stored
        return canonical


def forms_of(symbol: str, kucoin: str, ccxt: str | None, status: str) -> SymbolForms:
    """A stored row's forms (`ccxt` None: synced before the form was stored)."""
    return SymbolForms(kucoin, ccxt or ccxt_by_rules(symbol), status != DELISTED)


def unsynced_forms(symbol: str, kucoin: str | None = None) -> SymbolForms:
    """The forms of a symbol the universe has never held (a replay of outside data)."""
    try:
        kucoin = kucoin or _RULES.to_kucoin(symbol)
    except ExchangeError:
        kucoin = symbol
    return SymbolForms(kucoin, ccxt_by_rules(symbol), listed=False)


async def stored_forms(session: AsyncSession, symbols: Sequence[str]) -> dict[str, SymbolForms]:
    """The stored forms of canonical `symbols`; one the universe never held is left out."""
    rows = await SymbolRepository(session).forms(symbols)
    return {s: forms_of(s, *row) for s, row in rows.items()}
