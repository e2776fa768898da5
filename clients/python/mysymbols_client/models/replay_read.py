from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.replay_read_kind import ReplayReadKind, check_replay_read_kind
from ..models.replay_read_status import ReplayReadStatus, check_replay_read_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.market_data_read import MarketDataRead
    from ..models.replay_read_config_type_0 import ReplayReadConfigType0
    from ..models.replay_read_params import ReplayReadParams
    from ..models.replay_read_report_type_0 import ReplayReadReportType0


T = TypeVar("T", bound="ReplayRead")


@_attrs_define
class ReplayRead:
    """
    Attributes:
        config (None | ReplayReadConfigType0): The configuration the run used.
        config_hash (None | str):
        created_at (datetime.datetime):
        data_from (datetime.datetime):
        data_to (datetime.datetime):
        error (None | str):
        finished_at (datetime.datetime | None):
        id (int):
        kind (ReplayReadKind): A replay, a walk-forward calibration (the evidence), or the replay judging a proposed
            scoring change beside the one in force (`PUT /scoring/algorithms?dry_run`).
        market_data (MarketDataRead | None): When succeeded: where the candles it read came from (the report's
            `data.market_data`; `source not recorded` for a report stored before it was kept).
        params (ReplayReadParams): The request as made.
        progress (float): Share of the decisions done, 0 to 1.
        report (None | ReplayReadReportType0): When succeeded: the replay document (config_hash, data, strategies, ic,
            decisions, exits, selection), the same as `python -m app.cli replay` writes; a calibration's adds ic_default,
            verdict, calibration and folds, as `python -m app.cli calibrate`.
        requested_by (str):
        started_at (datetime.datetime | None):
        status (ReplayReadStatus):
        cancelled_by (None | str | Unset): The key that cancelled the run (`DELETE /replays/{id}`).
    """

    config: None | ReplayReadConfigType0
    config_hash: None | str
    created_at: datetime.datetime
    data_from: datetime.datetime
    data_to: datetime.datetime
    error: None | str
    finished_at: datetime.datetime | None
    id: int
    kind: ReplayReadKind
    market_data: MarketDataRead | None
    params: ReplayReadParams
    progress: float
    report: None | ReplayReadReportType0
    requested_by: str
    started_at: datetime.datetime | None
    status: ReplayReadStatus
    cancelled_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415
        from ..models.replay_read_config_type_0 import ReplayReadConfigType0  # noqa: PLC0415
        from ..models.replay_read_report_type_0 import ReplayReadReportType0  # noqa: PLC0415

        config: dict[str, Any] | None
        if isinstance(self.config, ReplayReadConfigType0):
            config = self.config.to_dict()
        else:
            config = self.config

        config_hash: None | str
        config_hash = self.config_hash

        created_at = self.created_at.isoformat()

        data_from = self.data_from.isoformat()

        data_to = self.data_to.isoformat()

        error: None | str
        error = self.error

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        id = self.id

        kind: str = self.kind

        market_data: dict[str, Any] | None
        if isinstance(self.market_data, MarketDataRead):
            market_data = self.market_data.to_dict()
        else:
            market_data = self.market_data

        params = self.params.to_dict()

        progress = self.progress

        report: dict[str, Any] | None
        if isinstance(self.report, ReplayReadReportType0):
            report = self.report.to_dict()
        else:
            report = self.report

        requested_by = self.requested_by

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        status: str = self.status

        cancelled_by: None | str | Unset
        if isinstance(self.cancelled_by, Unset):
            cancelled_by = UNSET
        else:
            cancelled_by = self.cancelled_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "config": config,
                "config_hash": config_hash,
                "created_at": created_at,
                "data_from": data_from,
                "data_to": data_to,
                "error": error,
                "finished_at": finished_at,
                "id": id,
                "kind": kind,
                "market_data": market_data,
                "params": params,
                "progress": progress,
                "report": report,
                "requested_by": requested_by,
                "started_at": started_at,
                "status": status,
            }
        )
        if cancelled_by is not UNSET:
            field_dict["cancelled_by"] = cancelled_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415
        from ..models.replay_read_config_type_0 import ReplayReadConfigType0  # noqa: PLC0415
        from ..models.replay_read_params import ReplayReadParams  # noqa: PLC0415
        from ..models.replay_read_report_type_0 import ReplayReadReportType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_config(data: object) -> None | ReplayReadConfigType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                config_type_0 = ReplayReadConfigType0.from_dict(data)

                return config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReplayReadConfigType0, data)

        config = _parse_config(d.pop("config"))

        def _parse_config_hash(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        config_hash = _parse_config_hash(d.pop("config_hash"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        data_from = datetime.datetime.fromisoformat(d.pop("data_from"))

        data_to = datetime.datetime.fromisoformat(d.pop("data_to"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        id = d.pop("id")

        kind = check_replay_read_kind(d.pop("kind"))

        def _parse_market_data(data: object) -> MarketDataRead | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                market_data_type_0 = MarketDataRead.from_dict(data)

                return market_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MarketDataRead | None, data)

        market_data = _parse_market_data(d.pop("market_data"))

        params = ReplayReadParams.from_dict(d.pop("params"))

        progress = d.pop("progress")

        def _parse_report(data: object) -> None | ReplayReadReportType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                report_type_0 = ReplayReadReportType0.from_dict(data)

                return report_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReplayReadReportType0, data)

        report = _parse_report(d.pop("report"))

        requested_by = d.pop("requested_by")

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        status = check_replay_read_status(d.pop("status"))

        def _parse_cancelled_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cancelled_by = _parse_cancelled_by(d.pop("cancelled_by", UNSET))

        replay_read = cls(
            config=config,
            config_hash=config_hash,
            created_at=created_at,
            data_from=data_from,
            data_to=data_to,
            error=error,
            finished_at=finished_at,
            id=id,
            kind=kind,
            market_data=market_data,
            params=params,
            progress=progress,
            report=report,
            requested_by=requested_by,
            started_at=started_at,
            status=status,
            cancelled_by=cancelled_by,
        )

        replay_read.additional_properties = d
        return replay_read

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
