from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.replay_create_overrides_type_0 import ReplayCreateOverridesType0


T = TypeVar("T", bound="ReplayCreate")


@_attrs_define
class ReplayCreate:
    """
    Attributes:
        from_ (datetime.datetime): First decision (a whole UTC hour).
        to (datetime.datetime): End of the valuation (a whole hour).
        every (str | Unset): 1h, 4h, 24h, 7d, ... Default: '24h'.
        execution_lag_h (int | Unset): Hours from a decision to its trade: a decision at t (scored on the candle closing
            at t) trades at the close of t + lag, and is judged from there. Default: 1.
        fee_bps (float | Unset):  Default: 6.0.
        overrides (None | ReplayCreateOverridesType0 | Unset): Scoring and policy overrides: {"scoring": {"weights":
            {...}, "parameters": {...}, "gate": {...}}, "policy": {"replacement_margin": 8, ...}}. Weights are 0..1; each
            component's parameters lie within the `parameters_schema` `GET /scoring/algorithms` shows for it; gate and
            policy values within their runtime settings' bounds (`GET /config`).
        slippage_bps (float | Unset):  Default: 0.0.
        top (int | None | Unset): Members (default: the runtime setting max_portfolio_symbols, whose bounds it keeps).
    """

    from_: datetime.datetime
    to: datetime.datetime
    every: str | Unset = "24h"
    execution_lag_h: int | Unset = 1
    fee_bps: float | Unset = 6.0
    overrides: None | ReplayCreateOverridesType0 | Unset = UNSET
    slippage_bps: float | Unset = 0.0
    top: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.replay_create_overrides_type_0 import ReplayCreateOverridesType0  # noqa: PLC0415

        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        every = self.every

        execution_lag_h = self.execution_lag_h

        fee_bps = self.fee_bps

        overrides: dict[str, Any] | None | Unset
        if isinstance(self.overrides, Unset):
            overrides = UNSET
        elif isinstance(self.overrides, ReplayCreateOverridesType0):
            overrides = self.overrides.to_dict()
        else:
            overrides = self.overrides

        slippage_bps = self.slippage_bps

        top: int | None | Unset
        if isinstance(self.top, Unset):
            top = UNSET
        else:
            top = self.top

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "to": to,
            }
        )
        if every is not UNSET:
            field_dict["every"] = every
        if execution_lag_h is not UNSET:
            field_dict["execution_lag_h"] = execution_lag_h
        if fee_bps is not UNSET:
            field_dict["fee_bps"] = fee_bps
        if overrides is not UNSET:
            field_dict["overrides"] = overrides
        if slippage_bps is not UNSET:
            field_dict["slippage_bps"] = slippage_bps
        if top is not UNSET:
            field_dict["top"] = top

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.replay_create_overrides_type_0 import ReplayCreateOverridesType0  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        every = d.pop("every", UNSET)

        execution_lag_h = d.pop("execution_lag_h", UNSET)

        fee_bps = d.pop("fee_bps", UNSET)

        def _parse_overrides(data: object) -> None | ReplayCreateOverridesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                overrides_type_0 = ReplayCreateOverridesType0.from_dict(data)

                return overrides_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReplayCreateOverridesType0 | Unset, data)

        overrides = _parse_overrides(d.pop("overrides", UNSET))

        slippage_bps = d.pop("slippage_bps", UNSET)

        def _parse_top(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        top = _parse_top(d.pop("top", UNSET))

        replay_create = cls(
            from_=from_,
            to=to,
            every=every,
            execution_lag_h=execution_lag_h,
            fee_bps=fee_bps,
            overrides=overrides,
            slippage_bps=slippage_bps,
            top=top,
        )

        return replay_create
