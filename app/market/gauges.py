"""The market's gauge, read at scrape time (`GET /metrics`, on the scrape's connection and
under its deadline): the age of the newest stored market data."""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy.ext.asyncio import AsyncConnection

from app.market.repository.symbols import MarketDataReads
from app.platform.core.clock import utcnow


async def market_gauges(connection: AsyncConnection) -> list[Metric]:
    last_update = await MarketDataReads(connection).latest_market_data_at()
    if last_update is None:  # no market data yet: no age, rather than a made-up one
        return []
    return [
        GaugeMetricFamily(
            "mysymbols_market_data_age_seconds",
            "Age of the newest stored market data.",
            value=(utcnow() - last_update).total_seconds(),
        )
    ]
