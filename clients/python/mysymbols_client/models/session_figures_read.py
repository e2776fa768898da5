from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.session_figures_read_night_template_type_0 import (
    SessionFiguresReadNightTemplateType0,
    check_session_figures_read_night_template_type_0,
)
from ..models.session_figures_read_rule_category import (
    SessionFiguresReadRuleCategory,
    check_session_figures_read_rule_category,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionFiguresRead")


@_attrs_define
class SessionFiguresRead:
    """The session rule's figures for the day it last decided (docs/decisions.md); a ratio is
    null where it could not be measured (no candle on one of its sides). Figures decided before
    2026-11-28 have no night fields.

        Attributes:
            quietness (float | None): The three ratios multiplied: session-traded below 0.03.
            rule_category (SessionFiguresReadRuleCategory): What the rule decided from these figures.
            session_share (float | None): Its 8 busiest weekday hours' share of the day's typical moves: a session-traded
                contract is `equity` from 0.55 (one session a day), else `commodity`.
            weekday_hours (int): Tuesday-to-Thursday candles read (a day's 8 busiest needed).
            weekend_hours (int): Weekend candles read (a weekend counts with 22).
            weekend_move (float | None): The same for the median hourly |close/open| move.
            weekend_range (float | None): Median hourly high/low range on weekends (Saturday to Sunday 20:00 UTC) over that
                of its 8 busiest weekday hours (Tuesday to Thursday).
            weekend_volume (float | None): The same for the median hourly volume.
            market_corr (float | None | Unset): Correlation of its weekend hours' log returns with the crypto market's (the
                mean of BTC's and ETH's).
            market_corr_low (float | None | Unset): Its one-sided 95 % lower bound: from 1/√2 (0.7071) it confirms crypto
                where the nights are awake, whatever the weekend says; it never withholds it.
            market_hours (int | None | Unset): Weekend hours with a return of both it and the market.
            night_floor (float | None | Unset): The smallest lower bound over the templates read: the nights are awake from
                0.03 (a market never shut, or shut only at weekends).
            night_high (float | None | Unset): Its upper bound: silent nights, `equity`, below 0.03.
            night_low (float | None | Unset): Its one-sided lower bound (shared over the templates).
            night_quietness (float | None | Unset): Its weekday nights' median range, move and volume over its session
                hours', multiplied.
            night_template (None | SessionFiguresReadNightTemplateType0 | Unset): The session template whose weekday nights
                read quietest: us (session 13:00-20:59, night 01:00-07:59 UTC), europe (session 08:00-15:59, night 22:00-05:59
                UTC), asia (session 00:00-07:59, night 15:00-22:59 UTC). Null before 5 weekdays of a template's hours (or
                decided before 2026-11-28).
            quiet_high (float | None | Unset): Its upper bound: session-traded below 0.03 (on a single weekend, only where
                the nights are read and not awake).
            quiet_low (float | None | Unset): The quietness's one-sided 95 % lower bound (its sampling error over the hours
                read): crypto from 0.03 where the nights are awake.
            weekends (int | None | Unset): Weekends in the window with at least 22 of their 44 hours (null: decided before
                the rule had its margin).
    """

    quietness: float | None
    rule_category: SessionFiguresReadRuleCategory
    session_share: float | None
    weekday_hours: int
    weekend_hours: int
    weekend_move: float | None
    weekend_range: float | None
    weekend_volume: float | None
    market_corr: float | None | Unset = UNSET
    market_corr_low: float | None | Unset = UNSET
    market_hours: int | None | Unset = UNSET
    night_floor: float | None | Unset = UNSET
    night_high: float | None | Unset = UNSET
    night_low: float | None | Unset = UNSET
    night_quietness: float | None | Unset = UNSET
    night_template: None | SessionFiguresReadNightTemplateType0 | Unset = UNSET
    quiet_high: float | None | Unset = UNSET
    quiet_low: float | None | Unset = UNSET
    weekends: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quietness: float | None
        quietness = self.quietness

        rule_category: str = self.rule_category

        session_share: float | None
        session_share = self.session_share

        weekday_hours = self.weekday_hours

        weekend_hours = self.weekend_hours

        weekend_move: float | None
        weekend_move = self.weekend_move

        weekend_range: float | None
        weekend_range = self.weekend_range

        weekend_volume: float | None
        weekend_volume = self.weekend_volume

        market_corr: float | None | Unset
        if isinstance(self.market_corr, Unset):
            market_corr = UNSET
        else:
            market_corr = self.market_corr

        market_corr_low: float | None | Unset
        if isinstance(self.market_corr_low, Unset):
            market_corr_low = UNSET
        else:
            market_corr_low = self.market_corr_low

        market_hours: int | None | Unset
        if isinstance(self.market_hours, Unset):
            market_hours = UNSET
        else:
            market_hours = self.market_hours

        night_floor: float | None | Unset
        if isinstance(self.night_floor, Unset):
            night_floor = UNSET
        else:
            night_floor = self.night_floor

        night_high: float | None | Unset
        if isinstance(self.night_high, Unset):
            night_high = UNSET
        else:
            night_high = self.night_high

        night_low: float | None | Unset
        if isinstance(self.night_low, Unset):
            night_low = UNSET
        else:
            night_low = self.night_low

        night_quietness: float | None | Unset
        if isinstance(self.night_quietness, Unset):
            night_quietness = UNSET
        else:
            night_quietness = self.night_quietness

        night_template: None | str | Unset
        if isinstance(self.night_template, Unset):
            night_template = UNSET
        elif isinstance(self.night_template, str):
            night_template = self.night_template
        else:
            night_template = self.night_template

        quiet_high: float | None | Unset
        if isinstance(self.quiet_high, Unset):
            quiet_high = UNSET
        else:
            quiet_high = self.quiet_high

        quiet_low: float | None | Unset
        if isinstance(self.quiet_low, Unset):
            quiet_low = UNSET
        else:
            quiet_low = self.quiet_low

        weekends: int | None | Unset
        if isinstance(self.weekends, Unset):
            weekends = UNSET
        else:
            weekends = self.weekends

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "quietness": quietness,
                "rule_category": rule_category,
                "session_share": session_share,
                "weekday_hours": weekday_hours,
                "weekend_hours": weekend_hours,
                "weekend_move": weekend_move,
                "weekend_range": weekend_range,
                "weekend_volume": weekend_volume,
            }
        )
        if market_corr is not UNSET:
            field_dict["market_corr"] = market_corr
        if market_corr_low is not UNSET:
            field_dict["market_corr_low"] = market_corr_low
        if market_hours is not UNSET:
            field_dict["market_hours"] = market_hours
        if night_floor is not UNSET:
            field_dict["night_floor"] = night_floor
        if night_high is not UNSET:
            field_dict["night_high"] = night_high
        if night_low is not UNSET:
            field_dict["night_low"] = night_low
        if night_quietness is not UNSET:
            field_dict["night_quietness"] = night_quietness
        if night_template is not UNSET:
            field_dict["night_template"] = night_template
        if quiet_high is not UNSET:
            field_dict["quiet_high"] = quiet_high
        if quiet_low is not UNSET:
            field_dict["quiet_low"] = quiet_low
        if weekends is not UNSET:
            field_dict["weekends"] = weekends

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_quietness(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        quietness = _parse_quietness(d.pop("quietness"))

        rule_category = check_session_figures_read_rule_category(d.pop("rule_category"))

        def _parse_session_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        session_share = _parse_session_share(d.pop("session_share"))

        weekday_hours = d.pop("weekday_hours")

        weekend_hours = d.pop("weekend_hours")

        def _parse_weekend_move(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        weekend_move = _parse_weekend_move(d.pop("weekend_move"))

        def _parse_weekend_range(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        weekend_range = _parse_weekend_range(d.pop("weekend_range"))

        def _parse_weekend_volume(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        weekend_volume = _parse_weekend_volume(d.pop("weekend_volume"))

        def _parse_market_corr(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        market_corr = _parse_market_corr(d.pop("market_corr", UNSET))

        def _parse_market_corr_low(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        market_corr_low = _parse_market_corr_low(d.pop("market_corr_low", UNSET))

        def _parse_market_hours(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        market_hours = _parse_market_hours(d.pop("market_hours", UNSET))

        def _parse_night_floor(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        night_floor = _parse_night_floor(d.pop("night_floor", UNSET))

        def _parse_night_high(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        night_high = _parse_night_high(d.pop("night_high", UNSET))

        def _parse_night_low(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        night_low = _parse_night_low(d.pop("night_low", UNSET))

        def _parse_night_quietness(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        night_quietness = _parse_night_quietness(d.pop("night_quietness", UNSET))

        def _parse_night_template(data: object) -> None | SessionFiguresReadNightTemplateType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                night_template_type_0 = check_session_figures_read_night_template_type_0(data)

                return night_template_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SessionFiguresReadNightTemplateType0 | Unset, data)

        night_template = _parse_night_template(d.pop("night_template", UNSET))

        def _parse_quiet_high(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        quiet_high = _parse_quiet_high(d.pop("quiet_high", UNSET))

        def _parse_quiet_low(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        quiet_low = _parse_quiet_low(d.pop("quiet_low", UNSET))

        def _parse_weekends(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        weekends = _parse_weekends(d.pop("weekends", UNSET))

        session_figures_read = cls(
            quietness=quietness,
            rule_category=rule_category,
            session_share=session_share,
            weekday_hours=weekday_hours,
            weekend_hours=weekend_hours,
            weekend_move=weekend_move,
            weekend_range=weekend_range,
            weekend_volume=weekend_volume,
            market_corr=market_corr,
            market_corr_low=market_corr_low,
            market_hours=market_hours,
            night_floor=night_floor,
            night_high=night_high,
            night_low=night_low,
            night_quietness=night_quietness,
            night_template=night_template,
            quiet_high=quiet_high,
            quiet_low=quiet_low,
            weekends=weekends,
        )

        session_figures_read.additional_properties = d
        return session_figures_read

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
