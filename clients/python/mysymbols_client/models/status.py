from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.status_status import StatusStatus, check_status_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bootstrap_check import BootstrapCheck
    from ..models.database_check import DatabaseCheck
    from ..models.job_check import JobCheck
    from ..models.kucoin_budget_check import KucoinBudgetCheck
    from ..models.market_data_check import MarketDataCheck


T = TypeVar("T", bound="Status")


@_attrs_define
class Status:
    """Readiness. Without an API key only `status` and `ready`; the rest (the checks) needs a
    key with the `read` role (or open reads).

        Attributes:
            ready (bool): Whether this replica should take traffic: the database reachable, its migrations at head and the
                first start finished. `false` answers HTTP 503.
            status (StatusStatus): `bootstrapping`: the scheduler is on and no run has scored anything yet (see
                `bootstrap`); `degraded`: the database is unreachable or not migrated.
            bootstrap (BootstrapCheck | None | Unset):
            database (DatabaseCheck | None | Unset):
            jobs (list[JobCheck] | None | Unset):
            kucoin_budget (KucoinBudgetCheck | None | Unset):
            market_data (MarketDataCheck | None | Unset):
            scheduler_enabled (bool | None | Unset):
            version (None | str | Unset):
    """

    ready: bool
    status: StatusStatus
    bootstrap: BootstrapCheck | None | Unset = UNSET
    database: DatabaseCheck | None | Unset = UNSET
    jobs: list[JobCheck] | None | Unset = UNSET
    kucoin_budget: KucoinBudgetCheck | None | Unset = UNSET
    market_data: MarketDataCheck | None | Unset = UNSET
    scheduler_enabled: bool | None | Unset = UNSET
    version: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.bootstrap_check import BootstrapCheck  # noqa: PLC0415
        from ..models.database_check import DatabaseCheck  # noqa: PLC0415
        from ..models.kucoin_budget_check import KucoinBudgetCheck  # noqa: PLC0415
        from ..models.market_data_check import MarketDataCheck  # noqa: PLC0415

        ready = self.ready

        status: str = self.status

        bootstrap: dict[str, Any] | None | Unset
        if isinstance(self.bootstrap, Unset):
            bootstrap = UNSET
        elif isinstance(self.bootstrap, BootstrapCheck):
            bootstrap = self.bootstrap.to_dict()
        else:
            bootstrap = self.bootstrap

        database: dict[str, Any] | None | Unset
        if isinstance(self.database, Unset):
            database = UNSET
        elif isinstance(self.database, DatabaseCheck):
            database = self.database.to_dict()
        else:
            database = self.database

        jobs: list[dict[str, Any]] | None | Unset
        if isinstance(self.jobs, Unset):
            jobs = UNSET
        elif isinstance(self.jobs, list):
            jobs = []
            for jobs_type_0_item_data in self.jobs:
                jobs_type_0_item = jobs_type_0_item_data.to_dict()
                jobs.append(jobs_type_0_item)

        else:
            jobs = self.jobs

        kucoin_budget: dict[str, Any] | None | Unset
        if isinstance(self.kucoin_budget, Unset):
            kucoin_budget = UNSET
        elif isinstance(self.kucoin_budget, KucoinBudgetCheck):
            kucoin_budget = self.kucoin_budget.to_dict()
        else:
            kucoin_budget = self.kucoin_budget

        market_data: dict[str, Any] | None | Unset
        if isinstance(self.market_data, Unset):
            market_data = UNSET
        elif isinstance(self.market_data, MarketDataCheck):
            market_data = self.market_data.to_dict()
        else:
            market_data = self.market_data

        scheduler_enabled: bool | None | Unset
        if isinstance(self.scheduler_enabled, Unset):
            scheduler_enabled = UNSET
        else:
            scheduler_enabled = self.scheduler_enabled

        version: None | str | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ready": ready,
                "status": status,
            }
        )
        if bootstrap is not UNSET:
            field_dict["bootstrap"] = bootstrap
        if database is not UNSET:
            field_dict["database"] = database
        if jobs is not UNSET:
            field_dict["jobs"] = jobs
        if kucoin_budget is not UNSET:
            field_dict["kucoin_budget"] = kucoin_budget
        if market_data is not UNSET:
            field_dict["market_data"] = market_data
        if scheduler_enabled is not UNSET:
            field_dict["scheduler_enabled"] = scheduler_enabled
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bootstrap_check import BootstrapCheck  # noqa: PLC0415
        from ..models.database_check import DatabaseCheck  # noqa: PLC0415
        from ..models.job_check import JobCheck  # noqa: PLC0415
        from ..models.kucoin_budget_check import KucoinBudgetCheck  # noqa: PLC0415
        from ..models.market_data_check import MarketDataCheck  # noqa: PLC0415

        d = dict(src_dict)
        ready = d.pop("ready")

        status = check_status_status(d.pop("status"))

        def _parse_bootstrap(data: object) -> BootstrapCheck | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                bootstrap_type_0 = BootstrapCheck.from_dict(data)

                return bootstrap_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BootstrapCheck | None | Unset, data)

        bootstrap = _parse_bootstrap(d.pop("bootstrap", UNSET))

        def _parse_database(data: object) -> DatabaseCheck | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                database_type_0 = DatabaseCheck.from_dict(data)

                return database_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DatabaseCheck | None | Unset, data)

        database = _parse_database(d.pop("database", UNSET))

        def _parse_jobs(data: object) -> list[JobCheck] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                jobs_type_0 = []
                _jobs_type_0 = data
                for jobs_type_0_item_data in _jobs_type_0:
                    jobs_type_0_item = JobCheck.from_dict(jobs_type_0_item_data)

                    jobs_type_0.append(jobs_type_0_item)

                return jobs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[JobCheck] | None | Unset, data)

        jobs = _parse_jobs(d.pop("jobs", UNSET))

        def _parse_kucoin_budget(data: object) -> KucoinBudgetCheck | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                kucoin_budget_type_0 = KucoinBudgetCheck.from_dict(data)

                return kucoin_budget_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KucoinBudgetCheck | None | Unset, data)

        kucoin_budget = _parse_kucoin_budget(d.pop("kucoin_budget", UNSET))

        def _parse_market_data(data: object) -> MarketDataCheck | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                market_data_type_0 = MarketDataCheck.from_dict(data)

                return market_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MarketDataCheck | None | Unset, data)

        market_data = _parse_market_data(d.pop("market_data", UNSET))

        def _parse_scheduler_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        scheduler_enabled = _parse_scheduler_enabled(d.pop("scheduler_enabled", UNSET))

        def _parse_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        status = cls(
            ready=ready,
            status=status,
            bootstrap=bootstrap,
            database=database,
            jobs=jobs,
            kucoin_budget=kucoin_budget,
            market_data=market_data,
            scheduler_enabled=scheduler_enabled,
            version=version,
        )

        status.additional_properties = d
        return status

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
