"""What a contract is: `crypto`, `stablecoin`, `commodity` or `equity` (shares, ETFs and
indices), or `unknown` while nothing can tell, from evidence in this order:

1. an admin's override;
2. the exchange's own word: KuCoin's `assetClass` (STOCK, METAL, COMMODITY; CRYPTO says a
   coin, which may still be a stablecoin);
3. the data: the peg rule below (`stablecoin`) and the session rule
   (`app.market.contracts.trading_sessions`: a perpetual on a session-traded underlying goes
   quiet when its home market is shut, on weekday nights and at weekends), which says
   `crypto`, `commodity` or `equity`, or `unknown` for a listing too young to tell;
4. a maintained table keyed by base currency, as a floor: a base it names keeps its category
   when the data says crypto or cannot tell yet, and a base it does not name is `crypto` where
   the data rule has not run (a caller that gives no data verdict).

The table names what KuCoin and Binance list under a base currency. Names clash: on Binance and
KuCoin `SPX` is SPX6900 (a memecoin), `DIA` an oracle token, `T` Threshold, `CVX` Convex
Finance, `GAS` NEO's gas, `USTC` TerraClassicUSD (no longer pegged): all crypto, so none is in
the table. A listing is checked before its ticker is added here, not the ticker alone.

The peg rule: over the last 30 days of hourly closes, every close within 2 % of 1.0 and the
annualised volatility of the hourly log returns below 5 % mean `stablecoin`, whatever the name.
It reads only the closes it is given, so a replay that gives the closes up to a decision time
decides point-in-time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from app.platform.core.units import HOURS_PER_YEAR
from app.platform.settings_store.declaration import declare, some_of

CRYPTO = "crypto"
STABLECOIN = "stablecoin"
COMMODITY = "commodity"
EQUITY = "equity"
UNKNOWN = "unknown"
CATEGORIES = (CRYPTO, STABLECOIN, COMMODITY, EQUITY)
"""What a contract can be held to (an override) and what the setting may exclude."""
EXCLUDED_CATEGORIES = declare(
    "excluded_categories",
    # The crypto cross-section is all the evidence covers: the rest is excluded by default.
    [STABLECOIN, COMMODITY, EQUITY],
    "Contract categories never scored, picked or added (gate code excluded:category:<name>): "
    f"any of {', '.join(CATEGORIES)}.",
    some_of(*CATEGORIES),
)
KNOWN = (*CATEGORIES, UNKNOWN)
"""Every category a contract may have: `unknown` until the evidence can tell. Whatever the
setting excludes, `unknown` is excluded with it (it may be any of them)."""

FROM_OVERRIDE = "override"
FROM_EXCHANGE = "exchange"
FROM_DATA = "data"
FROM_TABLE = "table"
SOURCES = (FROM_OVERRIDE, FROM_EXCHANGE, FROM_DATA, FROM_TABLE)
"""Which evidence decided a contract's category."""
EXCHANGE_CLASSES = {"CRYPTO": CRYPTO, "STOCK": EQUITY, "METAL": COMMODITY, "COMMODITY": COMMODITY}
"""KuCoin's `assetClass` values and the category each says (others are not evidence)."""
EXCLUDED_PREFIX = "excluded:category:"

PEG_HOURS = 720
"""30 days of hourly closes: the window of the peg rule (the latest ones given)."""
PEG_MIN_CLOSES = 168
"""Fewest closes (a week) the rule decides on: a younger listing is left to its name."""
PEG_BAND = 0.02
"""Every close within this fraction of 1.0."""
PEG_MAX_VOLATILITY = 0.05
"""Annualised volatility of the hourly log returns below this."""

