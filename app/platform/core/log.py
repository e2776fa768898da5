"""Logging set-up: JSON lines (python-json-logger) or plain text, with the request's or job's
context on every record.

Code logs as ever (`logging.getLogger(__name__)`, %-style args); one handler on the root logger
takes every record, uvicorn's included. The context (request id and route; job, run and tick)
lives in contextvars set by the request middleware and the job runner, so a record logged
anywhere below them carries it.

While the service runs (`log_writer()`, in the lifespan) that handler only resolves the message
and the context, in the caller's thread, and queues the record: a background thread formats
(the JSON, the time, a traceback) and writes them every 50 ms, in batches, off the event loop.
Outside it (and in a process that never starts it: the CLI, tests without a lifespan) records
are formatted and written in place, as before. Whatever is queued is written when the last writer
stops, and at process exit.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from logging.handlers import QueueHandler
from typing import Any, Literal

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.orjson import OrjsonFormatter

LogFormat = Literal["json", "text"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(context)s"
JSON_FIELDS = ["levelname", "name", "message"]
JSON_RENAMES = {"levelname": "level", "name": "logger"}
CONTEXT_FIELDS = ("request_id", "route", "job", "run_id", "tick")
BATCH_LINES = 256  # written at once at most
FLUSH_S = 0.05  # how long a record waits for the writer at most, about

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
    """Copies the context onto each record, as attributes (JSON: fields; text: a suffix)."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _context.get()
        if fields:
            for key, value in fields.items():
                if value is not None and not hasattr(record, key):
                    setattr(record, key, value)
        return True


class TextFormatter(logging.Formatter):
    """`TEXT_FORMAT`, its `%(context)s` the context fields as ` [k=v …]` (built here, in the
    writer's thread, not where the record was logged)."""

    def format(self, record: logging.LogRecord) -> str:
        shown = [f"{k}={getattr(record, k)}" for k in CONTEXT_FIELDS if hasattr(record, k)]
        record.context = f" [{' '.join(shown)}]" if shown else ""
        return super().format(record)


class Handoff(QueueHandler):
    """The root's handler: while a writer runs, queues each record (its message resolved here)
    for the writer's thread; else formats and writes it in place through `target`."""

    def __init__(self, target: logging.StreamHandler[Any]) -> None:
        self.records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        super().__init__(self.records)
        self.target = target
        self.writer: Writer | None = None
        self.users = 0  # lifespans running (tests run several apps at once)
        self.state = threading.Lock()

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        # The message now: its args may change, or not be safe to read from the writer's
        # thread, once the call returns. The rest of the formatting is the writer's. In place:
        # a copy cost as much as the rest of the call, and the message reads the same.
        record.msg, record.args = record.getMessage(), None
        return record

    def emit(self, record: logging.LogRecord) -> None:
        if self.writer is None:
            self.target.handle(record)
        else:
            super().emit(record)

    def start(self) -> None:
        with self.state:
            self.users += 1
            if self.writer is None:
                self.writer = Writer(self.records, self.target)
                self.writer.start()

    def stop(self, *, every: bool = False) -> None:
        """One user fewer (`every`: none left); the last writes what is queued and ends the
        thread, and records are written in place again."""
        with self.state:
            self.users = 0 if every else max(0, self.users - 1)
            writer = self.writer
            if writer is None or self.users > 0:
                return
            self.writer = None  # from here records are written in place
            writer.stop()  # the thread takes the rest of the queue, then ends

    def forget_writer(self) -> None:
        """In a forked child: the parent's thread is not there; write in place."""
        self.writer, self.users, self.state = None, 0, threading.Lock()


