"""Who did it: the actor the audit trails record for a change (a caller's principal name, or a
job's), with the request it came in."""

from __future__ import annotations

from dataclasses import dataclass

from app.platform.runs.job import requester


@dataclass(frozen=True)
class Actor:
    """Who asked for a change, as the audit trail records it."""

    name: str
    request_id: str | None = None


def run_actor() -> Actor:
    """Who the job run under way acts for: the API key that asked for it, or the scheduler."""
    return Actor(requester())
