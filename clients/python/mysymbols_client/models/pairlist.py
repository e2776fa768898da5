from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pairlist_ranks import PairlistRanks
    from ..models.pairlist_weights import PairlistWeights


T = TypeVar("T", bound="Pairlist")


@_attrs_define
class Pairlist:
    """
    Attributes:
        pairs (list[str]): Members by rank, in ccxt's unified futures form.
        ranks (PairlistRanks): Each pair's rank (1 = first); freqtrade ignores it, a strategy may read it.
        refresh_period (int): Seconds between scoring runs (the list may change).
        weights (PairlistWeights): Each pair's weight, percent (summing to 100), as the last change set it: for stake
            sizing.
        weights_as_of (datetime.datetime | None): When the weights were last set: the time of the newest change in the
            audit trail (a membership change or a rebalance, each of which sets every member's weight); null before the
            first. New scores move ranks and composites, not weights, so between changes the weights need not follow the
            ranks (`GET /portfolio/weights` gives the targets the latest scores would set). In a past snapshot (`as_of`),
            the time of the change it shows.
    """

    pairs: list[str]
    ranks: PairlistRanks
    refresh_period: int
    weights: PairlistWeights
    weights_as_of: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pairs = self.pairs

        ranks = self.ranks.to_dict()

        refresh_period = self.refresh_period

        weights = self.weights.to_dict()

        weights_as_of: None | str
        if isinstance(self.weights_as_of, datetime.datetime):
            weights_as_of = self.weights_as_of.isoformat()
        else:
            weights_as_of = self.weights_as_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pairs": pairs,
                "ranks": ranks,
                "refresh_period": refresh_period,
                "weights": weights,
                "weights_as_of": weights_as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pairlist_ranks import PairlistRanks  # noqa: PLC0415
        from ..models.pairlist_weights import PairlistWeights  # noqa: PLC0415

        d = dict(src_dict)
        pairs = cast(list[str], d.pop("pairs"))

        ranks = PairlistRanks.from_dict(d.pop("ranks"))

        refresh_period = d.pop("refresh_period")

        weights = PairlistWeights.from_dict(d.pop("weights"))

        def _parse_weights_as_of(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                weights_as_of_type_0 = datetime.datetime.fromisoformat(data)

                return weights_as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        weights_as_of = _parse_weights_as_of(d.pop("weights_as_of"))

        pairlist = cls(
            pairs=pairs,
            ranks=ranks,
            refresh_period=refresh_period,
            weights=weights,
            weights_as_of=weights_as_of,
        )

        pairlist.additional_properties = d
        return pairlist

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
