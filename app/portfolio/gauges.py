"""The portfolio's gauges, read at scrape time (`GET /metrics`, on the scrape's connection and
under its deadline): its members, their target, the untradable ones and the weights' sum."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy.ext.asyncio import AsyncConnection

from app.platform.db.repositories.system_state import SystemRepository
from app.portfolio.repository import PortfolioGaugeReads
from app.scoring.scorers.shortlist import MAX_PORTFOLIO_SYMBOLS


async def portfolio_gauges(connection: AsyncConnection) -> list[Metric]:
    reads = PortfolioGaugeReads(connection)
    members, weight_sum = await reads.totals()
    untradable = await reads.untradable_members()
    target = await SystemRepository(connection).config_value(
        MAX_PORTFOLIO_SYMBOLS.key, MAX_PORTFOLIO_SYMBOLS.default
    )
    return list(_portfolio(members, weight_sum, untradable, target))


def _portfolio(
    members: int, weight_sum: float, untradable: int, target: object
) -> Iterator[Metric]:
    yield GaugeMetricFamily(
        "mysymbols_portfolio_members", "Active portfolio members.", value=members
    )
    if isinstance(target, int | float):  # left out if a stored value is not a number
        yield GaugeMetricFamily(
            "mysymbols_portfolio_target_members",
            "Members the portfolio is meant to hold (the max_portfolio_symbols setting).",
            value=target,
        )
    yield GaugeMetricFamily(
        "mysymbols_portfolio_untradable_members",
        "Active members whose contract is no longer tradable (not Open, or delisted).",
        value=untradable,
    )
    yield GaugeMetricFamily(
        "mysymbols_portfolio_weight_sum_percent",
        "Sum of the active members' weights (100 with members, 0 without).",
        value=weight_sum,
    )
