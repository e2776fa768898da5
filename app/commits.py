"""What follows a commit in this process: caches dropped, event streams woken, runs started."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session_flags import events_written, portfolio_changed, runs_queued, wrote

if TYPE_CHECKING:
    from app.state import AppState


def announce_commit(state: AppState, session: AsyncSession) -> None:
    """After a commit: drop this replica's portfolio read cache if the transaction changed what
    it shows, drop its cached read answers if it wrote anything, wake this replica's event
    streams if it wrote events, and start the replay or calibration runs it queued."""
    if portfolio_changed(session) and state.portfolio_cache is not None:
        state.portfolio_cache.invalidate()
    if wrote(session) and state.response_cache is not None:
        state.response_cache.invalidate()
    if events_written(session):
        state.events.notify()
    for run_id in runs_queued(session):
        state.replays.launch(run_id)
