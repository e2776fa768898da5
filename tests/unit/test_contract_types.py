"""The request types the contract documents: what each accepts and refuses, as its schema says."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from app.schemas.common import IsoDateTime, PositiveMoney, SignedMoney, SymbolText, UnitFraction

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


class TestNumbersOrTheirText:
    @pytest.mark.parametrize(
        ("given", "kept"),
        [(0.35, "0.3500"), ("0.35", "0.3500"), ("1", "1.0000"), (0.123456, "0.1235")],
    )
    def test_a_fraction_is_kept_to_four_decimals(self, given: object, kept: str) -> None:
        assert FRACTION.validate_python(given) == Decimal(kept)

    @pytest.mark.parametrize("given", [1.5, "1.5", "-0.1", True, "", "NaN", "0.3e1"])
    def test_a_fraction_outside_its_documented_forms_is_refused(self, given: object) -> None:
        with pytest.raises(ValidationError):
            FRACTION.validate_python(given)

    def test_money_text_is_bounded_by_its_digits(self) -> None:
        money = TypeAdapter(SignedMoney)
        assert money.validate_python("-125.50") == Decimal("-125.50")
        for given in ("1" * 16, "1e3", "12.", True):
            with pytest.raises(ValidationError):
                money.validate_python(given)
        with pytest.raises(ValidationError):
            TypeAdapter(PositiveMoney).validate_python("0.00")


class TestSymbolText:
    @pytest.mark.parametrize("given", ["BTCUSDT", "XBTUSDTM", "BTC/USDT:USDT", "btc-usdt"])
    def test_every_documented_form_has_the_shape(self, given: str) -> None:
        assert TypeAdapter(SymbolText).validate_python(given) == given

    @pytest.mark.parametrize("given", ["$$", "BTC USDT", "BTC//USDT", "X" * 41, "B"])
    def test_other_text_is_refused(self, given: str) -> None:
        with pytest.raises(ValidationError):
            TypeAdapter(SymbolText).validate_python(given)
