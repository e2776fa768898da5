"""Log lines: JSON objects (or text) carrying the context they were logged in."""

from __future__ import annotations

import io
import json
import logging
import re
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from app.platform.core.log import (
    TEXT_FORMAT,
    ContextFilter,
    Handoff,
    RecordTemplate,
    TextFormatter,
    bound,
    configure_logging,
    json_formatter,
    log_writer,
    resolve_format,
)


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the `app` loggers write while the test runs, formatted as the service does."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("app.test")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def parsed(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


class TestJsonLines:
    def test_a_percent_style_record_is_one_json_object_with_the_standard_fields(
        self, json_lines: io.StringIO
    ) -> None:
        logging.getLogger("app.test").warning("scored %d of %s", 3, "ten")
        [line] = parsed(json_lines)
        assert line["message"] == "scored 3 of ten"
        assert line["level"] == "WARNING"
        assert line["logger"] == "app.test"
        assert datetime.fromisoformat(line["time"]).utcoffset() is not None  # ISO 8601, zoned

    def test_the_bound_context_and_extra_fields_are_fields(self, json_lines: io.StringIO) -> None:
        with bound(request_id="req-1", job="score_refresh", tick=None):
            logging.getLogger("app.test").info("inside", extra={"duration_ms": 1.5})
        logging.getLogger("app.test").info("outside")
        inside, outside = parsed(json_lines)
        assert inside["request_id"] == "req-1"
        assert inside["job"] == "score_refresh"
        assert inside["duration_ms"] == 1.5
        assert "tick" not in inside  # an unset field is left out, not null
        assert "request_id" not in outside and "job" not in outside

    def test_an_exception_travels_in_the_line(self, json_lines: io.StringIO) -> None:
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("app.test").exception("failed")
        [line] = parsed(json_lines)
        assert line["message"] == "failed"
        assert "ValueError: boom" in line["exc_info"]


class TestRecordTemplate:
    def test_its_record_is_the_one_logger_log_makes_in_context_and_time(
        self, json_lines: io.StringIO
    ) -> None:
        logger = logging.getLogger("app.test")
        template = RecordTemplate(logger, logging.INFO, "%s took %.1f ms")
        fields = {"route": "/x", "status": 200}
        with bound(request_id="req-3"):
            logger.info("%s took %.1f ms", "GET", 1.25, extra=fields)
            template.log(("GET", 1.25), fields)
        logged, copied = parsed(json_lines)
        assert list(copied) == list(logged)  # the same fields, in the same order
        assert {**copied, "time": None} == {**logged, "time": None}
        assert copied["message"] == "GET took 1.2 ms" and copied["request_id"] == "req-3"
        assert datetime.fromisoformat(copied["time"]) >= datetime.fromisoformat(logged["time"])

    def test_its_time_fields_are_as_logger_log_sets_them(self) -> None:
        logger = logging.getLogger("app.test")
        records: list[logging.LogRecord] = []
        handler = logging.Handler()
        handler.emit = records.append  # type: ignore[method-assign]
        logger.addHandler(handler)
        try:
            logger.warning("%s", "made")
            RecordTemplate(logger, logging.WARNING, "%s").log(("copied",), {})
        finally:
            logger.removeHandler(handler)
        made, copied = records
        assert copied.msecs == int((copied.created - int(copied.created)) * 1000)
        elapsed_ms = (copied.created - made.created) * 1000
        assert copied.relativeCreated == pytest.approx(made.relativeCreated + elapsed_ms, abs=0.01)
        line = logging.Formatter(TEXT_FORMAT.replace("%(context)s", "")).format(copied)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING app.test: copied", line)
        assert line[20:23] == f"{int(copied.msecs):03d}"

    def test_nothing_is_made_below_the_loggers_level(self, json_lines: io.StringIO) -> None:
        logger = logging.getLogger("app.test")
        logger.setLevel(logging.INFO)
        RecordTemplate(logger, logging.DEBUG, "%s").log(("quiet",), {})
        assert parsed(json_lines) == []


