from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.database_check_backend import DatabaseCheckBackend, check_database_check_backend
from ..models.database_check_migrations_type_0 import (
    DatabaseCheckMigrationsType0,
    check_database_check_migrations_type_0,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="DatabaseCheck")


@_attrs_define
class DatabaseCheck:
    """
    Attributes:
        backend (DatabaseCheckBackend):
        latency_ms (float | None):
        migration_head (str):
        migration_revision (None | str):
        migrations_at_head (bool):
        reachable (bool):
        error (None | str | Unset):
        migrations (DatabaseCheckMigrationsType0 | None | Unset): The schema against this replica's code: `ahead` (a
            revision its scripts do not know: a newer release migrated it) still serves, as migrations are expand/contract;
            `behind` does not (503). None when the database did not answer.
    """

    backend: DatabaseCheckBackend
    latency_ms: float | None
    migration_head: str
    migration_revision: None | str
    migrations_at_head: bool
    reachable: bool
    error: None | str | Unset = UNSET
    migrations: DatabaseCheckMigrationsType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        backend: str = self.backend

        latency_ms: float | None
        latency_ms = self.latency_ms

        migration_head = self.migration_head

        migration_revision: None | str
        migration_revision = self.migration_revision

        migrations_at_head = self.migrations_at_head

        reachable = self.reachable

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        migrations: None | str | Unset
        if isinstance(self.migrations, Unset):
            migrations = UNSET
        elif isinstance(self.migrations, str):
            migrations = self.migrations
        else:
            migrations = self.migrations

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "backend": backend,
                "latency_ms": latency_ms,
                "migration_head": migration_head,
                "migration_revision": migration_revision,
                "migrations_at_head": migrations_at_head,
                "reachable": reachable,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if migrations is not UNSET:
            field_dict["migrations"] = migrations

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        backend = check_database_check_backend(d.pop("backend"))

        def _parse_latency_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        latency_ms = _parse_latency_ms(d.pop("latency_ms"))

        migration_head = d.pop("migration_head")

        def _parse_migration_revision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        migration_revision = _parse_migration_revision(d.pop("migration_revision"))

        migrations_at_head = d.pop("migrations_at_head")

        reachable = d.pop("reachable")

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_migrations(data: object) -> DatabaseCheckMigrationsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                migrations_type_0 = check_database_check_migrations_type_0(data)

                return migrations_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DatabaseCheckMigrationsType0 | None | Unset, data)

        migrations = _parse_migrations(d.pop("migrations", UNSET))

        database_check = cls(
            backend=backend,
            latency_ms=latency_ms,
            migration_head=migration_head,
            migration_revision=migration_revision,
            migrations_at_head=migrations_at_head,
            reachable=reachable,
            error=error,
            migrations=migrations,
        )

        database_check.additional_properties = d
        return database_check

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
