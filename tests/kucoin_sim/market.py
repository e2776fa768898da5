"""The simulated market: contracts, series and books answering in KuCoin's JSON shapes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from tests.kucoin_sim.book import (
    Liquidity,
    best_prices,
    book_side,
    levels_json,
    liquidity,
    recent_trades,
)
from tests.kucoin_sim.clock import HOUR_MS, SimClock
from tests.kucoin_sim.config import SimConfig
from tests.kucoin_sim.series import ContractSeries, assign
from tests.kucoin_sim.sessions import session_series
from tests.kucoin_sim.sources import Library
from tests.kucoin_sim.universe import Spec, build_specs, decimals, to_tick

DAY_MS = 24 * HOUR_MS


def price_str(value: float, dec: int) -> str:
    """KuCoin's string prices: fixed decimals, trailing zeros dropped (`"73400"`, `"73399.9"`)."""
    text = f"{value:.{dec}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Quote:
    """Last trade and best bid/ask of one contract at one instant."""

    price: float
    bid: float
    ask: float
    bid_size: int
    ask_size: int
    buy: bool
    size: int
    sequence: int


class Market:
    """Everything the REST and WebSocket handlers ask about contracts."""

    def __init__(self, config: SimConfig, clock: SimClock) -> None:
        """Build the universe and map a series onto every contract."""
        self.config = config
        self.clock = clock
        self.specs: list[Spec] = build_specs(config)
        library = Library(config.shared_dir / "market-data", config.seed, config.candle_hours)
        self.real_prices = library.real
        """Price paths from the shared (Binance) history; False: seeded generated series."""
        anchor = clock.hour_ms() if config.anchor_hour_ms is None else config.anchor_hour_ms
        plain = [s for s in self.specs if s.session is None]  # the session-traded come last
        self.series: list[ContractSeries] = assign(
            library,
            [s.base for s in plain],
            [s.target_price for s in plain],
            [s.listed_ms for s in plain],
            anchor,
            config.candle_hours,
            config.seed,
        )
        self.series += session_series(
            library,
            [(s.symbol, s.session, s.target_price) for s in self.specs[len(plain) :] if s.session],
            len(plain),
            anchor,
            config.candle_hours,
            config.seed,
        )
        for spec, series in zip(self.specs, self.series, strict=True):
            if spec.generated:
                spec.row["firstOpenDate"] = series.first_ms
        self.index = {spec.symbol: i for i, spec in enumerate(self.specs)}
        self.delisted: dict[str, str | None] = {}
        self.missing_candles: dict[str, list[tuple[int, int]]] = {}
        self.version = 0
        rng = np.random.default_rng([config.seed, 3_000])
        n = len(self.specs)
        self._seq_offset = rng.integers(-(10**11), 0, n)
        self._phase = rng.uniform(0, 2 * math.pi, n)
        self.oi_ratio = 10 ** rng.uniform(-0.4, 0.5, n)
        self._liq: dict[tuple[int, int], Liquidity] = {}
        self._oi: dict[tuple[int, int], float] = {}
        self.rows_cache: tuple[tuple[int, int], list[dict[str, Any]]] | None = None

    # ---- lookup -------------------------------------------------------------------------
    def tradable(self, symbol: str) -> int | None:
        """Index of a listed, not delisted contract."""
        i = self.index.get(symbol)
        return None if i is None or symbol in self.delisted else i

    def delist(self, symbol: str, status: str | None = None) -> None:
        """Remove `symbol` (or keep it with `status`, e.g. "Closed"/"Paused")."""
        if symbol not in self.index:
            raise KeyError(symbol)
        self.delisted[symbol] = status
        self.version += 1

    def relist(self, symbol: str) -> None:
        """Undo `delist`."""
        self.delisted.pop(symbol, None)
        self.version += 1

    def drop_candles(self, symbol: str, start_ms: int, end_ms: int) -> None:
        """Leave out `symbol`'s candles opening in [start_ms, end_ms] (untraded hours)."""
        if symbol not in self.index:
            raise KeyError(symbol)
        self.missing_candles.setdefault(symbol, []).append((start_ms, end_ms))

    def candle_missing(self, symbol: str, open_ms: int) -> bool:
        """Whether the candle opening at `open_ms` was dropped."""
        return any(a <= open_ms <= b for a, b in self.missing_candles.get(symbol, ()))

    # ---- prices -------------------------------------------------------------------------
    def _wiggle(self, i: int, now_ms: int) -> float:
        """Deterministic sub-minute movement of the last price around the path price."""
        t = now_ms // 100 * 100
        ph = float(self._phase[i])
        return 2e-4 * (
            0.6 * math.sin(2 * math.pi * t / 7_000 + ph)
            + 0.4 * math.sin(2 * math.pi * t / 1_300 + 2 * ph)
        )

    def lot_value(self, i: int, price: float) -> float:
        """Quote value of one lot (1 USD for inverse)."""
        spec = self.specs[i]
        return 1.0 if spec.inverse else price * abs(spec.multiplier)

    def liquidity(self, i: int, now_ms: int) -> Liquidity:
        """Book/trade parameters from the 24 h turnover, refreshed hourly."""
        hour = now_ms // HOUR_MS
        key = (i, hour)
        if key not in self._liq:
            if len(self._liq) > 200_000:
                self._liq.clear()
            t = hour * HOUR_MS
            span = self.series[i].span(t - DAY_MS, t + 1)
            turnover = float(np.sum(span.v * (span.o + span.c) / 2)) if len(span) else 0.0
            self._liq[key] = liquidity(
                turnover, max(self.series[i].price(t), 1e-12), self.specs[i].tick
            )
        return self._liq[key]

    def _daily_turnover(self, i: int, hour: int) -> float:
        """Mean daily quote turnover over the 72 h before `hour` (cached)."""
        key = (i, hour)
        if key not in self._oi:
            if len(self._oi) > 200_000:
                self._oi.clear()
            t = hour * HOUR_MS
            span = self.series[i].span(t - 3 * DAY_MS, t)
            self._oi[key] = float(np.sum(span.v * (span.o + span.c) / 2)) / 3 if len(span) else 0.0
        return self._oi[key]

    def open_interest(self, i: int, now_ms: int, mark: float) -> int:
        """Open interest in lots: a per-contract multiple of recent turnover, moving smoothly."""
        hour, frac = divmod(now_ms, HOUR_MS)
        a, b = self._daily_turnover(i, hour), self._daily_turnover(i, hour + 1)
        quote = (a + (b - a) * frac / HOUR_MS) * float(self.oi_ratio[i])
        return round(quote / self.lot_value(i, mark))

    def _touch(self, i: int, now_ms: int) -> tuple[int, int, bool, float, Liquidity]:
        """Best bid/ask in ticks, last trade side, wiggled price and liquidity."""
        last = self.series[i].price(now_ms) * (1 + self._wiggle(i, now_ms))
        liq = self.liquidity(i, now_ms)
        bid_t, ask_t = best_prices(last, self.specs[i].tick, liq)
        buy = bool((now_ms // 1000 * 2654435761 + i * 40503) % 7 < 4)
        return bid_t, ask_t, buy, last, liq

    def last_price(self, i: int, now_ms: int) -> float:
        """Last trade price (at the bid or the ask)."""
        bid_t, ask_t, buy, _, _ = self._touch(i, now_ms)
        tick = self.specs[i].tick
        return round((ask_t if buy else bid_t) * tick, decimals(tick))

    def quote(self, i: int, now_ms: int) -> Quote:
        """Last price, best bid/ask and top sizes (consistent with `depth`)."""
        tick = self.specs[i].tick
        bid_t, ask_t, buy, last, liq = self._touch(i, now_ms)
        sec, lot, dec = now_ms // 1000, self.lot_value(i, last), decimals(tick)
        seed = self.config.seed
        _, bid_sz = book_side(bid_t, -1, np.random.default_rng([seed, i, sec, 1]), liq, lot, 1)
        _, ask_sz = book_side(ask_t, 1, np.random.default_rng([seed, i, sec, 2]), liq, lot, 1)
        rng = np.random.default_rng([seed, i, sec, 3])
        size = max(1, round(2_000 * rng.lognormal(-0.5, 1.0) / lot))
        return Quote(
            price=round((ask_t if buy else bid_t) * tick, dec),
            bid=round(bid_t * tick, dec),
            ask=round(ask_t * tick, dec),
            bid_size=int(bid_sz[0]),
            ask_size=int(ask_sz[0]),
            buy=buy,
            size=int(size),
            sequence=int(self._seq_offset[i]) + now_ms,
        )

    def ticker(self, i: int, now_ms: int, now_ns: int) -> dict[str, Any]:
        """`GET /api/v1/ticker` data: string prices, int sizes, ns timestamp."""
        q = self.quote(i, now_ms)
        dec = decimals(self.specs[i].tick)
        return {
            "sequence": q.sequence,
            "symbol": self.specs[i].symbol,
            "side": "buy" if q.buy else "sell",
            "size": q.size,
            "tradeId": str(q.sequence + 1_000_000_000),
            "price": price_str(q.price, dec),
            "bestBidPrice": price_str(q.bid, dec),
            "bestBidSize": q.bid_size,
            "bestAskPrice": price_str(q.ask, dec),
            "bestAskSize": q.ask_size,
            "ts": now_ns,
        }

    def depth(self, i: int, now_ms: int, now_ns: int, levels: int) -> dict[str, Any]:
        """`level2/depth{20,100}` or `snapshot` data: bids descending, asks ascending."""
        spec, tick = self.specs[i], self.specs[i].tick
        last = self.series[i].price(now_ms) * (1 + self._wiggle(i, now_ms))
        liq = self.liquidity(i, now_ms)
        bid_t, ask_t = best_prices(last, tick, liq)
        sec, lot, dec = now_ms // 1000, self.lot_value(i, last), decimals(tick)
        b_t, b_s = book_side(
            bid_t, -1, np.random.default_rng([self.config.seed, i, sec, 1]), liq, lot, levels
        )
        a_t, a_s = book_side(
            ask_t, 1, np.random.default_rng([self.config.seed, i, sec, 2]), liq, lot, levels
        )
        return {
            "sequence": int(self._seq_offset[i]) + now_ms,
            "symbol": spec.symbol,
            "bids": levels_json(b_t, b_s, tick, dec),
            "asks": levels_json(a_t, a_s, tick, dec),
            "ts": now_ns,
        }

    def trades(self, i: int, now_ms: int) -> list[dict[str, Any]]:
        """`trade/history` data: last 100 trades, newest first."""
        spec = self.specs[i]
        tick, dec = spec.tick, decimals(spec.tick)
        liq = self.liquidity(i, now_ms)
        price = self.series[i].price(now_ms)
        tape = recent_trades(
            now_ms,
            [self.config.seed, i, 7],
            liq,
            self.lot_value(i, price),
            self.series[i].prices,
            liq.spread_ticks * tick / 2,
        )
        rows = []
        for k in range(len(tape.ts_ns)):
            seq = int(tape.ts_ns[k] // 1000) + int(self._seq_offset[i]) // 1000
            rows.append(
                {
                    "sequence": seq,
                    "contractId": i + 1,
                    "tradeId": str(seq),
                    "makerOrderId": str(tape.maker_ids[k]),
                    "takerOrderId": str(tape.taker_ids[k]),
                    "ts": int(tape.ts_ns[k]),
                    "size": int(tape.size[k]),
                    "price": price_str(to_tick(float(tape.price[k]), tick), dec),
                    "side": "buy" if tape.buy[k] else "sell",
                }
            )
        return rows

    def mark_price(self, i: int, now_ms: int) -> dict[str, Any]:
        """`mark-price/{symbol}/current` data."""
        mark, index = self.mark_index(i, now_ms)
        return {
            "symbol": self.specs[i].symbol,
            "granularity": 1000,
            "timePoint": now_ms // 1000 * 1000,
            "value": mark,
            "indexPrice": index,
        }

    def mark_index(self, i: int, now_ms: int) -> tuple[float, float]:
        """Mark (the path price) and index (mark with a small deterministic basis)."""
        itick = self.specs[i].index_tick
        mark = self.series[i].price(now_ms)
        basis = 3e-5 * math.sin(2 * math.pi * now_ms / 600_000 + float(self._phase[i]))
        return to_tick(mark, itick), to_tick(mark * (1 + basis), itick)

    def funding_now(self, i: int, now_ms: int) -> dict[str, Any] | None:
        """Current funding cycle of a perpetual: window, running estimate and the next rate."""
        spec = self.specs[i]
        if not spec.perpetual:
            return None
        series = self.series[i]
        step = series.funding_granularity_ms
        start = now_ms // step * step
        prev, nxt = series.funding_around(now_ms)
        cap = float(spec.row["fundingRateCap"] or 0.003)
        est = prev + (nxt - prev) * (now_ms - start) / step
        return {
            "symbol": spec.row["fundingRateSymbol"],
            "granularity": step,
            "timePoint": start,
            "value": round(min(cap, max(-cap, est)), 6),
            "predictedValue": round(min(cap, max(-cap, nxt)), 6),
            "fundingRateCap": cap,
            "fundingRateFloor": -cap,
            "period": 1,
            "fundingTime": start + step,
        }

    def funding_history(self, i: int, frm: int, to: int, now_ms: int) -> list[dict[str, Any]]:
        """`contract/funding-rates` rows in [from, to] up to now, newest first."""
        if not self.specs[i].perpetual:
            return []
        ts, rates = self.series[i].funding_events(frm, min(to, now_ms))
        cap = float(self.specs[i].row["fundingRateCap"] or 0.003)
        symbol = self.specs[i].symbol
        return [
            {
                "symbol": symbol,
                "fundingRate": round(min(cap, max(-cap, float(r))), 6),
                "timepoint": int(t),
            }
            for t, r in zip(ts[::-1], rates[::-1], strict=True)
        ]
