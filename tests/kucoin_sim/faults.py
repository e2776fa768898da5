"""Switchable REST faults: `sim.faults.set("http_500", count=3, path="/api/v1/ticker")`."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

FAULT_NAMES = ("http_500", "timeout", "slow", "malformed_json", "missing_field", "maintenance")
DEFAULT_SECONDS = {"timeout": 30.0, "slow": 1.0}

HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)
SERVER_ERROR_500 = {"code": "500000", "msg": "Internal Server Error"}
UNAVAILABLE_503 = {"code": "503000", "msg": "Service Unavailable"}
MAINTENANCE_503 = {"code": "503000", "msg": "System maintenance, please try again later."}
MAINTENANCE_STATUS = {"status": "close", "msg": "System maintenance"}


@dataclass
class Fault:
    """One armed fault; `remaining` None means until cleared."""

    name: str
    remaining: int | None
    seconds: float
    path: str | None
    field: str | None
    status: int | None
    hits: int = 0

    def matches(self, path: str) -> bool:
        """Armed and, if restricted, for this path prefix."""
        live = self.remaining is None or self.remaining > 0
        return live and (self.path is None or path.startswith(self.path))


class Faults:
    """The faults armed on one simulator."""

    def __init__(self) -> None:
        """Nothing armed."""
        self._armed: dict[str, Fault] = {}
        self._codes = itertools.cycle((500, 502, 503))

    def set(
        self,
        name: str,
        *,
        count: int | None = None,
        seconds: float | None = None,
        path: str | None = None,
        field: str | None = None,
        status: int | None = None,
    ) -> Fault:
        """Arm `name` for the next `count` matching requests (all of them when None)."""
        if name not in FAULT_NAMES:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULT_NAMES)}")
        if status is not None and status not in (500, 502, 503):
            raise ValueError("status must be 500, 502 or 503")
        fault = Fault(
            name,
            count,
            seconds if seconds is not None else DEFAULT_SECONDS.get(name, 0.0),
            path,
            field,
            status,
        )
        self._armed[name] = fault
        return fault

    def clear(self, name: str | None = None) -> None:
        """Disarm one fault, or all of them."""
        if name is None:
            self._armed.clear()
        else:
            self._armed.pop(name, None)

    def active(self) -> list[Fault]:
        """Armed faults that still have requests left."""
        return [f for f in self._armed.values() if f.remaining is None or f.remaining > 0]

    def take(self, name: str, path: str) -> Fault | None:
        """The fault if it applies to `path`, spending one of its requests."""
        fault = self._armed.get(name)
        if fault is None or not fault.matches(path):
            return None
        if fault.remaining is not None:
            fault.remaining -= 1
        fault.hits += 1
        return fault

    def server_error(self, fault: Fault) -> tuple[int, str, str]:
        """(status, content type, body) of an injected 5xx; statuses cycle 500, 502, 503."""
        status = fault.status or next(self._codes)
        if status == 502:
            return status, "text/html", HTML_502
        body = SERVER_ERROR_500 if status == 500 else UNAVAILABLE_503
        return status, "application/json", json.dumps(body)


def malformed(body: str) -> str:
    """A truncated JSON document (what a cut connection or a broken proxy returns)."""
    return body[: max(12, len(body) // 2)]


def strip_field(envelope: dict[str, Any], field: str | None) -> dict[str, Any]:
    """Remove `field` (default `symbol`) from every row; kline rows lose their last column."""
    key = field or "symbol"
    data = envelope.get("data")
    out = dict(envelope)
    if isinstance(data, dict):
        out["data"] = {k: v for k, v in data.items() if k != key}
    elif isinstance(data, list):
        out["data"] = [
            {k: v for k, v in row.items() if k != key}
            if isinstance(row, dict)
            else row[:-1]
            if isinstance(row, list)
            else row
            for row in data
        ]
    else:
        out.pop("data", None)
    return out
