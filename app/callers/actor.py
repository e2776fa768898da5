"""Who did it: the actor the audit trails record for a change (a caller's principal name, or a
job's), with the request it came in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who asked for a change, as the audit trail records it."""

    name: str
    request_id: str | None = None
