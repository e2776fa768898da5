"""Logging set-up: JSON lines (python-json-logger) or plain text, with the request's or job's
context on every record.

Code logs as ever (`logging.getLogger(__name__)`, %-style args); one handler on the root logger
formats every record, uvicorn's included. The context (request id and route; job, run and tick)
lives in contextvars set by the request middleware and the job runner, so a record logged
anywhere below them carries it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

LogFormat = Literal["json", "text"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(context)s"
JSON_FIELDS = ["levelname", "name", "message"]
JSON_RENAMES = {"levelname": "level", "name": "logger"}
CONTEXT_FIELDS = ("request_id", "route", "job", "run_id", "tick")

_context: ContextVar[dict[str, Any] | None] = ContextVar("mysymbols_log_context", default=None)


def bind(**fields: Any) -> None:
    """Add `fields` to the current context (this task and the tasks it starts from now on)."""
    _context.set({**(_context.get() or {}), **fields})


@contextmanager
def bound(**fields: Any) -> Iterator[None]:
    """`fields` in the context for the duration of the block."""
    token = _context.set({**(_context.get() or {}), **fields})
    try:
        yield
    finally:
        _context.reset(token)


def context() -> dict[str, Any]:
    return dict(_context.get() or {})


class ContextFilter(logging.Filter):
    """Copies the context onto each record (JSON: as fields; text: as a ` [k=v …]` suffix)."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _context.get() or {}
        for key, value in fields.items():
            if value is not None and not hasattr(record, key):
                setattr(record, key, value)
        shown = [f"{k}={getattr(record, k)}" for k in CONTEXT_FIELDS if hasattr(record, k)]
        record.context = f" [{' '.join(shown)}]" if shown else ""
        return True


def json_formatter() -> logging.Formatter:
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, then any
    context and `extra=` fields."""
    return JsonFormatter(
        JSON_FIELDS,
        rename_fields=JSON_RENAMES,
        timestamp="time",
        reserved_attrs=[*RESERVED_ATTRS, "taskName", "context", "color_message"],
    )


def resolve_format(configured: LogFormat | None) -> LogFormat:
    """The configured format, else text on a terminal and JSON anywhere else (containers)."""
    if configured is not None:
        return configured
    return "text" if sys.stderr.isatty() else "json"


def configure_logging(level: str, log_format: LogFormat | None = None) -> None:
    """Install (once; again with a new format) the root handler; route uvicorn's loggers to it."""
    chosen = resolve_format(log_format)
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "_mysymbols", False)), None)
    if handler is None:
        handler = logging.StreamHandler()
        handler._mysymbols = True  # type: ignore[attr-defined]
        handler.addFilter(ContextFilter())
        root.addHandler(handler)
    handler.setFormatter(json_formatter() if chosen == "json" else logging.Formatter(TEXT_FORMAT))
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):  # one format for the whole process
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    # Our request line (app.access: request id, route, status, duration) replaces uvicorn's.
    logging.getLogger("uvicorn.access").disabled = True
