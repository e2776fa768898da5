"""The engines hide a statement's parameters from its errors (`hide_parameters`), on both
databases: a failing statement's exception, which is logged and may be stored, names no value
it was given (a key's hash, a webhook secret, a request's text)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine

SECRET = "token-0f9e8d7c-hunter2"


async def test_a_failing_statement_names_no_parameter(
    database_url: str, make_environment: Callable[..., Environment]
) -> None:
    engine = create_engine(make_environment(database_url))
    try:
        assert engine.sync_engine.hide_parameters is True
        with pytest.raises(sa_exc.DBAPIError) as failed:
            async with engine.connect() as connection:
                await connection.execute(
                    text("SELECT * FROM no_such_table WHERE token = :token"), {"token": SECRET}
                )
        assert "no_such_table" in str(failed.value)
        assert SECRET not in str(failed.value)
        assert "[SQL parameters hidden due to hide_parameters=True]" in str(failed.value)
    finally:
        await engine.dispose()
