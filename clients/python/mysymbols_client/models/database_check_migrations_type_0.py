from typing import Literal

DatabaseCheckMigrationsType0 = Literal["ahead", "at_head", "behind", "not_migrated"]

DATABASE_CHECK_MIGRATIONS_TYPE_0_VALUES: set[DatabaseCheckMigrationsType0] = {
    "ahead",
    "at_head",
    "behind",
    "not_migrated",
}


def check_database_check_migrations_type_0(value: str) -> DatabaseCheckMigrationsType0:
    if value in DATABASE_CHECK_MIGRATIONS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DATABASE_CHECK_MIGRATIONS_TYPE_0_VALUES!r}")
