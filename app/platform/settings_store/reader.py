"""The runtime settings in force: each stored value, or its declared default when none is stored,
read in the caller's transaction in one query."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.repositories.stored_settings import ConfigRepository
from app.platform.settings_store.declaration import RuntimeSetting
from app.platform.settings_store.fields import default_values, from_settings

T = TypeVar("T")


async def read_values(session: AsyncSession, settings: Iterable[RuntimeSetting]) -> dict[str, Any]:
    """The value in force of each of `settings` by key (untyped: the configuration API's and the
    records' documents; a service reads `read_typed`)."""
    return await ConfigRepository(session).get_many({s.key: s.default for s in settings})


async def read_typed(session: AsyncSession, cls: type[T]) -> T:
    """The dataclass `cls` of runtime settings, read in one query: each field is its setting's
    value in force as the field's type (`int(...)` of an integer, ...)."""
    return from_settings(cls, await ConfigRepository(session).get_many(default_values(cls)))


async def read_settings_as(
    session: AsyncSession, settings: Iterable[RuntimeSetting], kind: type[T]
) -> dict[str, T]:
    """Each of `settings` (of one type, such as the jobs' periods) by key as `kind`, its Python
    type (TypeError otherwise), in one query."""
    settings = tuple(settings)
    for declared in settings:
        declared.check_type(kind)
    values = await read_values(session, settings)
    return {key: kind(value) for key, value in values.items()}  # type: ignore[call-arg]


async def read_setting(session: AsyncSession, declared: RuntimeSetting, kind: type[T]) -> T:
    """The one setting `declared` as `kind`, its Python type (TypeError otherwise):
    `read_setting(session, STALE_DATA_LIMIT_S, float)`."""
    return (await read_settings_as(session, [declared], kind))[declared.key]
