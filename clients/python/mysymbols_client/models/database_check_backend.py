from typing import Literal

DatabaseCheckBackend = Literal["postgresql", "sqlite"]

DATABASE_CHECK_BACKEND_VALUES: set[DatabaseCheckBackend] = {
    "postgresql",
    "sqlite",
}


def check_database_check_backend(value: str) -> DatabaseCheckBackend:
    if value in DATABASE_CHECK_BACKEND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DATABASE_CHECK_BACKEND_VALUES!r}")
