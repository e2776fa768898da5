from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.challengers_read import ChallengersRead
    from ..models.forward_record_read_books import ForwardRecordReadBooks
    from ..models.forward_record_read_equity import ForwardRecordReadEquity


T = TypeVar("T", bound="ForwardRecordRead")


@_attrs_define
class ForwardRecordRead:
    """
    Attributes:
        books (ForwardRecordReadBooks): `policy` (the automated policy's shadow book), `challenger:<name>` (each
            registered challenger's) and the baselines `btc_hold`, `equal_weight`, `top_volume`, `momentum`, `random`.
        challengers (ChallengersRead):
        equity (ForwardRecordReadEquity): [epoch ms, equity] of each book, at most 1 000 points each.
        hours_to_mark (int): Hours the stored candles allow marking now.
        inception (datetime.datetime): The first hour it decided (after deployment).
        marked_to (datetime.datetime | None): The last hour marked; null before the first.
    """

    books: ForwardRecordReadBooks
    challengers: ChallengersRead
    equity: ForwardRecordReadEquity
    hours_to_mark: int
    inception: datetime.datetime
    marked_to: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        books = self.books.to_dict()

        challengers = self.challengers.to_dict()

        equity = self.equity.to_dict()

        hours_to_mark = self.hours_to_mark

        inception = self.inception.isoformat()

        marked_to: None | str
        if isinstance(self.marked_to, datetime.datetime):
            marked_to = self.marked_to.isoformat()
        else:
            marked_to = self.marked_to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "books": books,
                "challengers": challengers,
                "equity": equity,
                "hours_to_mark": hours_to_mark,
                "inception": inception,
                "marked_to": marked_to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.challengers_read import ChallengersRead  # noqa: PLC0415
        from ..models.forward_record_read_books import ForwardRecordReadBooks  # noqa: PLC0415
        from ..models.forward_record_read_equity import ForwardRecordReadEquity  # noqa: PLC0415

        d = dict(src_dict)
        books = ForwardRecordReadBooks.from_dict(d.pop("books"))

        challengers = ChallengersRead.from_dict(d.pop("challengers"))

        equity = ForwardRecordReadEquity.from_dict(d.pop("equity"))

        hours_to_mark = d.pop("hours_to_mark")

        inception = datetime.datetime.fromisoformat(d.pop("inception"))

        def _parse_marked_to(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                marked_to_type_0 = datetime.datetime.fromisoformat(data)

                return marked_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        marked_to = _parse_marked_to(d.pop("marked_to"))

        forward_record_read = cls(
            books=books,
            challengers=challengers,
            equity=equity,
            hours_to_mark=hours_to_mark,
            inception=inception,
            marked_to=marked_to,
        )

        forward_record_read.additional_properties = d
        return forward_record_read

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
