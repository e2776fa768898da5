"""Text for a Markdown table cell: one line, pipes escaped, and `<`/`>` outside code spans
escaped so that `<name>` shows as written instead of vanishing as an HTML tag."""

from __future__ import annotations


def cell(text: str) -> str:
    parts = " ".join(text.split()).replace("|", "\\|").split("`")
    for i in range(0, len(parts), 2):  # the even parts are outside code spans
        parts[i] = parts[i].replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts)