class TestTextLines:
    def test_the_context_follows_the_message(self) -> None:
        record = logging.LogRecord("app.test", logging.INFO, __file__, 1, "hello", None, None)
        with bound(request_id="req-2", route="/x"):
            ContextFilter().filter(record)
        formatted = TextFormatter("%(message)s%(context)s").format(record)
        assert formatted == "hello [request_id=req-2 route=/x]"


class TestFormatChoice:
    def test_an_explicit_format_wins(self) -> None:
        assert resolve_format("text") == "text"
        assert resolve_format("json") == "json"

    def test_unset_is_text_on_a_terminal_and_json_elsewhere(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("sys.stderr.isatty", lambda: True)
        assert resolve_format(None) == "text"
        monkeypatch.setattr("sys.stderr.isatty", lambda: False)
        assert resolve_format(None) == "json"

    def test_configuring_switches_the_one_root_handler(self) -> None:
        root = logging.getLogger()
        try:
            configure_logging("INFO", "text")
            configure_logging("INFO", "json")
            ours = [h for h in root.handlers if isinstance(h, Handoff)]
            assert len(ours) == 1
            assert isinstance(ours[0].target.formatter, type(json_formatter()))
            assert logging.getLogger("uvicorn.error").propagate is True
            assert logging.getLogger("uvicorn.access").disabled is True
        finally:
            configure_logging("INFO", None)


class ThreadNoting(logging.Formatter):
    """Formats as `message thread-name`: where the formatting ran."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.getMessage()} {threading.current_thread().name}"


@pytest.fixture
def handoff() -> Iterator[tuple[Handoff, io.StringIO]]:
    """A logger `app.test.handoff` whose only handler is a `Handoff` writing to a string."""
    stream = io.StringIO()
    target = logging.StreamHandler(stream)
    target.setFormatter(ThreadNoting())
    handler = Handoff(target)
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("app.test.handoff")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield handler, stream
    finally:
        handler.stop(every=True)
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
        logger.propagate = True


class TestBackgroundWriter:
    def test_without_a_writer_a_record_is_written_in_place(
        self, handoff: tuple[Handoff, io.StringIO]
    ) -> None:
        _, stream = handoff
        logging.getLogger("app.test.handoff").info("now")
        assert stream.getvalue() == f"now {threading.current_thread().name}\n"

    def test_with_a_writer_records_are_formatted_in_its_thread_and_written_by_stop(
        self, handoff: tuple[Handoff, io.StringIO]
    ) -> None:
        handler, stream = handoff
        handler.start()
        for n in range(300):  # more than one batch
            logging.getLogger("app.test.handoff").info("line %d", n)
        handler.stop()
        lines = stream.getvalue().splitlines()
        assert [line.split()[1] for line in lines] == [str(n) for n in range(300)]
        assert threading.current_thread().name not in {line.split()[2] for line in lines}
        assert handler.writer is None

    def test_the_message_and_context_are_taken_when_logged(
        self, handoff: tuple[Handoff, io.StringIO]
    ) -> None:
        handler, stream = handoff
        handler.target.setFormatter(TextFormatter("%(message)s%(context)s"))
        handler.start()
        symbols = ["BTCUSDT"]
        with bound(request_id="req-9"):
            logging.getLogger("app.test.handoff").info("members %s", symbols)
        symbols.append("ETHUSDT")  # after the call: not in the line
        handler.stop()
        assert stream.getvalue() == "members ['BTCUSDT'] [request_id=req-9]\n"

    def test_the_writer_runs_until_its_last_user_stops(
        self, handoff: tuple[Handoff, io.StringIO]
    ) -> None:
        handler, _ = handoff
        handler.start()
        handler.start()  # two apps serving at once
        handler.stop()
        assert handler.writer is not None
        handler.stop()
        assert handler.writer is None

    def test_a_lifespan_runs_the_roots_writer(self) -> None:
        configure_logging("INFO", None)
        [root] = [h for h in logging.getLogger().handlers if isinstance(h, Handoff)]
        with log_writer():
            assert root.writer is not None
        assert root.writer is None
