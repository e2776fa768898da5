from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.against_universe import AgainstUniverse
    from ..models.segment import Segment
    from ..models.skill_ic import SkillIc


T = TypeVar("T", bound="ForwardBook")


@_attrs_define
class ForwardBook:
    """One shadow book since it started, after costs; fractions, None where undefined.

    Attributes:
        cagr (float | None):
        fees (float | None): Paid in the window, as a fraction of the start.
        from_ (datetime.datetime): Its first marked hour (equity 1.0).
        max_drawdown (float | None):
        sharpe (float | None):
        total_return (float | None):
        trades (int): Hours it traded at.
        turnover (float | None): Mean sum of |weight change| per decision.
        volatility (float | None):
        against_universe (AgainstUniverse | None | Unset): Scoring books only.
        segments (list[Segment] | None | Unset): Scoring books only: its daily decisions' spans of one configuration and
            costs (a changed configuration hash, fee or slippage starts a new one).
        skill_ic (None | SkillIc | Unset): Scoring books only.
    """

    cagr: float | None
    fees: float | None
    from_: datetime.datetime
    max_drawdown: float | None
    sharpe: float | None
    total_return: float | None
    trades: int
    turnover: float | None
    volatility: float | None
    against_universe: AgainstUniverse | None | Unset = UNSET
    segments: list[Segment] | None | Unset = UNSET
    skill_ic: None | SkillIc | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.against_universe import AgainstUniverse  # noqa: PLC0415
        from ..models.skill_ic import SkillIc  # noqa: PLC0415

        cagr: float | None
        cagr = self.cagr

        fees: float | None
        fees = self.fees

        from_ = self.from_.isoformat()

        max_drawdown: float | None
        max_drawdown = self.max_drawdown

        sharpe: float | None
        sharpe = self.sharpe

        total_return: float | None
        total_return = self.total_return

        trades = self.trades

        turnover: float | None
        turnover = self.turnover

        volatility: float | None
        volatility = self.volatility

        against_universe: dict[str, Any] | None | Unset
        if isinstance(self.against_universe, Unset):
            against_universe = UNSET
        elif isinstance(self.against_universe, AgainstUniverse):
            against_universe = self.against_universe.to_dict()
        else:
            against_universe = self.against_universe

        segments: list[dict[str, Any]] | None | Unset
        if isinstance(self.segments, Unset):
            segments = UNSET
        elif isinstance(self.segments, list):
            segments = []
            for segments_type_0_item_data in self.segments:
                segments_type_0_item = segments_type_0_item_data.to_dict()
                segments.append(segments_type_0_item)

        else:
            segments = self.segments

        skill_ic: dict[str, Any] | None | Unset
        if isinstance(self.skill_ic, Unset):
            skill_ic = UNSET
        elif isinstance(self.skill_ic, SkillIc):
            skill_ic = self.skill_ic.to_dict()
        else:
            skill_ic = self.skill_ic

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cagr": cagr,
                "fees": fees,
                "from": from_,
                "max_drawdown": max_drawdown,
                "sharpe": sharpe,
                "total_return": total_return,
                "trades": trades,
                "turnover": turnover,
                "volatility": volatility,
            }
        )
        if against_universe is not UNSET:
            field_dict["against_universe"] = against_universe
        if segments is not UNSET:
            field_dict["segments"] = segments
        if skill_ic is not UNSET:
            field_dict["skill_ic"] = skill_ic

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.against_universe import AgainstUniverse  # noqa: PLC0415
        from ..models.segment import Segment  # noqa: PLC0415
        from ..models.skill_ic import SkillIc  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_cagr(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cagr = _parse_cagr(d.pop("cagr"))

        def _parse_fees(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        fees = _parse_fees(d.pop("fees"))

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        def _parse_max_drawdown(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        max_drawdown = _parse_max_drawdown(d.pop("max_drawdown"))

        def _parse_sharpe(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        sharpe = _parse_sharpe(d.pop("sharpe"))

        def _parse_total_return(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        total_return = _parse_total_return(d.pop("total_return"))

        trades = d.pop("trades")

        def _parse_turnover(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        turnover = _parse_turnover(d.pop("turnover"))

        def _parse_volatility(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        volatility = _parse_volatility(d.pop("volatility"))

        def _parse_against_universe(data: object) -> AgainstUniverse | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                against_universe_type_0 = AgainstUniverse.from_dict(data)

                return against_universe_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgainstUniverse | None | Unset, data)

        against_universe = _parse_against_universe(d.pop("against_universe", UNSET))

        def _parse_segments(data: object) -> list[Segment] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                segments_type_0 = []
                _segments_type_0 = data
                for segments_type_0_item_data in _segments_type_0:
                    segments_type_0_item = Segment.from_dict(segments_type_0_item_data)

                    segments_type_0.append(segments_type_0_item)

                return segments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Segment] | None | Unset, data)

        segments = _parse_segments(d.pop("segments", UNSET))

        def _parse_skill_ic(data: object) -> None | SkillIc | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                skill_ic_type_0 = SkillIc.from_dict(data)

                return skill_ic_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SkillIc | Unset, data)

        skill_ic = _parse_skill_ic(d.pop("skill_ic", UNSET))

        forward_book = cls(
            cagr=cagr,
            fees=fees,
            from_=from_,
            max_drawdown=max_drawdown,
            sharpe=sharpe,
            total_return=total_return,
            trades=trades,
            turnover=turnover,
            volatility=volatility,
            against_universe=against_universe,
            segments=segments,
            skill_ic=skill_ic,
        )

        forward_book.additional_properties = d
        return forward_book

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
