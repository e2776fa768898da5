"""What a contract is: `crypto`, `stablecoin`, `commodity` or `equity` (tokenized stocks and
indices), from a maintained table keyed by base currency, backed by a peg rule on the data.

The table names what KuCoin (and the Binance histories the replay reads) list under a base
currency; a base it does not name is `crypto`. Names clash: on Binance and KuCoin `SPX` is
SPX6900 (a memecoin), `DIA` an oracle token, `T` Threshold, `CVX` Convex Finance, `GAS` NEO's
gas, `USTC` TerraClassicUSD (no longer pegged): all crypto, so none is in the table. A listing
is checked before its ticker is added here, not the ticker alone.

The peg rule: over the last 30 days of hourly closes, every close within 2 % of 1.0 and the
annualised volatility of the hourly log returns below 5 % mean `stablecoin`, whatever the name.
It reads only the closes it is given, so a replay that gives the closes up to a decision time
decides point-in-time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

CRYPTO = "crypto"
STABLECOIN = "stablecoin"
COMMODITY = "commodity"
EQUITY = "equity"
CATEGORIES = (CRYPTO, STABLECOIN, COMMODITY, EQUITY)
DEFAULT_EXCLUDED = (STABLECOIN, COMMODITY, EQUITY)
"""The crypto cross-section is all the evidence covers: the rest is excluded by default."""
EXCLUDED_PREFIX = "excluded:category:"

PEG_HOURS = 720
"""30 days of hourly closes: the window of the peg rule (the latest ones given)."""
PEG_MIN_CLOSES = 168
"""Fewest closes (a week) the rule decides on: a younger listing is left to its name."""
PEG_BAND = 0.02
"""Every close within this fraction of 1.0."""
PEG_MAX_VOLATILITY = 0.05
"""Annualised volatility of the hourly log returns below this."""
HOURS_PER_YEAR = 8760

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
)
# fmt: on
TABLE: dict[str, str] = {
    **{base: STABLECOIN for base in _STABLECOINS},
    **{base: COMMODITY for base in _COMMODITIES},
    **{base: EQUITY for base in _EQUITIES},
}
QUOTES = ("USDT", "USDC", "USD")


def category_of(base: str) -> str:
    """The table's category of a base currency (`crypto` for every base it does not name)."""
    return TABLE.get(base.upper(), CRYPTO)


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


def categorise(
    symbols: Sequence[str], close: np.ndarray, fixed: Iterable[str | None] | None = None
) -> list[str]:
    """Each symbol's category: `fixed` (an admin's override) where given, else the table's by
    its base currency, and `stablecoin` where the table says `crypto` but the closes are
    pegged (`close`: `(n, T)` hourly closes, the latest last)."""
    given = list(fixed) if fixed is not None else [None] * len(symbols)
    named = [
        f if f is not None else category_of(base_of(s)) for s, f in zip(symbols, given, strict=True)
    ]
    open_rows = [
        i for i, (f, c) in enumerate(zip(given, named, strict=True)) if f is None and c == CRYPTO
    ]
    if open_rows:
        for i in np.flatnonzero(pegged(np.asarray(close)[open_rows])).tolist():
            named[open_rows[i]] = STABLECOIN
    return named


def exclusion_code(category: str) -> str:
    """The gate code of a contract excluded for its category."""
    return f"{EXCLUDED_PREFIX}{category}"
