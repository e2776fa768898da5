"""Position sizing and rebalance order plans for KuCoin USDT-margined linear perpetuals.

One lot (contract) is `multiplier` base coins, so q lots at `price` are worth
q * multiplier * price USDT. Order sizes are in lots and must be multiples of `lot_size`.
Lot counts are always rounded toward zero, so a position never exceeds its target notional.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Lot counts that are whole in exact arithmetic can land a hair below it in binary floating
# point (70 / (100 * 0.07) = 9.999999999999998); the nudge stops truncation losing a lot.
_LOT_EPS = 1e-9

BELOW_ONE_LOT = "below_one_lot"
MAX_WEIGHT = "max_weight"


@dataclass(frozen=True)
class PositionSize:
    """Target size of one position, in USDT and in whole lots."""

    notional_usdt: float  # after the weight cap and volatility scaling, before lot rounding
    capped: bool
    cap_reason: str | None
    contracts: int  # lots, a multiple of lot_size
    contract_notional_usdt: float  # what `contracts` lots are actually worth
    max_leverage: int
    min_margin_usdt: float  # contract_notional_usdt / max_leverage
    volatility_adjusted: bool  # True only when volatility scaling reduced the notional
    volatility_scale: float | None  # None when no volatility scaling was asked for


@dataclass(frozen=True)
class OrderLine:
    """One symbol's step from its current position to its target, in lots."""

    symbol: str
    target_weight_pct: float
    target_notional_usdt: float
    current_contracts: int
    target_contracts: int
    delta_contracts: int  # signed; 0 when nothing is to be traded
    delta_notional_usdt: float  # signed USDT value of delta_contracts
    side: str | None  # "buy", "sell" or None
    skipped_reason: str | None


def _check_contract(balance: float, price: float, multiplier: float, lot_size: int) -> None:
    for name, value in (
        ("balance", balance),
        ("price", price),
        ("multiplier", multiplier),
        ("lot_size", lot_size),
    ):
        if not value > 0:
            raise ValueError(f"{name} must be positive, got {value}")


def _lots_toward_zero(notional: float, multiplier: float, price: float, lot_size: int) -> int:
    """Whole multiples of lot_size worth at most |notional|, with the sign of notional."""
    lots = notional / (multiplier * price) / lot_size
    return math.trunc(lots + math.copysign(_LOT_EPS, lots)) * lot_size


def position_size(
    balance: float,
    weight_pct: float,
    max_weight_pct: float,
    price: float,
    multiplier: float,
    lot_size: int,
    max_leverage: int,
    *,
    volatility: float | None = None,
    target_volatility: float | None = None,
) -> PositionSize:
    """Size a position at weight_pct of balance, capped at max_weight_pct, in whole lots.

    When both `volatility` and `target_volatility` are given (same units, e.g. annualised),
    the notional is multiplied by min(1, target_volatility / volatility): scaled down for a
    volatile symbol, never up. Without either one the notional is left as it is.
    """
    _check_contract(balance, price, multiplier, lot_size)
    if weight_pct < 0 or max_weight_pct < 0:
        raise ValueError("weights must not be negative")
    if max_leverage < 1:
        raise ValueError(f"max_leverage must be at least 1, got {max_leverage}")
    notional = balance * weight_pct / 100.0
    cap = balance * max_weight_pct / 100.0
    capped = notional > cap
    if capped:
        notional = cap
    scale: float | None = None
    if volatility is not None and target_volatility is not None:
        if not (volatility > 0 and target_volatility > 0):
            raise ValueError("volatility and target_volatility must be positive")
        scale = min(1.0, target_volatility / volatility)
        notional *= scale
    contracts = _lots_toward_zero(notional, multiplier, price, lot_size)
    contract_notional = contracts * multiplier * price
    return PositionSize(
        notional_usdt=float(notional),
        capped=capped,
        cap_reason=MAX_WEIGHT if capped else None,
        contracts=int(contracts),
        contract_notional_usdt=float(contract_notional),
        max_leverage=int(max_leverage),
        min_margin_usdt=float(contract_notional / max_leverage),
        volatility_adjusted=scale is not None and scale < 1.0,
        volatility_scale=None if scale is None else float(scale),
    )


def order_plan(
    balance: float, lines: Sequence[tuple[str, float, int, float, float, int]]
) -> list[OrderLine]:
    """Orders taking each symbol from its current lots to its target weight, in input order.

    Each line is (symbol, target_weight_pct, current_contracts, price, multiplier, lot_size).
    A negative weight is a short (negative contracts). Target lots and the order size are both
    rounded toward zero to multiples of lot_size; an order smaller than one lot is skipped with
    skipped_reason "below_one_lot" and delta 0.
    """
    seen: set[str] = set()
    plan: list[OrderLine] = []
    for symbol, weight_pct, current, price, multiplier, lot_size in lines:
        if symbol in seen:
            raise ValueError(f"symbol {symbol!r} appears twice in the plan")
        seen.add(symbol)
        _check_contract(balance, price, multiplier, lot_size)
        target_notional = balance * weight_pct / 100.0
        target = _lots_toward_zero(target_notional, multiplier, price, lot_size)
        wanted = target - int(current)
        # Orders must be whole multiples of lot_size too (matters when current is not one).
        delta = math.trunc(wanted / lot_size) * lot_size
        skipped = BELOW_ONE_LOT if wanted != 0 and delta == 0 else None
        plan.append(
            OrderLine(
                symbol=symbol,
                target_weight_pct=float(weight_pct),
                target_notional_usdt=float(target_notional),
                current_contracts=int(current),
                target_contracts=int(target),
                delta_contracts=int(delta),
                delta_notional_usdt=float(delta * multiplier * price),
                side="buy" if delta > 0 else "sell" if delta < 0 else None,
                skipped_reason=skipped,
            )
        )
    return plan
