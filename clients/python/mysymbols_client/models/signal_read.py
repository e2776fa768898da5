from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.signal_read_consensus import SignalReadConsensus
    from ..models.signal_read_payload import SignalReadPayload
    from ..models.signal_read_votes_item import SignalReadVotesItem


T = TypeVar("T", bound="SignalRead")


@_attrs_define
class SignalRead:
    """One signal, its payload included.

    Attributes:
        confidence (float):
        consensus (SignalReadConsensus):
        created_at (datetime.datetime):
        direction (str):
        expires_at (datetime.datetime | None):
        id (int):
        outcome (None | str):
        payload (SignalReadPayload):
        processed_at (datetime.datetime | None):
        signal_type (str):
        source (str):
        status (str):
        strength (float):
        symbol (None | str):
        timeframe (None | str):
        votes (list[SignalReadVotesItem]):
    """

    confidence: float
    consensus: SignalReadConsensus
    created_at: datetime.datetime
    direction: str
    expires_at: datetime.datetime | None
    id: int
    outcome: None | str
    payload: SignalReadPayload
    processed_at: datetime.datetime | None
    signal_type: str
    source: str
    status: str
    strength: float
    symbol: None | str
    timeframe: None | str
    votes: list[SignalReadVotesItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        confidence = self.confidence

        consensus = self.consensus.to_dict()

        created_at = self.created_at.isoformat()

        direction = self.direction

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        id = self.id

        outcome: None | str
        outcome = self.outcome

        payload = self.payload.to_dict()

        processed_at: None | str
        if isinstance(self.processed_at, datetime.datetime):
            processed_at = self.processed_at.isoformat()
        else:
            processed_at = self.processed_at

        signal_type = self.signal_type

        source = self.source

        status = self.status

        strength = self.strength

        symbol: None | str
        symbol = self.symbol

        timeframe: None | str
        timeframe = self.timeframe

        votes = []
        for votes_item_data in self.votes:
            votes_item = votes_item_data.to_dict()
            votes.append(votes_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "confidence": confidence,
                "consensus": consensus,
                "created_at": created_at,
                "direction": direction,
                "expires_at": expires_at,
                "id": id,
                "outcome": outcome,
                "payload": payload,
                "processed_at": processed_at,
                "signal_type": signal_type,
                "source": source,
                "status": status,
                "strength": strength,
                "symbol": symbol,
                "timeframe": timeframe,
                "votes": votes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signal_read_consensus import SignalReadConsensus  # noqa: PLC0415
        from ..models.signal_read_payload import SignalReadPayload  # noqa: PLC0415
        from ..models.signal_read_votes_item import SignalReadVotesItem  # noqa: PLC0415

        d = dict(src_dict)
        confidence = d.pop("confidence")

        consensus = SignalReadConsensus.from_dict(d.pop("consensus"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        direction = d.pop("direction")

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        id = d.pop("id")

        def _parse_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        outcome = _parse_outcome(d.pop("outcome"))

        payload = SignalReadPayload.from_dict(d.pop("payload"))

        def _parse_processed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                processed_at_type_0 = datetime.datetime.fromisoformat(data)

                return processed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        processed_at = _parse_processed_at(d.pop("processed_at"))

        signal_type = d.pop("signal_type")

        source = d.pop("source")

        status = d.pop("status")

        strength = d.pop("strength")

        def _parse_symbol(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        symbol = _parse_symbol(d.pop("symbol"))

        def _parse_timeframe(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        timeframe = _parse_timeframe(d.pop("timeframe"))

        votes = []
        _votes = d.pop("votes")
        for votes_item_data in _votes:
            votes_item = SignalReadVotesItem.from_dict(votes_item_data)

            votes.append(votes_item)

        signal_read = cls(
            confidence=confidence,
            consensus=consensus,
            created_at=created_at,
            direction=direction,
            expires_at=expires_at,
            id=id,
            outcome=outcome,
            payload=payload,
            processed_at=processed_at,
            signal_type=signal_type,
            source=source,
            status=status,
            strength=strength,
            symbol=symbol,
            timeframe=timeframe,
            votes=votes,
        )

        signal_read.additional_properties = d
        return signal_read

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
