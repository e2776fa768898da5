"""The live records' gauges, read at scrape time (`GET /metrics`, on the scrape's connection and
under its deadline): each book's return since it started, after costs, and how long ago each
record last marked an hour (the as-run record's families keep the job's name, `track_record`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy.ext.asyncio import AsyncConnection

from app.platform.core.clock import utcnow
from app.records.keeping.as_run import STRATEGIES
from app.records.repository.gauges import RecordGaugeReads


async def record_gauges(connection: AsyncConnection) -> list[Metric]:
    """The as-run record's gauges, then the forward record's."""
    reads = RecordGaugeReads(connection)
    as_run = await reads.as_run_last(STRATEGIES)
    forward = await reads.forward_last()
    return [*_as_run(as_run), *_forward(forward)]


def _forward(last: tuple[datetime, dict[str, float]] | None) -> Iterator[Metric]:
    if last is None:  # the first forward_record run creates it
        return
    marked_to, equity = last
    returns = GaugeMetricFamily(
        "mysymbols_forward_record_return",
        "The forward record's total return since each book started, after costs, by book "
        "(policy, challenger:<name>, the baselines); none before the first hour is marked.",
        labels=["book"],
    )
    for book, value in sorted(equity.items()):
        returns.add_metric([book], value - 1.0)  # every book is 1.0 when it starts
    yield returns
    yield GaugeMetricFamily(
        "mysymbols_forward_record_age_seconds",
        "Time since the close of the last hour the forward record marked (before the first, "
        "since its inception).",
        value=max(0.0, (utcnow() - marked_to).total_seconds()),
    )


def _as_run(last: tuple[datetime, dict[str, float]] | None) -> Iterator[Metric]:
    if last is None:  # the record starts at the portfolio's first decision: nothing before
        return
    marked_to, equity = last
    returns = GaugeMetricFamily(
        "mysymbols_track_record_return",
        "The live record's total return since inception, after costs, by book (as_run: the "
        "real portfolio; 0 until its first hour is marked).",
        labels=["strategy"],
    )
    for strategy, value in equity.items():
        returns.add_metric([strategy], value - 1.0)  # every book is 1.0 at inception
    yield returns
    yield GaugeMetricFamily(
        "mysymbols_track_record_age_seconds",
        "Time since the close of the last hour the live record marked (before the first, since "
        "its inception: the first decision's hour).",
        value=max(0.0, (utcnow() - marked_to).total_seconds()),
    )
