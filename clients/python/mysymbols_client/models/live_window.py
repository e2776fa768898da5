from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.live_window_books import LiveWindowBooks


T = TypeVar("T", bound="LiveWindow")


@_attrs_define
class LiveWindow:
    """
    Attributes:
        books (LiveWindowBooks): as_run (the real portfolio, whoever changed it).
        complete (bool): False when the record is shorter than the window (or not marked yet).
        from_ (datetime.datetime):
        to (datetime.datetime):
    """

    books: LiveWindowBooks
    complete: bool
    from_: datetime.datetime
    to: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        books = self.books.to_dict()

        complete = self.complete

        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "books": books,
                "complete": complete,
                "from": from_,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.live_window_books import LiveWindowBooks  # noqa: PLC0415

        d = dict(src_dict)
        books = LiveWindowBooks.from_dict(d.pop("books"))

        complete = d.pop("complete")

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        live_window = cls(
            books=books,
            complete=complete,
            from_=from_,
            to=to,
        )

        live_window.additional_properties = d
        return live_window

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