# Ticker lists, unformatted: several to a line, grouped under their comments.
# fmt: off
_STABLECOINS = (
    # USD stablecoins
    "USDT", "USDC", "FDUSD", "TUSD", "USDE", "DAI", "PYUSD", "USD1", "USDP", "BUSD", "USDD",
    "FRAX", "GUSD", "LUSD", "SUSD", "CRVUSD", "GHO", "USDS", "RLUSD", "USDG", "USDB", "USDX",
    "USDY", "USD0", "BFUSD", "AUSD", "DOLA", "EURC", "EURI", "EURT", "AEUR", "EURS",
    # fiat currencies quoted against USDT
    "EUR", "GBP", "AUD", "JPY", "CHF", "CAD", "BRL", "TRY",
)
_COMMODITIES = (
    # gold, silver, platinum, palladium (tokens and spot), oil, gas, copper
    "PAXG", "XAUT", "XAU", "KAU", "XAUM", "XAG", "KAG", "XPT", "XPD",
    "WTI", "USOIL", "UKOIL", "BRENT", "NATGAS", "COPPER",
    # perpetuals on metals and oil listed by Binance or KuCoin by 2026-10 (CL: WTI, BZ: Brent)
    "CL", "BZ",
)
_EQUITIES = (
    # tokenized stocks (only tickers seen as tokenized-stock listings: `CVX` is Convex Finance
    # on KuCoin and Binance, not Chevron, and `T` is Threshold, not AT&T)
    "AAPL", "TSLA", "NVDA", "MSTR", "COIN", "AMZN", "GOOGL", "GOOG", "META", "MSFT", "NFLX",
    "AMD", "INTC", "HOOD", "PLTR", "BABA", "CRCL", "ORCL", "AVGO",
    # indices and index funds
    "SPY", "QQQ", "SP500", "NAS100", "NDX", "US30", "US500", "US100", "DJI", "IWM", "VOO",
    "GLD", "SLV", "TLT",
    # xStocks (tokenized shares listed with an X suffix)
    "AAPLX", "TSLAX", "NVDAX", "MSTRX", "COINX", "AMZNX", "GOOGLX", "METAX", "MSFTX", "HOODX",
    "CRCLX", "SPYX", "QQQX",
    # share, ETF and pre-IPO perpetuals listed by Binance (2026-03 to 05) or KuCoin (2026-05 to
    # 10); KuCoin suffixes X only where a coin holds the ticker (BBX beside BB, QNTX beside QNT)
    "MU", "SNDK", "EWY", "EWJ", "MRVL", "NOK", "DRAM", "SKHYNIX", "SOXL", "SPCX", "SLX", "AAOI",
    "BYD", "COST", "CRWV", "HIMS", "LITE", "LLY", "TSM", "USAR", "BBX", "QNTX", "ANTHROPIC",
    "OPENAI",
)
# fmt: on
TABLE: dict[str, str] = {
    **{base: STABLECOIN for base in _STABLECOINS},
    **{base: COMMODITY for base in _COMMODITIES},
    **{base: EQUITY for base in _EQUITIES},
}
QUOTES = ("USDT", "USDC", "USD")


def base_of(symbol: str) -> str:
    """The base currency of a canonical symbol (`PAXGUSDT` -> `PAXG`), or `symbol` itself."""
    upper = symbol.upper()
    for quote in QUOTES:
        if upper.endswith(quote) and len(upper) > len(quote):
            return upper[: -len(quote)]
    return upper


def pegged(close: np.ndarray) -> np.ndarray:
    """`(n,)` for `(n, T)` hourly closes (NaN: missing): the peg rule over the last
    `PEG_HOURS` closes, False for a row with fewer than `PEG_MIN_CLOSES` of them."""
    window = np.asarray(close, dtype=float)[:, -PEG_HOURS:]
    present = ~np.isnan(window)
    with np.errstate(invalid="ignore"):
        within = np.all(~present | (np.abs(window - 1.0) <= PEG_BAND), axis=1)
    out = (present.sum(axis=1) >= PEG_MIN_CLOSES) & within
    candidates = np.flatnonzero(out)  # few or none: the volatility of the others is not read
    if candidates.size:
        out[candidates] = _calm(window[candidates])
    return out


