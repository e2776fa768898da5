"""Follow MySymbols' dated membership: the equity of holding what the timeline says, when it
says, marked hourly on a candle folder.

    python examples/follow_timeline.py TIMELINE CANDLES [--cost-bps 6] [--out equity.csv]

TIMELINE is the CSV of `GET /portfolio/timeline` or `GET /replays/{id}/timeline` (a file, or
the URL itself with `--api-key`); CANDLES a folder of `<BASE>_USDT-1h.csv` files
(`ts_ms,open,high,low,close,volume`, ts = the candle's open, epoch ms UTC; `.csv.gz` too), with
optional `<BASE>_USDT-funding.csv` (`ts_ms,rate`).

The book starts at 1.0 at the first interval's `from`, long only and fully funded. At each
interval's start it trades to the interval's weights at the first hourly close at or after it
(intervals starting within one hour trade once, to the last of them; `--cost-bps` of the traded
notional is paid; each hour's equity is marked before the trade made at that hour); between
starts it holds and drifts, marked at
each hour's close (carried over missing candles), paying funding at settlements. An interval
without rows (an empty portfolio) is held in cash. The same rules as the service's replay, so
following a replay's timeline gives the replay's own equity.

Prints `time,equity` hourly (or writes it to `--out`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HOUR = pd.Timedelta(hours=1)


def read_timeline(source: str, api_key: str | None = None) -> pd.DataFrame:
    """The timeline's rows, `from`/`to` as UTC times, `weight` as a fraction."""
    options = None
    if source.startswith(("http://", "https://")):
        options = {"Accept": "text/csv", **({"X-API-Key": api_key} if api_key else {})}
    rows = pd.read_csv(source, storage_options=options)
    rows["from"] = pd.to_datetime(rows["from"], utc=True, format="ISO8601")
    rows["to"] = pd.to_datetime(rows["to"], utc=True, format="ISO8601")
    rows["fraction"] = rows["weight"] / 100.0
    return rows


def first_file(folder: Path, stem: str) -> Path | None:
    """`stem`.csv, or its gzipped form, if the folder holds it."""
    return next(
        (p for p in (folder / f"{stem}.csv", folder / f"{stem}.csv.gz") if p.is_file()), None
    )


def read_candles(folder: Path, symbols: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hourly closes by the time each candle ends (carried over holes), and funding rates at
    the hour of each settlement (0 where none or unknown), one column per symbol."""
    closes, rates = {}, {}
    for symbol in symbols:
        base = symbol.removesuffix("USDT")
        path = first_file(folder, f"{base}_USDT-1h")
        if path is None:
            raise SystemExit(f"no candles for {symbol} in {folder}")
        candles = pd.read_csv(path)
        ends = pd.to_datetime(candles["ts_ms"], unit="ms", utc=True) + HOUR
        closes[symbol] = pd.Series(candles["close"].to_numpy(), index=ends)
        funding = first_file(folder, f"{base}_USDT-funding")
        if funding is not None:
            paid = pd.read_csv(funding)
            at = pd.to_datetime(paid["ts_ms"], unit="ms", utc=True)
            rates[symbol] = paid.groupby(at)["rate"].sum()
    close = pd.DataFrame(closes)
    grid = pd.date_range(close.index.min(), close.index.max(), freq="h")
    close = close.reindex(grid).ffill()
    rate = pd.DataFrame(rates, index=grid, columns=close.columns) if rates else None
    if rate is None:
        rate = pd.DataFrame(0.0, index=grid, columns=close.columns)
    return close, rate.fillna(0.0)


def follow(
    rows: pd.DataFrame, close: pd.DataFrame, rate: pd.DataFrame, cost_bps: float
) -> pd.Series:
    """The hourly equity of trading to each interval's weights at its start."""
    rows = rows.assign(trade=rows["from"].dt.ceil("h"))  # the first close at or after it
    start, end = rows["trade"].min(), rows["to"].max().ceil("h")
    symbols = list(close.columns)
    # Intervals starting within one hour trade once, to the last of them.
    latest = rows.groupby("trade")["from"].transform("max")
    targets = {at: group for at, group in rows[rows["from"] == latest].groupby("trade")}
    ends = {t.ceil("h") for t in rows["to"]} - set(targets)  # followed by none: cash from then
    units = np.zeros(len(symbols))
    cash, cost = 1.0, cost_bps / 1e4
    hours = pd.date_range(start, end, freq="h")
    prices, rates = close.loc[hours].to_numpy(), rate.loc[hours].to_numpy()
    equity = np.empty(len(hours))
    for k, t in enumerate(hours):
        price = prices[k]
        held = units != 0
        if k:  # funding settled at this hour, on the holdings carried into it
            paid = float(np.sum(units[held] * price[held] * rates[k][held]))
            cash -= paid
        value = cash + float(np.sum(units[held] * price[held]))
        equity[k] = value  # marked before it trades (the fee shows from the next hour)
        if t in targets or t in ends:
            weights = np.zeros(len(symbols))
            if t in targets:
                group = targets[t]
                weights[[symbols.index(s) for s in group["symbol"]]] = group["fraction"].to_numpy()
            drifted = np.where(held, units * np.nan_to_num(price) / value, 0.0)
            value -= float(np.abs(weights - drifted).sum()) * cost * value
            buy = weights > 0
            units = np.zeros(len(symbols))
            units[buy] = weights[buy] * value / price[buy]
            cash = value * (1.0 - weights.sum())
    return pd.Series(equity, index=hours, name="equity")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("timeline", help="the timeline CSV: a file or its URL")
    parser.add_argument("candles", type=Path, help="folder of <BASE>_USDT-1h.csv files")
    parser.add_argument("--cost-bps", type=float, default=0.0, help="fee + slippage per trade")
    parser.add_argument("--api-key", help="X-API-Key, when TIMELINE is a URL")
    parser.add_argument("--out", type=Path, help="write time,equity here (default: stdout)")
    args = parser.parse_args(argv)
    rows = read_timeline(args.timeline, args.api_key)
    if rows.empty:
        print("the timeline has no rows: nothing was held", file=sys.stderr)
        return 1
    close, rate = read_candles(args.candles, sorted(set(rows["symbol"])))
    equity = follow(rows, close, rate, args.cost_bps)
    table = equity.rename_axis("time").reset_index()
    table["time"] = table["time"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    table.to_csv(args.out or sys.stdout, index=False, float_format="%.12f")
    return 0


if __name__ == "__main__":
    sys.exit(main())
