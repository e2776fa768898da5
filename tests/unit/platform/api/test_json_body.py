"""`parse_json_body`: every number a body holds is one a double holds, or a 422 naming where."""

from __future__ import annotations

import sys

import pytest
from fastapi.exceptions import RequestValidationError

from app.platform.http.json_body import OUT_OF_RANGE_MESSAGE, parse_json_body

LARGEST = int(sys.float_info.max)  # 309 digits


def refused(body: bytes) -> dict[str, object]:
    with pytest.raises(RequestValidationError) as raised:
        parse_json_body(body)
    [error] = raised.value.errors()
    return dict(error)


class TestParseJsonBody:
    def test_numbers_a_double_holds_are_read_as_python_reads_them(self) -> None:
        body = f'{{"a": 1e308, "b": -{LARGEST}, "c": 5e-324, "d": 1e-999, "e": 7}}'.encode()
        assert parse_json_body(body) == {"a": 1e308, "b": -LARGEST, "c": 5e-324, "d": 0.0, "e": 7}

    @pytest.mark.parametrize(
        ("number", "shown"),
        [
            ("1e999", "1e999"),
            ("-2e400", "-2e400"),
            ("1.8e308", "1.8e308"),
            (str(LARGEST + 1), str(LARGEST + 1)[:20] + "…(309 characters)"),
            ("9" * 5000, "9" * 20 + "…(5000 characters)"),
        ],
    )
    def test_a_number_past_a_double_is_refused_where_it_is(self, number: str, shown: str) -> None:
        error = refused(f'{{"a": [0, {{"b": {number}}}]}}'.encode())
        assert error["loc"] == ("body", "a", 1, "b")
        assert (error["type"], error["input"]) == ("finite_number", shown)
        assert str(error["msg"]).startswith(OUT_OF_RANGE_MESSAGE)

    def test_the_first_refused_number_is_named_whatever_follows(self) -> None:
        error = refused(b'{"a": 1, "b": NaN, "c": 1e999}')
        assert (error["loc"], error["input"]) == (("body", "b"), "NaN")

    def test_a_top_level_number_is_the_body_s(self) -> None:
        assert refused(b"1e999")["loc"] == ("body",)


class TestDuplicateKeys:
    """One value per key: before, Python's parser kept the last of a key given twice."""

    def test_a_key_given_twice_is_refused_naming_it(self) -> None:
        error = refused(b'{"symbol": "BTCUSDT", "direction": "BUY", "direction": "SELL"}')
        assert error["loc"] == ("body", "direction")
        assert (error["type"], error["input"]) == ("duplicate_key", "direction")
        assert str(error["msg"]) == (
            '"direction" is given more than once in its object: send each key of an object once'
        )

    @pytest.mark.parametrize(
        ("body", "loc"),
        [
            (b'{"values": {"a": 1, "b": 2, "a": 1}}', ("body", "values", "a")),
            (b'{"p": [{"x": 1}, {"y": {"z": 1, "z": 1}}]}', ("body", "p", 1, "y", "z")),
            (b'[{"k": 1, "k": 2}]', ("body", 0, "k")),
        ],
    )
    def test_at_any_depth_it_is_named_where_it_is(
        self, body: bytes, loc: tuple[str | int, ...]
    ) -> None:
        assert refused(body)["loc"] == loc

    def test_the_same_key_in_two_objects_is_no_duplicate(self) -> None:
        body = b'{"a": {"k": 1}, "b": {"k": 2}, "k": 3}'
        assert parse_json_body(body) == {"a": {"k": 1}, "b": {"k": 2}, "k": 3}
