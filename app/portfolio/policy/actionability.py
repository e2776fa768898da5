"""The one wording of a replacement candidate's state, for the API's recommendations and
everything that shows them (the dashboard, the command line, the demo): whether it is
actionable now and, if not, from when at the earliest, or why no time can be said."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime

NOW = "actionable now"
NO_OUTSIDER = "no scored, tradable outsider"


def moment(ms: int | None) -> datetime | None:
    """`ms` since the epoch as a UTC time (None stays None)."""
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


def minute(at: datetime) -> str:
    """`at` to the minute, as the dashboard writes a time: 2026-11-29 09:00 UTC. Cut down, never
    rounded up, so that "not before" stays true."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def signed_points(lead: float) -> str:
    """A lead in composite points, signed, to one decimal cut toward zero, so that a lead short
    of the margin never reads as reaching it: +4.9 for 4.9999, -0.1 for -0.1064."""
    cut = math.trunc(round(lead * 10, 6)) / 10
    return f"{math.copysign(cut, lead):+.1f}"


def no_lead_reason(margin: float, best: str | None, lead: float | None) -> str:
    """Why no replacement is in sight when no outsider leads by `margin` points in the newest
    scoring run: `best`, the best-scored outsider, and its `lead` (None: unknown, the member
    unscored); or that there is no outsider at all (`best` None)."""
    if best is None:
        return NO_OUTSIDER
    shown = "lead unknown" if lead is None else signed_points(lead)
    return f"no outsider leads by {margin:g} points (best: {best}, {shown})"


def actionability(
    actionable: bool,
    not_before: datetime | None,
    blocking: Sequence[str],
    no_lead: str | None = None,
) -> str:
    """ "actionable now"; while no outsider leads by the margin, "not actionable: <no_lead>"
    (`no_lead_reason`), whatever else blocks it; "not actionable before <time>" when what blocks
    a leading outsider ends at a time; else "not actionable: <why>" (a correlation: nothing says
    when that ends)."""
    if actionable:
        return NOW
    if no_lead is not None:
        return f"not actionable: {no_lead}"
    if not_before is not None:
        return f"not actionable before {minute(not_before)}"
    return f"not actionable: {'; '.join(blocking) or 'no outsider qualifies'}"
