"""Settings read from the environment under the exact names operators rely on."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from pydantic import ValidationError

from app.config import DEFAULT_DATABASE_URL, LIVE_KUCOIN_FUTURES_URL, Role, Settings


class TestEnvironmentNames:
    def test_defaults_are_embedded_sqlite_and_live_kucoin(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name in ("DATABASE_URL", "KUCOIN__FUTURES_URL", "API_KEYS", "LOG_LEVEL"):
            monkeypatch.delenv(f"MYSYMBOLS_{name}", raising=False)
        settings = Settings()
        assert settings.database_url == DEFAULT_DATABASE_URL
        assert settings.is_sqlite
        assert settings.kucoin.futures_url == LIVE_KUCOIN_FUTURES_URL
        assert settings.api_keys == []

    def test_reads_every_documented_variable(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("MYSYMBOLS_DATABASE_URL", "postgresql+asyncpg://u@db:5432/ms")
        monkeypatch.setenv("MYSYMBOLS_KUCOIN__FUTURES_URL", "http://127.0.0.1:8999")
        monkeypatch.setenv("MYSYMBOLS_API_KEYS", "admin:aaaaaaaaaaaaaaaa, read:bbbbbbbbbbbbbbbb")
        monkeypatch.setenv("MYSYMBOLS_SCHEDULER__ENABLED", "false")
        monkeypatch.setenv("MYSYMBOLS_LOG_LEVEL", "debug")
        settings = Settings()
        assert settings.database_url == "postgresql+asyncpg://u@db:5432/ms"
        assert not settings.is_sqlite
        assert settings.kucoin.futures_url == "http://127.0.0.1:8999"
        assert [(k.role, k.key.get_secret_value()) for k in settings.api_keys] == [
            (Role.ADMIN, "aaaaaaaaaaaaaaaa"),
            (Role.READ, "bbbbbbbbbbbbbbbb"),
        ]
        assert settings.scheduler.enabled is False
        assert settings.log_level == "DEBUG"


class TestApiKeySetting:
    def test_keys_never_appear_in_repr(self) -> None:
        settings = Settings(api_keys="admin:supersecretvalue123")  # type: ignore[arg-type]
        assert "supersecretvalue123" not in repr(settings)

    @pytest.mark.parametrize(
        "value",
        ["adminaaaaaaaaaaaaaaaa", "root:aaaaaaaaaaaaaaaa", "admin:short"],
        ids=["no-role-separator", "unknown-role", "key-too-short"],
    )
    def test_refuses_malformed_keys(self, value: str) -> None:
        with pytest.raises(ValidationError):
            Settings(api_keys=value)  # type: ignore[arg-type]

    def test_refuses_unknown_log_level(self) -> None:
        with pytest.raises(ValidationError):
            Settings(log_level="loud")


class TestRoles:
    def test_roles_are_ordered(self) -> None:
        assert Role.ADMIN.allows(Role.TRADE) and Role.ADMIN.allows(Role.READ)
        assert Role.TRADE.allows(Role.READ) and not Role.TRADE.allows(Role.ADMIN)
        assert not Role.READ.allows(Role.TRADE)


class TestModuleLevelApp:
    def test_uvicorn_target_builds_from_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import app.main as main

        monkeypatch.setenv("MYSYMBOLS_KUCOIN__FUTURES_URL", "http://127.0.0.1:8998")
        monkeypatch.delitem(main.__dict__, "app", raising=False)
        built = main.app
        assert isinstance(built, FastAPI)
        assert main.app is built
        monkeypatch.delitem(main.__dict__, "app")
