"""What one unit of work (a scoring run) spent of KuCoin's weight budget, by endpoint.

The client charges each request the server counted (not refused with 429, not failed with 5xx
or a timeout, not a free 404) to the ledger of the current context, and the limiter adds the
seconds it held sends back; tasks started inside `recording()` share its ledger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Spend:
    weight: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)
    waited_s: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.weight.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "weight": self.total,
            "weight_by_endpoint": dict(sorted(self.weight.items())),
            "requests_by_endpoint": dict(sorted(self.requests.items())),
            "limiter_wait_s": round(self.waited_s, 3),
        }


_current: ContextVar[Spend | None] = ContextVar("kucoin_spend", default=None)


@contextmanager
def recording() -> Iterator[Spend]:
    """Charge the KuCoin requests made inside (and in tasks started inside) to a new ledger."""
    ledger = Spend()
    token = _current.set(ledger)
    try:
        yield ledger
    finally:
        _current.reset(token)


def charge(endpoint: str, weight: int) -> None:
    ledger = _current.get()
    if ledger is not None:
        ledger.weight[endpoint] += weight
        ledger.requests[endpoint] += 1


def waited(seconds: float) -> None:
    ledger = _current.get()
    if ledger is not None:
        ledger.waited_s += seconds
