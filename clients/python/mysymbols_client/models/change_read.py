from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.history_read import HistoryRead
    from ..models.portfolio_read import PortfolioRead


T = TypeVar("T", bound="ChangeRead")


@_attrs_define
class ChangeRead:
    """
    Attributes:
        change (HistoryRead):
        portfolio (PortfolioRead):
    """

    change: HistoryRead
    portfolio: PortfolioRead
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        change = self.change.to_dict()

        portfolio = self.portfolio.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "change": change,
                "portfolio": portfolio,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.history_read import HistoryRead  # noqa: PLC0415
        from ..models.portfolio_read import PortfolioRead  # noqa: PLC0415

        d = dict(src_dict)
        change = HistoryRead.from_dict(d.pop("change"))

        portfolio = PortfolioRead.from_dict(d.pop("portfolio"))

        change_read = cls(
            change=change,
            portfolio=portfolio,
        )

        change_read.additional_properties = d
        return change_read

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
