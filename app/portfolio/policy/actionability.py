"""The one wording of a replacement candidate's state, for the API's recommendations and
everything that shows them (the dashboard, the command line, the demo): whether it is
actionable now and, if not, from when at the earliest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

NOW = "actionable now"


def moment(ms: int | None) -> datetime | None:
    """`ms` since the epoch as a UTC time (None stays None)."""
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


def minute(at: datetime) -> str:
    """`at` to the minute, as the dashboard writes a time: 2026-11-29 09:00 UTC. Cut down, never
    rounded up, so that "not before" stays true."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def actionability(actionable: bool, not_before: datetime | None, blocking: Sequence[str]) -> str:
    """ "actionable now"; "not actionable before <time>" when what blocks it ends at a time; else
    "not actionable: <why>" (a correlation, no outsider: nothing says when that ends)."""
    if actionable:
        return NOW
    if not_before is not None:
        return f"not actionable before {minute(not_before)}"
    return f"not actionable: {'; '.join(blocking) or 'no outsider qualifies'}"
