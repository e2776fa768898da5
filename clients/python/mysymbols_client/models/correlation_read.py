from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.correlated_pair import CorrelatedPair
    from ..models.correlation_read_beta_to_btc import CorrelationReadBetaToBtc
    from ..models.market_data_read import MarketDataRead


T = TypeVar("T", bound="CorrelationRead")


@_attrs_define
class CorrelationRead:
    """
    Attributes:
        average_pairwise (float | None):
        beta_to_btc (CorrelationReadBetaToBtc):
        clusters (list[list[str]]):
        common_hours (int):
        correlation_limit (float): The runtime setting correlation_limit.
        matrix (list[list[float | None]]):
        pairs_over_limit (list[CorrelatedPair]):
        symbols (list[str]):
        window_hours (int):
        market_data (MarketDataRead | None | Unset): Where the candles behind these figures came from; null: no figure.
    """

    average_pairwise: float | None
    beta_to_btc: CorrelationReadBetaToBtc
    clusters: list[list[str]]
    common_hours: int
    correlation_limit: float
    matrix: list[list[float | None]]
    pairs_over_limit: list[CorrelatedPair]
    symbols: list[str]
    window_hours: int
    market_data: MarketDataRead | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415

        average_pairwise: float | None
        average_pairwise = self.average_pairwise

        beta_to_btc = self.beta_to_btc.to_dict()

        clusters = []
        for clusters_item_data in self.clusters:
            clusters_item = clusters_item_data

            clusters.append(clusters_item)

        common_hours = self.common_hours

        correlation_limit = self.correlation_limit

        matrix = []
        for matrix_item_data in self.matrix:
            matrix_item = []
            for matrix_item_item_data in matrix_item_data:
                matrix_item_item: float | None
                matrix_item_item = matrix_item_item_data
                matrix_item.append(matrix_item_item)

            matrix.append(matrix_item)

        pairs_over_limit = []
        for pairs_over_limit_item_data in self.pairs_over_limit:
            pairs_over_limit_item = pairs_over_limit_item_data.to_dict()
            pairs_over_limit.append(pairs_over_limit_item)

        symbols = self.symbols

        window_hours = self.window_hours

        market_data: dict[str, Any] | None | Unset
        if isinstance(self.market_data, Unset):
            market_data = UNSET
        elif isinstance(self.market_data, MarketDataRead):
            market_data = self.market_data.to_dict()
        else:
            market_data = self.market_data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "average_pairwise": average_pairwise,
                "beta_to_btc": beta_to_btc,
                "clusters": clusters,
                "common_hours": common_hours,
                "correlation_limit": correlation_limit,
                "matrix": matrix,
                "pairs_over_limit": pairs_over_limit,
                "symbols": symbols,
                "window_hours": window_hours,
            }
        )
        if market_data is not UNSET:
            field_dict["market_data"] = market_data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.correlated_pair import CorrelatedPair  # noqa: PLC0415
        from ..models.correlation_read_beta_to_btc import CorrelationReadBetaToBtc  # noqa: PLC0415
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_average_pairwise(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average_pairwise = _parse_average_pairwise(d.pop("average_pairwise"))

        beta_to_btc = CorrelationReadBetaToBtc.from_dict(d.pop("beta_to_btc"))

        clusters = []
        _clusters = d.pop("clusters")
        for clusters_item_data in _clusters:
            clusters_item = cast(list[str], clusters_item_data)

            clusters.append(clusters_item)

        common_hours = d.pop("common_hours")

        correlation_limit = d.pop("correlation_limit")

        matrix = []
        _matrix = d.pop("matrix")
        for matrix_item_data in _matrix:
            matrix_item = []
            _matrix_item = matrix_item_data
            for matrix_item_item_data in _matrix_item:

                def _parse_matrix_item_item(data: object) -> float | None:
                    if data is None:
                        return data
                    return cast(float | None, data)

                matrix_item_item = _parse_matrix_item_item(matrix_item_item_data)

                matrix_item.append(matrix_item_item)

            matrix.append(matrix_item)

        pairs_over_limit = []
        _pairs_over_limit = d.pop("pairs_over_limit")
        for pairs_over_limit_item_data in _pairs_over_limit:
            pairs_over_limit_item = CorrelatedPair.from_dict(pairs_over_limit_item_data)

            pairs_over_limit.append(pairs_over_limit_item)

        symbols = cast(list[str], d.pop("symbols"))

        window_hours = d.pop("window_hours")

        def _parse_market_data(data: object) -> MarketDataRead | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                market_data_type_0 = MarketDataRead.from_dict(data)

                return market_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MarketDataRead | None | Unset, data)

        market_data = _parse_market_data(d.pop("market_data", UNSET))

        correlation_read = cls(
            average_pairwise=average_pairwise,
            beta_to_btc=beta_to_btc,
            clusters=clusters,
            common_hours=common_hours,
            correlation_limit=correlation_limit,
            matrix=matrix,
            pairs_over_limit=pairs_over_limit,
            symbols=symbols,
            window_hours=window_hours,
            market_data=market_data,
        )

        correlation_read.additional_properties = d
        return correlation_read

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
