"""Generated blocks inside hand-written Markdown: the text between a block's two markers is
replaced whole, everything around it is left as written."""

from __future__ import annotations

import re

BEGIN = "<!-- generated: {name} (python -m scripts.docgen); do not edit by hand -->"
END = "<!-- end generated: {name} -->"


class MissingBlock(ValueError):
    """A document lacks the markers of a block it should hold."""


def replace_block(text: str, name: str, content: str) -> str:
    """`text` with the block `name` holding `content` (a trailing newline added if missing)."""
    begin, end = BEGIN.format(name=name), END.format(name=name)
    pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise MissingBlock(f"no block {name!r}: add the lines {begin!r} and {end!r}")
    body = content if content.endswith("\n") else content + "\n"
    return pattern.sub(lambda _: f"{begin}\n{body}{end}", text, count=1)
