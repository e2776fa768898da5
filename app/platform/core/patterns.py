"""Patterns a request's text must match, each written with what a refusal says of a value it
refuses. pydantic's own message quotes the regex (`String should match pattern '^[a-z_]+$'`),
which tells a caller nothing: the problem document says these words instead
(`app.platform.http.problems`)."""

from __future__ import annotations

_WORDS: dict[str, str] = {}

SNAKE_NAME = r"^[a-z_]+$"


def worded(pattern: str, words: str) -> str:
    """`pattern`, registered with `words`: what a value it refuses must be ("must be ...")."""
    if _WORDS.setdefault(pattern, words) != words:
        raise ValueError(f"{pattern!r} worded twice: {_WORDS[pattern]!r} and {words!r}")
    return pattern


def words_for(pattern: object) -> str | None:
    """The words registered for `pattern`, None for a pattern never worded."""
    return _WORDS.get(pattern) if isinstance(pattern, str) else None


worded(SNAKE_NAME, "must be lowercase letters and underscores only")
