"""The database password stays out of reprs (logged objects, tracebacks with locals, pickled
calls to the lab worker shown in errors): the stored history a run reads, the environment."""

from __future__ import annotations

from datetime import UTC, datetime

from app.lab.stored_history import StoredHistory
from app.platform.core.environment import Environment

URL = "postgresql+asyncpg://mysymbols:s3cret-pw-4711@db:5432/mysymbols"


class TestStoredHistory:
    def test_its_repr_shows_the_range_not_the_url(self) -> None:
        start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
        history = StoredHistory(URL, start, end)
        shown = repr(history)
        assert "s3cret-pw-4711" not in shown
        assert "mysymbols" not in shown
        assert start.isoformat() in shown and end.isoformat() in shown
        assert history.database_url == URL  # the worker still connects with the real one


class TestEnvironment:
    def test_the_repr_leaves_out_the_database_url(self) -> None:
        environment = Environment.model_validate({"database_url": URL})
        assert "s3cret-pw-4711" not in repr(environment)
        assert "s3cret-pw-4711" not in str(environment)
        assert environment.database_url == URL
