from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.challenger_verdict import ChallengerVerdict
    from ..models.forward_rule import ForwardRule


T = TypeVar("T", bound="ChallengersRead")


@_attrs_define
class ChallengersRead:
    """
    Attributes:
        adopt (None | str): The challenger the rule would adopt (null: the default stays). Never adopted by itself: an
            admin adopts it with PUT /scoring/algorithms.
        decisions (int): The default's judged daily decisions.
        default_book (str): The default's book: `policy`.
        inception (datetime.datetime | None):
        rule (ForwardRule):
        verdicts (list[ChallengerVerdict]): One per registered challenger.
    """

    adopt: None | str
    decisions: int
    default_book: str
    inception: datetime.datetime | None
    rule: ForwardRule
    verdicts: list[ChallengerVerdict]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        adopt: None | str
        adopt = self.adopt

        decisions = self.decisions

        default_book = self.default_book

        inception: None | str
        if isinstance(self.inception, datetime.datetime):
            inception = self.inception.isoformat()
        else:
            inception = self.inception

        rule = self.rule.to_dict()

        verdicts = []
        for verdicts_item_data in self.verdicts:
            verdicts_item = verdicts_item_data.to_dict()
            verdicts.append(verdicts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "adopt": adopt,
                "decisions": decisions,
                "default_book": default_book,
                "inception": inception,
                "rule": rule,
                "verdicts": verdicts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.challenger_verdict import ChallengerVerdict  # noqa: PLC0415
        from ..models.forward_rule import ForwardRule  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_adopt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        adopt = _parse_adopt(d.pop("adopt"))

        decisions = d.pop("decisions")

        default_book = d.pop("default_book")

        def _parse_inception(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                inception_type_0 = datetime.datetime.fromisoformat(data)

                return inception_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        inception = _parse_inception(d.pop("inception"))

        rule = ForwardRule.from_dict(d.pop("rule"))

        verdicts = []
        _verdicts = d.pop("verdicts")
        for verdicts_item_data in _verdicts:
            verdicts_item = ChallengerVerdict.from_dict(verdicts_item_data)

            verdicts.append(verdicts_item)

        challengers_read = cls(
            adopt=adopt,
            decisions=decisions,
            default_book=default_book,
            inception=inception,
            rule=rule,
            verdicts=verdicts,
        )

        challengers_read.additional_properties = d
        return challengers_read

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
