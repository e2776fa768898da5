"""`Accept` read by its qualities: another media type (CSV, HTML) is preferred to JSON only when
it is named above JSON; JSON wins a tie, `*/*` and an absent or garbled header."""

from __future__ import annotations

import pytest

from app.platform.http.accept import CSV, EVENT_STREAM, HTML, JSON, negotiate, prefers

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
    assert prefers(lines, HTML) is html


def test_csv_and_html_are_each_weighed_against_json_alone() -> None:
    assert prefers(["text/csv, application/json;q=0.9"], CSV) is True
    assert prefers(["text/csv, application/json;q=0.9"], HTML) is False
    assert prefers([FIREFOX], CSV) is False


@pytest.mark.parametrize(
    ("lines", "offered", "chosen"),
    [
        ([], (JSON,), JSON),  # no Accept: anything
        ([""], (JSON,), JSON),  # an empty one too
        (["aaaa, json;q=1"], (JSON,), JSON),  # and one naming no media range
        (["*/*"], (JSON, CSV), JSON),
        (["application/*"], (JSON,), JSON),
        (["text/*"], (JSON, CSV), CSV),
        (["application/xml"], (JSON,), None),
        (["application/xml"], (JSON, CSV), None),
        (["text/csv"], (JSON,), None),
        (["application/json;q=0"], (JSON,), None),  # q=0: not acceptable
        (["*/*, application/json;q=0"], (JSON,), None),  # the most specific range weighs it
        (["*/*;q=0, application/json"], (JSON,), JSON),
        (["text/*;q=0.9, text/csv;q=0.1, application/json;q=0.5"], (JSON, CSV), JSON),
        (["text/csv, */*"], (JSON, CSV), CSV),  # named wins a tie over a wildcard
        (["Text/CSV;charset=utf-8;q=0.5"], (JSON, CSV), CSV),  # case, parameters
        (["text/event-stream"], (EVENT_STREAM,), EVENT_STREAM),
        (["application/json"], (EVENT_STREAM,), None),
        (
            [
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
            ],
            ("text/plain",),
            "text/plain",
        ),  # Prometheus's scrape
        (["application/openmetrics-text"], ("text/plain",), None),
        (["application/json;q=2"], (JSON,), None),  # no qvalue: as q=0
    ],
)
def test_negotiate_weighs_each_offered_type_by_its_most_specific_range(
    lines: list[str], offered: tuple[str, ...], chosen: str | None
) -> None:
    assert negotiate(lines, offered) == chosen
