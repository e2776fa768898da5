"""Position sizing and order plans on hand-computed KuCoin linear-contract examples."""

from __future__ import annotations

from typing import Any

import pytest

from app.portfolio.maths.sizing import (
    BELOW_ONE_LOT,
    OrderLine,
    PositionSize,
    order_plan,
    position_size,
)

# The reference contract: 1 lot = 10 coins at 2.345 USDT = 23.45 USDT a lot.
BASE: dict[str, Any] = {
    "balance": 10_000.0,
    "weight_pct": 12.5,
    "max_weight_pct": 20.0,
    "price": 2.345,
    "multiplier": 10.0,
    "lot_size": 1,
    "max_leverage": 10,
}


def size(**overrides: Any) -> PositionSize:
    return position_size(**{**BASE, **overrides})


class TestPositionSize:
    def test_lot_rounding(self) -> None:
        # 10000 * 12.5% = 1250 USDT; 1250 / 23.45 = 53.30 lots -> 53; 53 * 23.45 = 1242.85
        result = size()
        assert result.notional_usdt == pytest.approx(1250.0)
        assert result.contracts == 53
        assert result.contract_notional_usdt == pytest.approx(1242.85)
        assert not result.capped
        assert result.cap_reason is None

    def test_min_margin_is_contract_notional_over_leverage(self) -> None:
        # 1242.85 / 10
        assert size().min_margin_usdt == pytest.approx(124.285)

    def test_capped_at_max_weight(self) -> None:
        # 30% asked, 20% allowed: 2000 USDT; 2000 / 23.45 = 85.29 -> 85 lots = 1993.25
        result = size(weight_pct=30.0)
        assert result.capped
        assert result.cap_reason == "max_weight"
        assert result.notional_usdt == pytest.approx(2000.0)
        assert result.contracts == 85
        assert result.contract_notional_usdt == pytest.approx(1993.25)

    def test_lot_size_multiple(self) -> None:
        # 53.30 lots rounded down to a multiple of 10 -> 50 lots = 1172.5
        result = size(lot_size=10)
        assert result.contracts == 50
        assert result.contract_notional_usdt == pytest.approx(1172.5)

    def test_whole_lot_count_survives_float_rounding(self) -> None:
        # 700 * 10% = 70 USDT at 100 * 0.07 = 7 USDT a lot: exactly 10 lots (floats say 9.99...)
        result = size(balance=700.0, weight_pct=10.0, price=0.07, multiplier=100.0)
        assert result.contracts == 10

    def test_less_than_one_lot_is_zero(self) -> None:
        # 100 * 1% = 1 USDT, one lot is 0.001 * 60000 = 60 USDT
        result = size(balance=100.0, weight_pct=1.0, price=60_000.0, multiplier=0.001)
        assert result.contracts == 0
        assert result.min_margin_usdt == 0.0

    def test_volatility_scales_down(self) -> None:
        # scale = 0.4 / 0.8 = 0.5: 625 USDT / 23.45 = 26.65 -> 26 lots = 609.7
        result = size(volatility=0.8, target_volatility=0.4)
        assert result.volatility_adjusted
        assert result.volatility_scale == pytest.approx(0.5)
        assert result.notional_usdt == pytest.approx(625.0)
        assert result.contracts == 26
        assert result.contract_notional_usdt == pytest.approx(609.7)

    def test_volatility_never_scales_up(self) -> None:
        result = size(volatility=0.2, target_volatility=0.4)
        assert not result.volatility_adjusted
        assert result.volatility_scale == 1.0
        assert result.notional_usdt == pytest.approx(1250.0)

    def test_volatility_scaling_applies_after_cap(self) -> None:
        # capped to 2000, then halved: 1000
        result = size(weight_pct=30.0, volatility=0.8, target_volatility=0.4)
        assert result.capped
        assert result.notional_usdt == pytest.approx(1000.0)

    def test_no_scaling_without_both_volatilities(self) -> None:
        result = size(volatility=0.8)
        assert not result.volatility_adjusted
        assert result.volatility_scale is None
        assert result.notional_usdt == pytest.approx(1250.0)

    def test_fields_are_plain_python(self) -> None:
        result = size(volatility=0.8, target_volatility=0.4)
        assert type(result.contracts) is int
        assert type(result.max_leverage) is int
        assert type(result.volatility_scale) is float

    @pytest.mark.parametrize(
        "field", ["balance", "price", "multiplier", "lot_size", "max_leverage"]
    )
    @pytest.mark.parametrize("value", [0, -1])
    def test_rejects_non_positive_inputs(self, field: str, value: int) -> None:
        with pytest.raises(ValueError, match=field):
            size(**{field: value})

    def test_rejects_non_positive_volatility(self) -> None:
        with pytest.raises(ValueError, match="volatility"):
            size(volatility=0.0, target_volatility=0.4)


