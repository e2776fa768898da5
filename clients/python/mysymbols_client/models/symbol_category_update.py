from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.symbol_category_update_category_type_0 import (
    SymbolCategoryUpdateCategoryType0,
    check_symbol_category_update_category_type_0,
)

T = TypeVar("T", bound="SymbolCategoryUpdate")


@_attrs_define
class SymbolCategoryUpdate:
    """
    Attributes:
        category (None | SymbolCategoryUpdateCategoryType0): The category to hold the symbol to; null: back to the
            exchange's word, the data and the table.
    """

    category: None | SymbolCategoryUpdateCategoryType0

    def to_dict(self) -> dict[str, Any]:
        category: None | str
        if isinstance(self.category, str):
            category = self.category
        else:
            category = self.category

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_category(data: object) -> None | SymbolCategoryUpdateCategoryType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_type_0 = check_symbol_category_update_category_type_0(data)

                return category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SymbolCategoryUpdateCategoryType0, data)

        category = _parse_category(d.pop("category"))

        symbol_category_update = cls(
            category=category,
        )

        return symbol_category_update
