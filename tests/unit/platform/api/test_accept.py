"""`Accept` read by its qualities: another media type (CSV, HTML) is preferred to JSON only when
it is named above JSON; JSON wins a tie, `*/*` and an absent or garbled header."""

from __future__ import annotations

import pytest

from app.platform.http.accept import prefers_csv, prefers_html

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)


@pytest.mark.parametrize(
    ("lines", "html"),
    [
        ([FIREFOX], True),
        ([CHROMIUM], True),
        (["text/*"], True),
        (["application/json, text/html"], False),  # a tie: JSON
        (["text/html;q=0.5", "application/json"], False),  # two field lines read as one list
        (["*/*"], False),
        ([], False),
        (["text/html;q=0"], False),
        (["text/html;q=nonsense"], False),
    ],
)
def test_html_is_preferred_only_when_named_above_json(lines: list[str], html: bool) -> None:
    assert prefers_html(lines) is html


def test_csv_and_html_are_each_weighed_against_json_alone() -> None:
    assert prefers_csv(["text/csv, application/json;q=0.9"]) is True
    assert prefers_html(["text/csv, application/json;q=0.9"]) is False
    assert prefers_csv([FIREFOX]) is False
