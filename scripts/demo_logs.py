"""The demo's logs, a folder for each start (`.demo/logs/20260105-101500/`, the service's and the
simulator's), so that a start never writes over the last one's: the log of a start that failed
is still there after the next. The newest `KEPT` starts are kept."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

KEPT = 10
STAMP = "%Y%m%d-%H%M%S"  # local time, as the person who started it reads a clock
NAMED = re.compile(r"(\d{8}-\d{6})(?:-(\d+))?")  # a start's folder: its time, then -2, -3… if two


def new_start(directory: Path, now: time.struct_time | None = None) -> Path:
    """A new, empty folder for this start's logs in `directory/logs`; those of starts before the
    newest `KEPT` are removed."""
    logs = directory / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime(STAMP, now or time.localtime())
    folder, count = logs / stamp, 1
    while True:
        try:
            folder.mkdir()
            break
        except FileExistsError:  # a start within the same second
            count += 1
            folder = logs / f"{stamp}-{count}"
    for old in starts(logs)[:-KEPT]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def starts(logs: Path) -> list[Path]:
    """The starts' folders in `logs`, oldest first (nothing else there is touched)."""
    named = {path: NAMED.fullmatch(path.name) for path in logs.iterdir() if path.is_dir()}
    order = {path: (m.group(1), int(m.group(2) or 1)) for path, m in named.items() if m}
    return sorted(order, key=order.__getitem__)
