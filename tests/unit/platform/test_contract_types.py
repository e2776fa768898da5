"""The request types the contract documents: what each accepts and refuses, as its schema says."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from app.platform.schemas.common import (
    DATE_TIME_PATTERN,
    FIRST_YEAR,
    LAST_YEAR,
    STORABLE_PATTERN,
    DecimalNumber,
    FiniteFloat,
    IsoDateTime,
    PositiveMoney,
    SignedMoney,
    StorableObject,
    StorableText,
    SymbolText,
    UnitFraction,
)

TIME = TypeAdapter(IsoDateTime)
FRACTION = TypeAdapter(UnitFraction)


class TestIsoDateTime:
    def test_iso_text_is_read_in_utc(self) -> None:
        assert TIME.validate_python("2026-11-23T08:00:00+02:00") == datetime(
            2026, 11, 23, 6, tzinfo=UTC
        )

    @pytest.mark.parametrize("given", [0.5, 1700000000, "1700000000", "0.5"])
    def test_epoch_numbers_are_refused(self, given: object) -> None:
        with pytest.raises(ValidationError):
            TIME.validate_python(given)

    @pytest.mark.parametrize(
        "given",
        [
            "9999-12-31T23:59:59-23:59",  # past the calendar's end in UTC
            "9999-12-31T23:59:59Z",
            "0001-01-01T00:00:00+18:00",  # before its start in UTC
            "0001-12-31T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2200-01-01T00:00:00Z",
        ],
    )
    def test_a_time_outside_the_window_is_refused_naming_it(self, given: str) -> None:
        with pytest.raises(ValidationError) as refused:
            TIME.validate_python(given)
        [error] = refused.value.errors()
        assert error["type"] == "datetime_window"
        assert error["msg"] == f"should be written in the years {FIRST_YEAR} to {LAST_YEAR}"

    def test_the_window_s_edges_are_within_it_at_any_offset(self) -> None:
        first = TIME.validate_python("1970-01-01T00:00:00+23:59")
        assert first == datetime(1969, 12, 31, 0, 1, tzinfo=UTC)
        last = TIME.validate_python("2199-12-31T23:59:59.999999-23:59")
        assert last == datetime(2200, 1, 1, 23, 58, 59, 999999, tzinfo=UTC)

    @pytest.mark.parametrize(
        "given",
        ["2026-11-23 06:00:00Z", "2026-11-23T06:00Z", "2026-11-23T06:00:00", "20261123T060000Z"],
    )
    def test_other_spellings_of_a_time_are_refused_as_the_schema_says(self, given: str) -> None:
        with pytest.raises(ValidationError) as refused:
            TIME.validate_python(given)
        assert refused.value.errors()[0]["type"] == "datetime_format"
        assert re.fullmatch(DATE_TIME_PATTERN, given) is None

    @pytest.mark.parametrize(
        "given",
        [
            "1970-01-01T00:00:00+23:59",
            "2026-11-23T06:00:00.5Z",
            "2199-12-31T23:59:59Z",
            "2026-11-23t06:00:00z",  # RFC 3339's lower case
            "2026-11-23T06:00:00.123456789Z",  # a nanosecond clock's (Go's RFC3339Nano)
        ],
    )
    def test_the_schema_s_pattern_admits_what_is_accepted(self, given: str) -> None:
        TIME.validate_python(given)
        assert re.fullmatch(DATE_TIME_PATTERN, given) is not None
        assert TIME.json_schema()["pattern"] == DATE_TIME_PATTERN


class TestFiniteFloat:
    @pytest.mark.parametrize("given", ["nan", "inf", "-Infinity", "1e999", float("nan")])
    def test_a_non_finite_float_is_refused_as_such(self, given: object) -> None:
        with pytest.raises(ValidationError) as refused:
            TypeAdapter(FiniteFloat).validate_python(given)
        assert refused.value.errors()[0]["type"] == "finite_number"

    def test_the_largest_double_is_finite(self) -> None:
        assert TypeAdapter(FiniteFloat).validate_python("1.7976931348623157e308") > 1e308


class TestFiguresAreNumbers:
    @pytest.mark.parametrize(
        ("given", "kept"), [(0.35, "0.3500"), (1, "1.0000"), (0.123456, "0.1235"), (0, "0.0000")]
    )
    def test_a_fraction_is_kept_to_four_decimals(self, given: object, kept: str) -> None:
        assert FRACTION.validate_python(given) == Decimal(kept)

    @pytest.mark.parametrize("given", [1.5, -0.1, "0.35", "1", True, "", "NaN"])
    def test_a_fraction_outside_0_to_1_or_as_text_is_refused(self, given: object) -> None:
        with pytest.raises(ValidationError):
            FRACTION.validate_python(given)

    def test_money_is_a_bounded_number(self) -> None:
        money = TypeAdapter(SignedMoney)
        assert money.validate_python(-125.5) == Decimal("-125.5")
        for given in (2e15, "-125.50", "1e3", True):
            with pytest.raises(ValidationError):
                money.validate_python(given)
        with pytest.raises(ValidationError):
            TypeAdapter(PositiveMoney).validate_python(0)

    def test_a_stored_decimal_is_answered_as_a_json_number(self) -> None:
        assert TypeAdapter(DecimalNumber).dump_json(Decimal("12.5000")) == b"12.5"
        assert TypeAdapter(DecimalNumber).dump_python(Decimal("12.5000")) == Decimal("12.5000")


class TestSymbolText:
    @pytest.mark.parametrize("given", ["BTCUSDT", "XBTUSDTM", "BTC/USDT:USDT", "btc-usdt"])
    def test_every_documented_form_has_the_shape(self, given: str) -> None:
        assert TypeAdapter(SymbolText).validate_python(given) == given

    @pytest.mark.parametrize("given", ["$$", "BTC USDT", "BTC//USDT", "X" * 41, "B"])
    def test_other_text_is_refused(self, given: str) -> None:
        with pytest.raises(ValidationError):
            TypeAdapter(SymbolText).validate_python(given)


class TestStorableText:
    """What the schema admits the database stores: NUL is excluded by the pattern (the same in
    pydantic, Python's re and JSON Schema), a lone surrogate by pydantic's UTF-8 regex engine."""

    @pytest.mark.parametrize("given", ["", "a reason", "ünïcode ✓", "tab\tand\nnewline"])
    def test_storable_text_is_kept(self, given: str) -> None:
        assert TypeAdapter(StorableText).validate_python(given) == given
        assert re.fullmatch(STORABLE_PATTERN, given)

    @pytest.mark.parametrize("given", ["nul\x00inside", "\x00", "lone \ud800 surrogate"])
    def test_text_the_database_cannot_store_is_refused(self, given: str) -> None:
        with pytest.raises(ValidationError):
            TypeAdapter(StorableText).validate_python(given)

    def test_an_objects_keys_and_nested_strings_are_checked(self) -> None:
        payload = TypeAdapter(StorableObject)
        assert payload.validate_python({"a": [{"b": "c"}, 1, None]}) == {"a": [{"b": "c"}, 1, None]}
        for given in ({"k\x00": 1}, {"a": ["\x00"]}, {"a": {"b": "\x00"}}):
            with pytest.raises(ValidationError):
                payload.validate_python(given)
        schema = payload.json_schema()
        assert schema["propertyNames"]["pattern"] == STORABLE_PATTERN