class Writer(threading.Thread):
    """The thread that formats and writes queued records: it wakes every `FLUSH_S` and writes
    what was queued meanwhile, `BATCH_LINES` per write. Woken per record instead (a
    `QueueListener`), it took the event loop's core from it at every request: two thread
    switches a request halved the throughput of a cached read on one core."""

    def __init__(
        self, records: queue.SimpleQueue[logging.LogRecord], target: logging.StreamHandler[Any]
    ) -> None:
        super().__init__(name="log-writer", daemon=True)
        self.records = records
        self.target = target
        self.stopping = threading.Event()

    def run(self) -> None:
        while True:
            stopping = self.stopping.wait(FLUSH_S)
            self.drain()
            if stopping:
                return

    def drain(self) -> None:
        """Format and write every queued record."""
        lines: list[str] = []
        while True:
            try:
                record = self.records.get_nowait()
            except queue.Empty:
                break
            try:
                lines.append(self.target.format(record))
            except Exception:
                self.target.handleError(record)
            if len(lines) >= BATCH_LINES:
                self.write(lines, record)
                lines = []
        if lines:
            self.write(lines, record)

    def write(self, lines: list[str], last: logging.LogRecord) -> None:
        text = self.target.terminator.join(lines) + self.target.terminator
        self.target.acquire()
        try:
            self.target.stream.write(text)
            self.target.flush()
        except Exception:
            self.target.handleError(last)
        finally:
            self.target.release()

    def stop(self) -> None:
        """Write what is queued, then end."""
        self.stopping.set()
        self.join()
        self.drain()  # what a caller queued as the thread ended


def _handoff() -> Handoff | None:
    return next((h for h in logging.getLogger().handlers if isinstance(h, Handoff)), None)


@contextmanager
def log_writer() -> Iterator[None]:
    """Records formatted and written by the background writer for the block (the service's
    lifespan); what is queued is written at its end."""
    handoff = _handoff()
    if handoff is None:
        yield
        return
    handoff.start()
    try:
        yield
    finally:
        handoff.stop()


def _stop_writers() -> None:
    handoff = _handoff()
    if handoff is not None:
        handoff.stop(every=True)


def _forget_writers() -> None:
    handoff = _handoff()
    if handoff is not None:
        handoff.forget_writer()


atexit.register(_stop_writers)  # at exit, what is still queued is written
os.register_at_fork(after_in_child=_forget_writers)


class RecordTemplate:
    """Records of one logger, level and message format, made by copying one built at the start:
    `LogRecord`'s constructor cost as much as the rest of the access log's line on the event
    loop, at every request. Each copy gets its own time, arguments and `extra=` fields, and goes
    to the logger's handlers as `logger.log` sends one (its filters, the context included)."""

    def __init__(self, logger: logging.Logger, level: int, msg: str) -> None:
        self.logger, self.level = logger, level
        self._fields = logger.makeRecord(
            logger.name, level, "(unknown file)", 0, msg, (), None, "(unknown function)"
        ).__dict__

    def log(self, args: tuple[Any, ...], extra: dict[str, Any]) -> None:
        """Log a record of these `args` (the message's) and `extra` fields, if its level is on."""
        if not self.logger.isEnabledFor(self.level):
            return
        record = logging.LogRecord.__new__(logging.LogRecord)
        fields = record.__dict__
        fields.update(self._fields)
        created = time.time()
        fields["args"], fields["created"] = args, created
        fields["msecs"] = int((created - int(created)) * 1000) + 0.0  # as LogRecord sets them
        fields["relativeCreated"] += (created - self._fields["created"]) * 1000
        fields.update(extra)
        self.logger.handle(record)


def json_formatter() -> logging.Formatter:
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, then any
    context and `extra=` fields. Serialised by orjson: half the formatter's time, which the
    access log pays at every request."""
    return OrjsonFormatter(
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
    """Install (once; again with a new format) the root handler; route uvicorn's loggers to it.
    Records are written in place until `log_writer()` starts the background writer."""
    chosen = resolve_format(log_format)
    root = logging.getLogger()
    handler = _handoff()
    if handler is None:
        handler = Handoff(logging.StreamHandler())
        handler.addFilter(ContextFilter())  # in the caller's thread: the context is there
        root.addHandler(handler)
    formatter = json_formatter() if chosen == "json" else TextFormatter(TEXT_FORMAT)
    handler.target.setFormatter(formatter)
    # What no line shows (the JSON leaves them out, the text format names none): not computed
    # for every record.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None  # nor the caller's file, line and function (logging's own switch)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):  # one format for the whole process
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    # Our request line (app.access: request id, route, status, duration) replaces uvicorn's.
    logging.getLogger("uvicorn.access").disabled = True
