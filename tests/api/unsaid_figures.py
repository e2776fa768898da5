"""Figures an answer's text should have said in words: a `nan` or an infinity (`+nan`, `-inf`,
`Infinity`, `NaN`: a figure computed from too little), and a negative count or duration (`-1 days`,
`-3 decisions`, `\u22122 h`: a time or a tally counted the wrong way round). A signed figure with no
unit (a lead, a return, a t) may be negative; a word that merely holds the letters ("financial",
"infinite") is no figure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

MINUS = "\u2212"  # the typographic minus the dashboard writes
# A whole word, signed or not: not inside a longer word, a symbol or a number ("1e+nan" aside).
NON_FINITE = re.compile(rf"(?<![\w.])[+\-{MINUS}]?(?:nan|inf|infinity)(?![\w])", re.IGNORECASE)
# Units a count or a duration is said in. The one-letter ones (`s`, `h`, `d`) must stand alone
# ("-5 s", "-2h"): "-2 sd" or "-1 hit" are not read as seconds or hours.
UNITS = (
    r"(?:days?|hours?|minutes?|mins?|seconds?|weeks?|weekends?|months?|years?|decisions?"
    r"|runs?|trades?|replacements?|symbols?|members?|contracts?|candles?|folds?|times|s|h|d)"
)
# A minus (ASCII or typographic) that starts a number, not a date's or a range's dash: nothing
# word-like or numeric just before it ("2026-11-28", "a-3" are no negative numbers).
NEGATIVE_COUNT = re.compile(
    rf"(?<![\w.,])[-{MINUS}]\d[\d,]*(?:\.\d+)?\s?{UNITS}(?![\w])", re.IGNORECASE
)


def unsaid(text: str) -> list[str]:
    """The figures in `text` that should have been words, as they appear, in order."""
    found = [(m.start(), m.group()) for m in NON_FINITE.finditer(text)]
    found += [(m.start(), m.group()) for m in NEGATIVE_COUNT.finditer(text)]
    return [figure for _, figure in sorted(found)]


def strings_in(body: Any, at: str = "$") -> Iterator[tuple[str, str]]:
    """Every string value of a JSON document (object keys left out), with its JSONPath."""
    if isinstance(body, str):
        yield at, body
    elif isinstance(body, dict):
        for key, value in body.items():
            yield from strings_in(value, f"{at}.{key}")
    elif isinstance(body, list):
        for k, value in enumerate(body):
            yield from strings_in(value, f"{at}[{k}]")


def unsaid_in(body: Any) -> dict[str, list[str]]:
    """The unsaid figures of each string of `body` that holds any, by JSONPath."""
    return {at: figures for at, text in strings_in(body) if (figures := unsaid(text))}