BALANCE = 10_000.0
LINES = [
    # 2000 USDT at 0.001 * 60000 = 60 a lot: 33.33 -> 33; from 0 -> buy 33 = 1980
    ("XBTUSDTM", 20.0, 0, 60_000.0, 0.001, 1),
    # 1000 USDT at 0.01 * 2500 = 25 a lot: 40; from 50 -> sell 10 = -250
    ("ETHUSDTM", 10.0, 50, 2_500.0, 0.01, 1),
    # 500 USDT at 100 * 0.1 = 10 a lot: 50 lots (lot size 10); from 55 -> -5, below one lot
    ("DOGEUSDTM", 5.0, 55, 0.1, 100.0, 10),
    # -1250 USDT at 23.45 a lot: -53.30 -> -53 (toward zero); from 0 -> sell 53 = -1242.85
    ("SOLUSDTM", -12.5, 0, 2.345, 10.0, 1),
    # 300 USDT at 25 a lot: 12 lots, already held
    ("XRPUSDTM", 3.0, 12, 2.5, 10.0, 1),
    # 1000 USDT at 10 a lot: 100 lots (lot size 2); from 3 -> 97 wanted, orderable 96
    ("ADAUSDTM", 10.0, 3, 1.0, 10.0, 2),
]


def plan() -> dict[str, OrderLine]:
    return {line.symbol: line for line in order_plan(BALANCE, LINES)}


class TestOrderPlan:
    def test_keeps_input_order(self) -> None:
        assert [line.symbol for line in order_plan(BALANCE, LINES)] == [row[0] for row in LINES]

    def test_buy_from_flat(self) -> None:
        line = plan()["XBTUSDTM"]
        assert line.target_notional_usdt == pytest.approx(2000.0)
        assert (line.target_contracts, line.delta_contracts, line.side) == (33, 33, "buy")
        assert line.delta_notional_usdt == pytest.approx(1980.0)
        assert line.skipped_reason is None

    def test_sell_down_to_target(self) -> None:
        line = plan()["ETHUSDTM"]
        assert (line.target_contracts, line.delta_contracts, line.side) == (40, -10, "sell")
        assert line.delta_notional_usdt == pytest.approx(-250.0)

    def test_below_one_lot_is_skipped(self) -> None:
        line = plan()["DOGEUSDTM"]
        assert line.target_contracts == 50
        assert line.delta_contracts == 0
        assert line.side is None
        assert line.skipped_reason == BELOW_ONE_LOT == "below_one_lot"

    def test_short_target_rounds_toward_zero(self) -> None:
        line = plan()["SOLUSDTM"]
        assert (line.target_contracts, line.delta_contracts, line.side) == (-53, -53, "sell")
        assert line.delta_notional_usdt == pytest.approx(-1242.85)

    def test_no_change_needs_no_order(self) -> None:
        line = plan()["XRPUSDTM"]
        assert (line.delta_contracts, line.side, line.skipped_reason) == (0, None, None)

    def test_delta_is_a_lot_multiple(self) -> None:
        line = plan()["ADAUSDTM"]
        assert (line.target_contracts, line.delta_contracts) == (100, 96)

    def test_duplicate_symbol_raises(self) -> None:
        with pytest.raises(ValueError, match="twice"):
            order_plan(BALANCE, [LINES[0], LINES[0]])

    def test_invalid_price_raises(self) -> None:
        with pytest.raises(ValueError, match="price"):
            order_plan(BALANCE, [("XBTUSDTM", 20.0, 0, 0.0, 0.001, 1)])
