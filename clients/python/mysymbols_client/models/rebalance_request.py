from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rebalance_request_positions_type_0 import RebalanceRequestPositionsType0


T = TypeVar("T", bound="RebalanceRequest")


@_attrs_define
class RebalanceRequest:
    """
    Attributes:
        account_balance (float | None | Unset): USDT.
        dry_run (bool | Unset):  Default: False.
        force (bool | Unset): Rebalance on stale inputs (admin only). Default: False.
        positions (None | RebalanceRequestPositionsType0 | Unset): The engine's current lots per symbol (at most 1000);
            without it the current weights' implied lots are used.
    """

    account_balance: float | None | Unset = UNSET
    dry_run: bool | Unset = False
    force: bool | Unset = False
    positions: None | RebalanceRequestPositionsType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.rebalance_request_positions_type_0 import RebalanceRequestPositionsType0  # noqa: PLC0415

        account_balance: float | None | Unset
        if isinstance(self.account_balance, Unset):
            account_balance = UNSET
        else:
            account_balance = self.account_balance

        dry_run = self.dry_run

        force = self.force

        positions: dict[str, Any] | None | Unset
        if isinstance(self.positions, Unset):
            positions = UNSET
        elif isinstance(self.positions, RebalanceRequestPositionsType0):
            positions = self.positions.to_dict()
        else:
            positions = self.positions

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if account_balance is not UNSET:
            field_dict["account_balance"] = account_balance
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run
        if force is not UNSET:
            field_dict["force"] = force
        if positions is not UNSET:
            field_dict["positions"] = positions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rebalance_request_positions_type_0 import RebalanceRequestPositionsType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_account_balance(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        account_balance = _parse_account_balance(d.pop("account_balance", UNSET))

        dry_run = d.pop("dry_run", UNSET)

        force = d.pop("force", UNSET)

        def _parse_positions(data: object) -> None | RebalanceRequestPositionsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                positions_type_0 = RebalanceRequestPositionsType0.from_dict(data)

                return positions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RebalanceRequestPositionsType0 | Unset, data)

        positions = _parse_positions(d.pop("positions", UNSET))

        rebalance_request = cls(
            account_balance=account_balance,
            dry_run=dry_run,
            force=force,
            positions=positions,
        )

        return rebalance_request
