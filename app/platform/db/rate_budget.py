"""The shared KuCoin weight window on PostgreSQL: every replica's sends in one sliding log.

Each spend is one short transaction of its own (not the caller's): an advisory lock serialises
the replicas, the database's clock orders the sends, and rows older than the window are dropped
as it goes. A send reaches KuCoin a little after it is recorded (the commit, the request, the
network), and KuCoin counts its arrival: each send is held in the window `slack_s` longer than
the window itself, so arrivals never crowd into one of KuCoin's windows. Unreachable or slow, it
raises `SharedWindowUnavailable` and the limiter falls back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.kucoin.shared_budget import SharedWindowUnavailable
from app.platform.core.environment import Environment
from app.platform.db.models import ExchangeWeight

BUDGET_LOCK_KEY = 0x6D79_6B75_636F  # pg advisory lock key of the shared window ("mykuco")
NOW = func.clock_timestamp()
LOCK = text("SELECT pg_advisory_xact_lock(:key)")


class PostgresWindow:
    """`SharedWindow` of one KuCoin host's public pool in the `exchange_weight` table."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        replica: str,
        pool: str,
        timeout_s: float = 2.0,
        slack_s: float = 1.0,
    ) -> None:
        self.engine = engine
        self.replica = replica
        self.pool = pool
        self.timeout_s = timeout_s
        self.slack_s = slack_s
        self._purge_after = datetime.min.replace(tzinfo=UTC)

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[tuple[AsyncConnection, datetime]]:
        """One short transaction holding the window's lock, with the database's now; raises
        `SharedWindowUnavailable` when the database cannot be reached in time."""
        try:
            async with asyncio.timeout(self.timeout_s), self.engine.begin() as connection:
                await connection.execute(LOCK, {"key": BUDGET_LOCK_KEY})
                now = await connection.scalar(select(NOW))
                assert isinstance(now, datetime)
                yield connection, now
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            raise SharedWindowUnavailable(exc.__class__.__name__) from exc

    async def spend(self, weight: int, quota: int, window_s: float) -> float:
        window_s += self.slack_s
        async with self._locked() as (connection, now):
            horizon = now - timedelta(seconds=window_s)
            used = int(await connection.scalar(self._weight_since(horizon)) or 0)
            if used + weight <= quota:
                await connection.execute(
                    insert(ExchangeWeight).values(
                        pool=self.pool, spent_at=now, weight=weight, replica=self.replica
                    )
                )
                if now >= self._purge_after:  # rows past the window, now and then
                    self._purge_after = now + timedelta(seconds=window_s)
                    await connection.execute(
                        delete(ExchangeWeight).where(ExchangeWeight.spent_at <= horizon)
                    )
                return 0.0
            sent = (
                await connection.execute(
                    select(ExchangeWeight.spent_at, ExchangeWeight.weight)
                    .where(ExchangeWeight.pool == self.pool, ExchangeWeight.spent_at > horizon)
                    .order_by(ExchangeWeight.spent_at)
                )
            ).all()
            return wait_for_room(sent, weight, quota, window_s, now)

    def _weight_since(self, horizon: Any) -> Select[Any]:
        return select(func.coalesce(func.sum(ExchangeWeight.weight), 0)).where(
            ExchangeWeight.pool == self.pool, ExchangeWeight.spent_at > horizon
        )

    async def record(self, sent_ago: Sequence[tuple[float, int]]) -> None:
        await self._insert([(-ago, weight) for ago, weight in sent_ago])

    async def hold(self, seconds: float, quota: int, window_s: float) -> None:
        # A send of the whole quota dated so that it leaves the window `seconds` from now.
        await self._insert([(seconds - window_s - self.slack_s, quota)])

    async def _insert(self, offsets: Sequence[tuple[float, int]]) -> None:
        """Rows of `weight` at the database's now + `offset` seconds."""
        async with self._locked() as (connection, now):
            await connection.execute(
                insert(ExchangeWeight),
                [
                    {
                        "pool": self.pool,
                        "spent_at": now + timedelta(seconds=offset),
                        "weight": weight,
                        "replica": self.replica,
                    }
                    for offset, weight in offsets
                ],
            )

    async def used(self, window_s: float) -> int:
        horizon = NOW - timedelta(seconds=window_s + self.slack_s)
        try:
            async with asyncio.timeout(self.timeout_s), self.engine.connect() as connection:
                total = await connection.scalar(self._weight_since(horizon))
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            raise SharedWindowUnavailable(exc.__class__.__name__) from exc
        return int(total or 0)


def shared_window(
    environment: Environment, engine: AsyncEngine, replica: str
) -> PostgresWindow | None:
    """The deployment's shared window; None on SQLite (one process: its limiter is the budget)
    or when switched off."""
    if environment.is_sqlite or not environment.kucoin.shared_budget:
        return None
    return PostgresWindow(engine, replica=replica, pool=environment.kucoin.futures_url.rstrip("/"))


def wait_for_room(
    sent: Sequence[Any], weight: int, quota: int, window_s: float, now: datetime
) -> float:
    """Seconds until `weight` fits in the window holding `sent` (oldest first); 0: it fits."""
    used = sum(w for _, w in sent)
    if used + weight <= quota:
        return 0.0
    freed = 0
    for sent_at, sent_weight in sent:
        freed += sent_weight
        if used - freed + weight <= quota:
            wait: float = max((sent_at + timedelta(seconds=window_s) - now).total_seconds(), 1e-3)
            return wait
    return window_s
