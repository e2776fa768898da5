"""The request types the contract documents: what each accepts and refuses, as its schema says."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from app.schemas.common import (
    STORABLE_PATTERN,
    DecimalNumber,
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

    def test_a_time_past_the_calendars_end_in_utc_is_its_last_instant(self) -> None:
        assert TIME.validate_python("9999-12-31T23:59:59-18:00") == datetime.max.replace(tzinfo=UTC)
        assert TIME.validate_python("0001-01-01T00:00:00+18:00") == datetime.min.replace(tzinfo=UTC)


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