def _calm(window: np.ndarray) -> np.ndarray:
    """`(n,)` for `(n, T)` closes: at least two hourly log returns, their annualised volatility
    below `PEG_MAX_VOLATILITY` (row by row)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        returns = np.diff(np.log(window), axis=1)
    moves = ~np.isnan(returns)
    n_moves = moves.sum(axis=1)
    filled = np.where(moves, returns, 0.0)
    mean = filled.sum(axis=1) / np.maximum(n_moves, 1)
    squares = np.where(moves, (returns - mean[:, None]) ** 2, 0.0).sum(axis=1)
    volatility = np.sqrt(squares / np.maximum(n_moves - 1, 1) * HOURS_PER_YEAR)
    return (n_moves >= 2) & (volatility < PEG_MAX_VOLATILITY)


def exchange_says(asset_class: str | None) -> str | None:
    """The category KuCoin's `assetClass` names (None: it names none we read as evidence)."""
    return EXCHANGE_CLASSES.get(asset_class.upper()) if asset_class else None


@dataclass(frozen=True)
class Decision:
    """A contract's category and which evidence decided it."""

    category: str
    source: str


def decide(
    base: str,
    *,
    override: str | None = None,
    exchange: str | None = None,
    data: str | None = None,
) -> Decision:
    """A contract's category from its evidence (the module's order; the peg rule, which reads
    closes, is `categorise`'s): `exchange` KuCoin's `assetClass`, `data` the session rule's
    verdict (None: not run)."""
    if override is not None:
        return Decision(override, FROM_OVERRIDE)
    said = exchange_says(exchange)
    if said is not None and said != CRYPTO:
        return Decision(said, FROM_EXCHANGE)
    named = TABLE.get(base.upper())
    if named == STABLECOIN:
        return Decision(STABLECOIN, FROM_TABLE)
    if said == CRYPTO:
        return Decision(CRYPTO, FROM_EXCHANGE)
    if data in (COMMODITY, EQUITY):
        return Decision(named or data, FROM_DATA)
    if named is not None:
        return Decision(named, FROM_TABLE)
    if data in (CRYPTO, UNKNOWN):
        return Decision(data, FROM_DATA)
    return Decision(CRYPTO, FROM_TABLE)


def disagreement(base: str, exchange: str | None, data: str | None) -> str | None:
    """Where the data rule, once it has decided, and the exchange or the table disagree on
    whether a contract is crypto: which of them said what (None: no disagreement)."""
    if data not in (CRYPTO, COMMODITY, EQUITY):
        return None
    said = exchange_says(exchange)
    if said is not None and (said == CRYPTO) != (data == CRYPTO):
        return f"the exchange says {exchange}, the data {data}"
    named = TABLE.get(base.upper())
    if said is None and named is not None and named != STABLECOIN and data == CRYPTO:
        return f"the table says {named}, the data {data}"
    return None


def categorise(
    symbols: Sequence[str],
    close: np.ndarray,
    fixed: Iterable[str | None] | None = None,
    exchange: Iterable[str | None] | None = None,
    data: Iterable[str | None] | None = None,
) -> list[str]:
    """Each symbol's category (`decide`): `fixed` an admin's override, `exchange` KuCoin's
    `assetClass`, `data` the session rule's verdict (None where given none), and the peg rule
    on `close` (`(n, T)` hourly closes, the latest last) where nothing decided otherwise."""
    n = len(symbols)
    overrides = list(fixed) if fixed is not None else [None] * n
    classes = list(exchange) if exchange is not None else [None] * n
    verdicts = list(data) if data is not None else [None] * n
    decisions = [
        decide(base_of(s), override=o, exchange=e, data=d)
        for s, o, e, d in zip(symbols, overrides, classes, verdicts, strict=True)
    ]
    peg_rows = [
        i
        for i, d in enumerate(decisions)
        if d.source != FROM_OVERRIDE and d.category in (CRYPTO, UNKNOWN)
    ]
    if peg_rows:
        for i in np.flatnonzero(pegged(np.asarray(close)[peg_rows])).tolist():
            decisions[peg_rows[i]] = Decision(STABLECOIN, FROM_DATA)
    return [d.category for d in decisions]


def is_excluded(category: str, excluded: Iterable[str]) -> bool:
    """Whether `excluded` (the setting's categories) bars `category`: named there, or `unknown`
    while anything is excluded (it may be any of them)."""
    barred = set(excluded)
    return category in barred or (category == UNKNOWN and bool(barred))


def exclusion_code(category: str) -> str:
    """The gate code of a contract excluded for its category."""
    return f"{EXCLUDED_PREFIX}{category}"
