"""`contracts/active` rows: the static fields plus volatile ones consistent with the series."""

from __future__ import annotations

from typing import Any

import numpy as np

from tests.kucoin_sim.market import DAY_MS, Market
from tests.kucoin_sim.universe import FIELD_ORDER, decimals, to_tick


def contract_row(market: Market, i: int, now_ms: int) -> dict[str, Any]:
    """One row with every 2025-08 field; numbers stay numbers, `openInterest` is a string."""
    spec, series = market.specs[i], market.series[i]
    row = dict(spec.row)
    tick = spec.tick
    span = series.span(now_ms - DAY_MS, now_ms + 1)
    last = market.last_price(i, now_ms)
    mark, index = market.mark_index(i, now_ms)
    if len(span):
        open24 = float(span.o[0])
        high = max(float(span.h.max()), last)
        low = min(float(span.lo.min()), last)
        vol_base = float(span.v.sum())
        turnover = float(np.sum(span.v * (span.o + span.c) / 2))
    else:
        open24, high, low, vol_base, turnover = last, last, last, 0.0, 0.0
    mult = abs(spec.multiplier)
    if spec.inverse:
        volume24, turnover24 = float(round(turnover)), round(vol_base, 8)
    else:
        volume24 = round(round(vol_base / mult) * mult, decimals(mult))
        turnover24 = round(turnover, 8)
    chg = to_tick(last - open24, tick)
    row.update(
        {
            "openInterest": str(market.open_interest(i, now_ms, mark)),
            "turnoverOf24h": turnover24,
            "volumeOf24h": volume24,
            "markPrice": mark,
            "indexPrice": index,
            "lastTradePrice": last,
            "lowPrice": to_tick(low, tick),
            "highPrice": to_tick(high, tick),
            "priceChg": chg,
            "priceChgPct": round(chg / open24, 4) if open24 else 0.0,
            "buyLimit": to_tick(mark * (1 + spec.band), tick),
            "sellLimit": to_tick(mark * (1 - spec.band), tick),
            "predictedFundingFeeRate": None,
        }
    )
    funding = market.funding_now(i, now_ms)
    if funding is None:
        row.update(
            {"fundingFeeRate": None, "nextFundingRateTime": None, "nextFundingRateDateTime": None}
        )
    else:
        row.update(
            {
                "fundingFeeRate": funding["value"],
                "fundingRateGranularity": funding["granularity"],
                "nextFundingRateTime": funding["fundingTime"] - now_ms,
                "nextFundingRateDateTime": funding["fundingTime"],
            }
        )
    status = market.delisted.get(spec.symbol)
    if status:
        row["status"] = status
    ordered = {key: row.get(key) for key in FIELD_ORDER}
    ordered.update({k: v for k, v in row.items() if k not in ordered})
    return ordered


def contracts_active(market: Market, now_ms: int) -> list[dict[str, Any]]:
    """All listed rows (delisted ones dropped, or kept with their status); cached per second."""
    key = (now_ms // 1000, market.version)
    cached = market.rows_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    rows = [
        contract_row(market, i, now_ms)
        for i, spec in enumerate(market.specs)
        if spec.symbol not in market.delisted or market.delisted[spec.symbol]
    ]
    market.rows_cache = (key, rows)
    return rows
