"""What the commands print: rich tables on stdout, problems on stderr, numbers made readable."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from decimal import Decimal, InvalidOperation
from typing import Any

from rich.console import Console
from rich.table import Table

from app.cli.api import ApiProblem, Unreachable, UsageError

WIDE = 160  # off a terminal (pipes, files, tests) tables are not cut to 80 columns


def console(stderr: bool = False) -> Console:
    """A console on the current stdout (or stderr), plain off a terminal."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(file=stream, width=None if stream.isatty() else WIDE, soft_wrap=False)


def table(title: str | None, *columns: str, right: tuple[str, ...] = ()) -> Table:
    """A table with these columns; those named in `right` are right-aligned (numbers)."""
    shown = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        shown.add_column(column, justify="right" if column in right else "left")
    return shown


def number(value: Any, places: int = 2) -> str:
    """A number (or its exact decimal text) rounded for reading; `-` when absent."""
    if value is None:
        return "-"
    try:
        return f"{Decimal(str(value)):,.{places}f}"
    except (InvalidOperation, ValueError):
        return str(value)


def age(seconds: Any) -> str:
    """A data age as `42s`, `12m`, `3.5h`; `-` when absent."""
    if seconds is None:
        return "-"
    s = float(seconds)
    if s < 120:
        return f"{s:.0f}s"
    if s < 7200:
        return f"{s / 60:.0f}m"
    return f"{s / 3600:.1f}h"


def text(value: Any) -> str:
    """A value as a cell: `-` for None, lower-case booleans, the rest as is."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def show_problem(command: str, problem: ApiProblem) -> None:
    """A problem+json answer, readably, on stderr: status, title, detail, each error."""
    doc = problem.problem
    out = console(stderr=True)
    title = doc.get("title") or "Error"
    out.print(f"{command}: {problem.status} {title}", markup=False, highlight=False)
    if doc.get("detail") and doc.get("detail") != title:
        out.print(f"  {doc['detail']}", markup=False, highlight=False)
    for error in doc.get("errors") or []:
        out.print(f"  - {describe_error(error)}", markup=False, highlight=False)
    extras = {k: v for k, v in doc.items() if k in ("type", "request_id")}
    for key, value in extras.items():
        out.print(f"  {key}: {value}", markup=False, highlight=False)


def describe_error(error: Any) -> str:
    """One entry of a problem's `errors`: `field: message` when it says both."""
    if isinstance(error, dict):
        where = error.get("field") or error.get("key") or error.get("loc")
        if isinstance(where, list):
            where = ".".join(str(part) for part in where)
        message = error.get("message") or error.get("msg") or error.get("detail")
        if where and message:
            return f"{where}: {message}"
        if message:
            return str(message)
    return str(error)


def service_command(name: str, command: Coroutine[Any, Any, int]) -> int:
    """Run `command`, which talks to the service: its exit code, or 1 when the service refused
    (its problem on stderr) or did not answer, 2 when the command line asked for what it cannot
    take."""
    try:
        return asyncio.run(command)
    except ApiProblem as problem:
        show_problem(name, problem)
        return 1
    except Unreachable as exc:
        sys.stderr.write(f"{name}: the service did not answer: {exc}\n")
        return 1
    except UsageError as exc:
        sys.stderr.write(f"{name}: {exc}\n")
        return 2
