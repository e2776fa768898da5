"""The single place that maps canonical symbols (`BTCUSDT`) to KuCoin codes (`XBTUSDTM`) and back.

Built from the live contract list (`baseCurrency`, `quoteCurrency`, `settleCurrency`,
`symbol`); the string rules (`XBT`↔`BTC`, trailing `M`, `-` for spot, ccxt's
`BASE/QUOTE:SETTLE`) are only a fallback for when no list is loaded, and never invent a code a
contract could not have. Input is case-insensitive and may be in any of those forms. The ccxt
form is ccxt's own for the market, with ccxt's names for some KuCoin currencies, so that a ccxt
client (freqtrade's RemotePairList) finds every pair; a ccxt form resolves only to a contract
whose base, quote and settle currencies (and expiry) all match it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.kucoin.exchange_errors import MalformedSymbol, UnknownSymbol
from app.kucoin.models import Contract

_EXCHANGE_TO_STANDARD = {"XBT": "BTC"}
_STANDARD_TO_EXCHANGE = {v: k for k, v in _EXCHANGE_TO_STANDARD.items()}
_LINEAR_QUOTES = ("USDT", "USDC")
SYMBOL_PATTERN = r"^[A-Za-z0-9]+([/:\-][A-Za-z0-9]+)*$"  # every form we read has this shape
_ALLOWED = re.compile(SYMBOL_PATTERN)
_CCXT = re.compile(
    r"^(?P<base>[A-Z0-9]+)/(?P<quote>[A-Z0-9]+)(:(?P<settle>[A-Z0-9]+))?(-(?P<expiry>\d{6}))?$"
)
_SPOT = re.compile(r"^(?P<base>[A-Z0-9]+)-(?P<quote>USDT|USDC|USD|BTC|ETH)$")
_DATED_KUCOIN = re.compile(r"^[A-Z]+M[FGHJKMNQUVXZ]\d{2}$")
_DATED_CANONICAL = re.compile(r"^(?P<pair>[A-Z0-9]+)-(?P<expiry>\d{6})$")


# ccxt's names for these KuCoin currencies (its `commonCurrencies` for kucoinfutures, beside
# XBT -> BTC); a test holds them equal to ccxt's own.
CCXT_CURRENCIES = {
    "BCHSV": "BSV",
    "BIFI": "BIFIF",
    "VAI": "VAIOT",
    "WAX": "WAXP",
    "ALT": "APTOSLAUNCHTOKEN",
    "KALT": "ALT",
    "FUD": "FTX Users' Debt",
}
_FROM_CCXT = {name.upper(): code for code, name in CCXT_CURRENCIES.items()}


def standard_currency(code: str) -> str:
    return _EXCHANGE_TO_STANDARD.get(code, code)


def listing_ccxt_symbol(canonical: str, base: str, quote: str, settle: str) -> str:
    """ccxt's symbol of a stored listing (its canonical form carries a dated future's expiry)."""
    expiry = canonical.rpartition("-")[2] if _DATED_CANONICAL.match(canonical) else None
    return ccxt_symbol(base, quote, settle, expiry)


def ccxt_symbol(base: str, quote: str, settle: str, expiry: str | None = None) -> str:
    """ccxt's unified symbol of a contract (currencies in their standard form, XBT as BTC)."""
    unified = "/".join(CCXT_CURRENCIES.get(code, code) for code in (base, quote))
    unified += ":" + CCXT_CURRENCIES.get(settle, settle)
    return f"{unified}-{expiry}" if expiry else unified


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
    def ccxt(self) -> str:
        return ccxt_symbol(self.base, self.quote, self.settle, self.expiry)


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
        self._by_ccxt: dict[str, SymbolInfo] = {}
        self.load(contracts)

    def load(self, contracts: Iterable[Contract]) -> None:
        """Replace the mapping with one built from a contract list (duplicates: first wins)."""
        by_canonical: dict[str, SymbolInfo] = {}
        by_kucoin: dict[str, SymbolInfo] = {}
        by_ccxt: dict[str, SymbolInfo] = {}
        for contract in contracts:
            info = info_from_contract(contract)
            ccxt = info.ccxt.upper()
            if info.kucoin in by_kucoin or info.canonical in by_canonical or ccxt in by_ccxt:
                continue
            by_canonical[info.canonical] = info
            by_kucoin[info.kucoin] = info
            by_ccxt[ccxt] = info
        self._by_canonical, self._by_kucoin, self._by_ccxt = by_canonical, by_kucoin, by_ccxt

    @property
    def is_loaded(self) -> bool:
        return bool(self._by_kucoin)

    def __len__(self) -> int:
        return len(self._by_kucoin)

    def resolve(self, symbol: str) -> SymbolInfo:
        """Identify a symbol given in any accepted form; raises MalformedSymbol / UnknownSymbol."""
        if isinstance(symbol, str) and (ccxt := self._by_ccxt.get(symbol.strip().upper())):
            return ccxt  # (a ccxt name may hold characters no other form has)
        text = _normalise(symbol)
        known = self._by_kucoin.get(text) or self._by_canonical.get(text)
        if known is not None:
            return known
        if "/" in text and self.is_loaded:  # ccxt's form: no contract has these currencies
            raise UnknownSymbol(f"{symbol!r} is not a listed KuCoin futures contract")
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
        base, quote, settle = (
            standard_currency(_FROM_CCXT.get(code, code))
            for code in (match["base"], match["quote"], match["settle"] or match["quote"])
        )
        if match["expiry"]:
            raise UnknownSymbol(f"{text!r} is a dated future; its KuCoin code needs the list")
        linear = quote in _LINEAR_QUOTES and settle == quote
        if not (linear or (quote == "USD" and settle == base)):
            raise UnknownSymbol(f"no KuCoin futures contract is quoted {quote}, settled {settle}")
        return _linear_or_inverse(base, quote, settle)
    if match := _SPOT.match(text):
        if match["quote"] not in (*_LINEAR_QUOTES, "USD"):
            raise UnknownSymbol(f"no KuCoin futures contract is quoted {match['quote']}")
        return _linear_or_inverse(standard_currency(match["base"]), match["quote"])
    if _DATED_CANONICAL.match(text) or _DATED_KUCOIN.match(text):
        raise UnknownSymbol(
            f"{text!r} looks like a dated future; its expiry needs the contract list"
        )
    for quote in _LINEAR_QUOTES:
        if text.endswith(quote + "M") and len(text) > len(quote) + 1:
            return _linear_or_inverse(standard_currency(text[: -len(quote) - 1]), quote)
        if text.endswith(quote) and len(text) > len(quote):
            return _linear_or_inverse(standard_currency(text[: -len(quote)]), quote)
    if text.endswith("USDM") and len(text) > 4:
        return _linear_or_inverse(standard_currency(text[:-4]), "USD")
    if text.endswith("USD") and len(text) > 3:
        return _linear_or_inverse(standard_currency(text[:-3]), "USD")
    raise UnknownSymbol(f"{text!r} names no KuCoin futures contract in any accepted form")


def _linear_or_inverse(base: str, quote: str, settle: str | None = None) -> SymbolInfo:
    """A perpetual by KuCoin's naming (dated futures have codes only the list knows)."""
    if not base.isalnum() or not base:
        raise MalformedSymbol(f"{base!r} is not a currency code")
    inverse = quote == "USD"
    settle = settle or (base if inverse else quote)
    kucoin = f"{exchange_currency(base)}{quote}M"
    return SymbolInfo(f"{base}{quote}", kucoin, base, quote, settle, inverse)
