"""Flags a transaction carries to whoever commits it (the request or job boundary)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

PORTFOLIO_CHANGED = "portfolio_changed"


def mark_portfolio_changed(session: AsyncSession) -> None:
    """This transaction writes something the portfolio read shows; caches drop it on commit."""
    session.info[PORTFOLIO_CHANGED] = True


def portfolio_changed(session: AsyncSession) -> bool:
    return bool(session.info.pop(PORTFOLIO_CHANGED, False))


EVENTS_WRITTEN = "events_written"


def mark_events_written(session: AsyncSession) -> None:
    """This transaction appends to the event outbox; streams wake up on commit."""
    session.info[EVENTS_WRITTEN] = True


def events_written(session: AsyncSession) -> bool:
    return bool(session.info.pop(EVENTS_WRITTEN, False))


RUNS_QUEUED = "runs_queued"


def mark_run_queued(session: AsyncSession, run_id: int) -> None:
    """This transaction queues a replay or calibration run; it starts once committed."""
    session.info.setdefault(RUNS_QUEUED, []).append(run_id)


def runs_queued(session: AsyncSession) -> list[int]:
    return list(session.info.pop(RUNS_QUEUED, []))
