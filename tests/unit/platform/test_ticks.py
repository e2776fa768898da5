"""Prices put back on the contract's tick: the decimal KuCoin would quote, not float noise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.platform.core.ticks import decimal_on_tick, on_tick


class TestOnTick:
    @pytest.mark.parametrize(
        ("price", "tick", "expected"),
        [
            ((80.04 + 80.06) / 2, "0.01", "80.05"),  # 80.05000000000001
            ((68675.6 + 68675.8) / 2, "0.1", "68675.7"),  # 68675.70000000001
            (68583.35, "0.1", "68583.4"),  # a mark on the index's finer step (halves to even)
            (68583.25, "0.1", "68583.2"),
            (0.30000000000000004, "0.00001", "0.3"),
            (1234.6, "5", "1235"),  # a tick that is not a power of ten
            (80.3, "0.25", "80.25"),
            (0.00060115000001, "1E-8", "0.00060115"),
        ],
    )
    def test_answers_the_nearest_multiple_of_the_tick_as_its_short_decimal(
        self, price: float, tick: str, expected: str
    ) -> None:
        on = on_tick(price, Decimal(tick))
        assert repr(on) == repr(float(expected))
        assert Decimal(repr(on)) % Decimal(tick) == 0
        assert decimal_on_tick(price, Decimal(tick)) == Decimal(expected)

    def test_a_stored_tick_with_trailing_zeros_gives_the_ticks_own_decimals(self) -> None:
        assert str(decimal_on_tick(80.05000000000001, Decimal("0.010000000000"))) == "80.05"
        assert str(decimal_on_tick(Decimal("68579.799999999990"), Decimal("0.1"))) == "68579.8"
        assert str(decimal_on_tick(1234.0, Decimal("1E+1"))) == "1230"

    def test_an_unknown_tick_leaves_the_price_as_it_is(self) -> None:
        assert on_tick(80.05000000000001, None) == 80.05000000000001
        assert decimal_on_tick(80.05000000000001, None) == Decimal("80.05000000000001")
