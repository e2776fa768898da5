"""The slow-query log: a statement that runs longer than the threshold is logged with its first
characters and its duration (SQLAlchemy cursor events, so every statement is seen)."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.platform.observability.metrics import observe_slow_query

logger = logging.getLogger(__name__)

STATEMENT_CHARS = 200
_STARTED = "mysymbols_started"
_SPACES = re.compile(r"\s+")


def log_slow_queries(engine: AsyncEngine, threshold_ms: float) -> None:
    """Log (WARNING, logger `app.platform.observability.slow_queries`) statements over
    `threshold_ms`; 0 logs none."""
    if threshold_ms <= 0:
        return

    @event.listens_for(engine.sync_engine, "before_cursor_execute", named=True)
    def started(context: Any = None, **_: Any) -> None:
        if context is not None:
            setattr(context, _STARTED, time.perf_counter())

    @event.listens_for(engine.sync_engine, "after_cursor_execute", named=True)
    def ended(statement: str, context: Any = None, **_: Any) -> None:
        began = getattr(context, _STARTED, None)
        if began is None:
            return
        duration_ms = (time.perf_counter() - began) * 1000
        if duration_ms < threshold_ms:
            return
        observe_slow_query()
        text = _SPACES.sub(" ", statement).strip()[:STATEMENT_CHARS]
        logger.warning(
            "slow query: %.1f ms: %s",
            duration_ms,
            text,
            extra={"duration_ms": round(duration_ms, 3)},
        )
