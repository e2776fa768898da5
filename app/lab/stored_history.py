"""The stored history a run computes on, read by the lab worker itself: the service's event
loop only books the run. Read there, ~10^5 rows took ~0.3 s of a one-second replay, and every
request that met the read was slowed by it (`tests/bench/bench_evidence_health.py`)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.books.simulation.market_history import MarketHistory

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class StoredHistory:
    """The hourly candles opening in [start, end] of the database at `database_url`."""

    database_url: str
    start: datetime
    end: datetime

    @classmethod
    def of(cls, session: AsyncSession, start: datetime, end: datetime) -> StoredHistory:
        """The range in the database `session` reads (its writes committed: the worker reads
        over a connection of its own)."""
        from sqlalchemy.ext.asyncio import AsyncConnection

        bind = session.bind
        engine = bind.engine if isinstance(bind, AsyncConnection) else bind
        if engine is None:
            raise ValueError("the session is bound to no database")
        return cls(engine.url.render_as_string(hide_password=False), start, end)

    def load(self) -> MarketHistory:
        """In the worker, where no event loop runs: the history, as `load_db_history` reads it."""
        return asyncio.run(self._read())

    async def _read(self) -> MarketHistory:
        # Imported here, by the run: the lab worker starts without the database's packages
        # (some 30 MB a process, app.platform.runtime.offload), and ends once its runs are done.
        from sqlalchemy.engine import make_url
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
        from sqlalchemy.pool import NullPool

        from app.books.db_source import load_db_history

        postgres = make_url(self.database_url).get_backend_name() == "postgresql"
        named = {"server_settings": {"application_name": "mysymbols-lab"}}  # pg_stat_activity
        engine = create_async_engine(
            self.database_url,
            poolclass=NullPool,
            connect_args=named if postgres else {},
            hide_parameters=True,
        )
        try:
            async with AsyncSession(engine) as session:
                return await load_db_history(session, self.start, self.end)
        finally:
            await engine.dispose()

    def __repr__(self) -> str:  # never the URL's password in a log or an error
        return f"StoredHistory({self.start.isoformat()} .. {self.end.isoformat()})"
