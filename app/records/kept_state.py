"""The forward record's state kept in memory between its hourly updates.

The stored state is every book's hysteresis window and holdings (~0.7 MB of JSON for the policy
and 11 challengers): decoding it each hour is as slow as writing it. An update keeps the state it
has just stored, under the record's new position (`last_hour` and `updated_at` as it wrote them),
and the next update takes it back only while the stored record is still there: anything else (an
update of another replica, a transaction rolled back, a restart) reads the stored one.

An update takes the kept state out before changing it, so a failure leaves nothing kept that
differs from what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.records.keeping.forward import ForwardState
from app.records.window import database_key


@dataclass(frozen=True)
class _Kept:
    last_hour: datetime
    updated_at: datetime
    state: ForwardState


_KEPT: dict[str, _Kept] = {}  # by database URL


def take_state(
    session: AsyncSession, last_hour: datetime, updated_at: datetime
) -> ForwardState | None:
    """The state kept for the record at (`last_hour`, `updated_at`), taken out; else None."""
    kept = _KEPT.pop(database_key(session), None)
    if kept is None or (kept.last_hour, kept.updated_at) != (last_hour, updated_at):
        return None
    return kept.state


def keep_state(
    session: AsyncSession, last_hour: datetime, updated_at: datetime, state: ForwardState
) -> None:
    """Keep `state`, just stored with the record at (`last_hour`, `updated_at`)."""
    _KEPT[database_key(session)] = _Kept(last_hour, updated_at, state)
