"""The single place that maps canonical symbols (`BTCUSDT`) to KuCoin codes (`XBTUSDTM`) and back.

Built from the live contract list (`baseCurrency`, `quoteCurrency`, `symbol`); the string rules
(`XBT`↔`BTC`, trailing `M`, `-` for spot, ccxt's `BASE/QUOTE:SETTLE`) are only a fallback for
when no list is loaded. Input is case-insensitive and may be in any of those forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.exchange.errors import MalformedSymbol, UnknownSymbol
from app.exchange.models import Contract

_EXCHANGE_TO_STANDARD = {"XBT": "BTC"}
_STANDARD_TO_EXCHANGE = {v: k for k, v in _EXCHANGE_TO_STANDARD.items()}
_LINEAR_QUOTES = ("USDT", "USDC")
_ALLOWED = re.compile(r"^[A-Z0-9]+([/:\-][A-Z0-9]+)*$")
_CCXT = re.compile(
    r"^(?P<base>[A-Z0-9]+)/(?P<quote>[A-Z0-9]+)(:(?P<settle>[A-Z0-9]+))?(-(?P<expiry>\d{6}))?$"
)
_SPOT = re.compile(r"^(?P<base>[A-Z0-9]+)-(?P<quote>USDT|USDC|USD|BTC|ETH)$")
_DATED_KUCOIN = re.compile(r"^[A-Z]+M[FGHJKMNQUVXZ]\d{2}$")
_DATED_CANONICAL = re.compile(r"^(?P<pair>[A-Z0-9]+)-(?P<expiry>\d{6})$")


def standard_currency(code: str) -> str:
    return _EXCHANGE_TO_STANDARD.get(code, code)


def exchange_currency(code: str) -> str:
    return _STANDARD_TO_EXCHANGE.get(code, code)


@dataclass(frozen=True)
class SymbolInfo:
    """A contract's identity in every form we speak."""

    canonical: str
    kucoin: str
    base: str
    quote: str
    settle: str
    is_inverse: bool
    expiry: str | None = None  # YYMMDD for dated futures

    @property
    def spot(self) -> str:
        return f"{self.base}-{self.quote}"

    @property
    def ccxt(self) -> str:
        unified = f"{self.base}/{self.quote}:{self.settle}"
        return f"{unified}-{self.expiry}" if self.expiry else unified


def info_from_contract(contract: Contract) -> SymbolInfo:
    base = standard_currency(contract.base_currency.upper())
    quote = contract.quote_currency.upper()
    settle = standard_currency(contract.settle_currency.upper())
    expiry = None
    if not contract.is_perpetual and contract.expires_at is not None:
        expiry = contract.expires_at.strftime("%y%m%d")
    canonical = f"{base}{quote}" + (f"-{expiry}" if expiry else "")
    return SymbolInfo(
        canonical, contract.symbol.upper(), base, quote, settle, contract.is_inverse, expiry
    )


class SymbolConverter:
    """Maps symbols between forms; `load()` it with the contract list to make it authoritative."""

    def __init__(self, contracts: Iterable[Contract] = ()) -> None:
        self._by_canonical: dict[str, SymbolInfo] = {}
        self._by_kucoin: dict[str, SymbolInfo] = {}
        self.load(contracts)

    def load(self, contracts: Iterable[Contract]) -> None:
        """Replace the mapping with one built from a contract list (duplicates: first wins)."""
        by_canonical: dict[str, SymbolInfo] = {}
        by_kucoin: dict[str, SymbolInfo] = {}
        for contract in contracts:
            info = info_from_contract(contract)
            if info.kucoin in by_kucoin or info.canonical in by_canonical:
                continue
            by_canonical[info.canonical] = info
            by_kucoin[info.kucoin] = info
        self._by_canonical, self._by_kucoin = by_canonical, by_kucoin

    @property
    def is_loaded(self) -> bool:
        return bool(self._by_kucoin)

    def __len__(self) -> int:
        return len(self._by_kucoin)

    def resolve(self, symbol: str) -> SymbolInfo:
        """Identify a symbol given in any accepted form; raises MalformedSymbol / UnknownSymbol."""
        text = _normalise(symbol)
        known = self._by_kucoin.get(text) or self._by_canonical.get(text)
        if known is not None:
            return known
        parsed = _parse(text)
        if self.is_loaded:
            listed = self._by_canonical.get(parsed.canonical)
            if listed is None:
                raise UnknownSymbol(f"{symbol!r} is not a listed KuCoin futures contract")
            return listed
        return parsed

    def to_standard(self, symbol: str) -> str:
        return self.resolve(symbol).canonical

    def to_kucoin(self, symbol: str) -> str:
        return self.resolve(symbol).kucoin

    def to_spot(self, symbol: str) -> str:
        return self.resolve(symbol).spot

    def to_ccxt(self, symbol: str) -> str:
        return self.resolve(symbol).ccxt


def _normalise(symbol: str) -> str:
    if not isinstance(symbol, str):
        raise MalformedSymbol(f"symbol must be a string, got {type(symbol).__name__}")
    text = symbol.strip().upper()
    if not text or len(text) > 40 or not _ALLOWED.match(text):
        raise MalformedSymbol(f"{symbol!r} is not a symbol in any accepted form")
    return text


def _parse(text: str) -> SymbolInfo:
    """The string rules, for when the contract list is not (yet) loaded."""
    if match := _CCXT.match(text):
        base, quote = standard_currency(match["base"]), match["quote"]
        settle = standard_currency(match["settle"] or quote)
        return _linear_or_inverse(base, quote, settle, match["expiry"])
    if match := _SPOT.match(text):
        return _linear_or_inverse(standard_currency(match["base"]), match["quote"], None, None)
    if match := _DATED_CANONICAL.match(text):
        pair = _parse(match["pair"])
        return _linear_or_inverse(pair.base, pair.quote, pair.settle, match["expiry"])
    if _DATED_KUCOIN.match(text):
        raise UnknownSymbol(
            f"{text!r} looks like a dated future; its expiry needs the contract list"
        )
    for quote in _LINEAR_QUOTES:
        if text.endswith(quote + "M") and len(text) > len(quote) + 1:
            return _linear_or_inverse(standard_currency(text[: -len(quote) - 1]), quote, None, None)
        if text.endswith(quote) and len(text) > len(quote):
            return _linear_or_inverse(standard_currency(text[: -len(quote)]), quote, None, None)
    if text.endswith("USDM") and len(text) > 4:
        return _linear_or_inverse(standard_currency(text[:-4]), "USD", None, None)
    if text.endswith("USD") and len(text) > 3:
        return _linear_or_inverse(standard_currency(text[:-3]), "USD", None, None)
    raise MalformedSymbol(f"{text!r} is not a symbol in any accepted form")


def _linear_or_inverse(base: str, quote: str, settle: str | None, expiry: str | None) -> SymbolInfo:
    if not base.isalnum() or not base:
        raise MalformedSymbol(f"{base!r} is not a currency code")
    inverse = quote == "USD"
    settle = settle or (base if inverse else quote)
    canonical = f"{base}{quote}" + (f"-{expiry}" if expiry else "")
    kucoin = f"{exchange_currency(base)}{quote}M" if expiry is None else canonical
    return SymbolInfo(canonical, kucoin, base, quote, settle, inverse, expiry)
