"""Prices on the contract's tick: the decimals KuCoin quotes, not float arithmetic's neighbours.

A mid of two quotes, or any price computed in floats, is a binary fraction near a decimal
(`(80.04 + 80.06) / 2` is 80.05000000000001); every price the API answers is first put back on
the contract's tick with these, so it reads as the exchange would write it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

_UNIT = Decimal(1)


def decimal_on_tick(price: float | Decimal, tick: Decimal | None) -> Decimal:
    """`price` at the nearest multiple of `tick` (halves to even), written with the tick's
    decimals; `tick` None (not known): the shortest decimal of `price` as it is."""
    exact = price if isinstance(price, Decimal) else Decimal(repr(float(price)))
    if tick is None or not tick > 0 or not exact.is_finite():
        return exact
    step = tick.normalize()
    on = (exact / step).to_integral_value(ROUND_HALF_EVEN) * step
    return on.quantize(min(step, _UNIT))  # no exponent notation for ticks of 10 and up


def on_tick(price: float, tick: Decimal | None) -> float:
    """`price` at the nearest multiple of `tick`, as the float whose repr is that decimal."""
    return float(decimal_on_tick(price, tick))
