"""Logging set-up: one line per record, key facts first, level from settings."""

from __future__ import annotations

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    if not any(getattr(h, "_mysymbols", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler._mysymbols = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
