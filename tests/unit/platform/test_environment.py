"""The environment read under the exact variable names operators rely on."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from pydantic import ValidationError
from standardwebhooks import Webhook

from app.platform.core.environment import DEFAULT_DATABASE_URL, Environment, Role
from app.platform.core.environment_sections import LIVE_KUCOIN_FUTURES_URL, WebhookEnvironment
from app.platform.core.webhook_secret import webhook_key

KEY = bytes(range(32))
SECRET = "whsec_" + base64.b64encode(KEY).decode()


class TestEnvironmentNames:
    def test_defaults_are_embedded_sqlite_and_live_kucoin(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name in ("DATABASE_URL", "KUCOIN__FUTURES_URL", "API_KEYS", "LOG_LEVEL"):
            monkeypatch.delenv(f"MYSYMBOLS_{name}", raising=False)
        environment = Environment()
        assert environment.database_url == DEFAULT_DATABASE_URL
        assert environment.is_sqlite
        assert environment.kucoin.futures_url == LIVE_KUCOIN_FUTURES_URL
        assert environment.api_keys == []

    def test_reads_every_documented_variable(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("MYSYMBOLS_DATABASE_URL", "postgresql+asyncpg://u@db:5432/ms")
        monkeypatch.setenv("MYSYMBOLS_KUCOIN__FUTURES_URL", "http://127.0.0.1:8999")
        monkeypatch.setenv("MYSYMBOLS_API_KEYS", "admin:aaaaaaaaaaaaaaaa, read:bbbbbbbbbbbbbbbb")
        monkeypatch.setenv("MYSYMBOLS_SCHEDULER__ENABLED", "false")
        monkeypatch.setenv("MYSYMBOLS_LOG_LEVEL", "debug")
        environment = Environment()
        assert environment.database_url == "postgresql+asyncpg://u@db:5432/ms"
        assert not environment.is_sqlite
        assert environment.kucoin.futures_url == "http://127.0.0.1:8999"
        assert [(k.role, k.key.get_secret_value()) for k in environment.api_keys] == [
            (Role.ADMIN, "aaaaaaaaaaaaaaaa"),
            (Role.READ, "bbbbbbbbbbbbbbbb"),
        ]
        assert environment.scheduler.enabled is False
        assert environment.log_level == "DEBUG"

    def test_the_body_limit_is_256_kib_unless_set(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("MYSYMBOLS_LIMITS__MAX_BODY_BYTES", raising=False)
        assert Environment().limits.max_body_bytes == 256 * 1024
        monkeypatch.setenv("MYSYMBOLS_LIMITS__MAX_BODY_BYTES", "1048576")
        assert Environment().limits.max_body_bytes == 1024 * 1024


class TestReadsEnvironment:
    def test_an_answer_is_refreshed_ahead_within_its_time_limit(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("MYSYMBOLS_READS__CACHE_TTL_S", "2")
        monkeypatch.setenv("MYSYMBOLS_READS__REFRESH_AHEAD_S", "0.5")
        assert Environment().reads.refresh_ahead_s == 0.5
        monkeypatch.setenv("MYSYMBOLS_READS__REFRESH_AHEAD_S", "2")
        with pytest.raises(ValidationError, match="must be less than cache_ttl_s"):
            Environment()
        monkeypatch.setenv("MYSYMBOLS_READS__CACHE_TTL_S", "0")  # the cache is off: no bound
        assert Environment().reads.refresh_ahead_s == 2


class TestApiKeyVariable:
    def test_keys_never_appear_in_repr(self) -> None:
        environment = Environment(api_keys="admin:supersecretvalue123")  # type: ignore[arg-type]
        assert "supersecretvalue123" not in repr(environment)

    @pytest.mark.parametrize(
        "value",
        ["adminaaaaaaaaaaaaaaaa", "root:aaaaaaaaaaaaaaaa", "admin:short"],
        ids=["no-role-separator", "unknown-role", "key-too-short"],
    )
    def test_refuses_malformed_keys(self, value: str) -> None:
        with pytest.raises(ValidationError):
            Environment(api_keys=value)  # type: ignore[arg-type]

    def test_refuses_unknown_log_level(self) -> None:
        with pytest.raises(ValidationError):
            Environment(log_level="loud")


class TestWebhookSecretVariable:
    @pytest.fixture(autouse=True)
    def clean_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in ("URLS", "SECRET"):
            monkeypatch.delenv(f"MYSYMBOLS_WEBHOOKS__{name}", raising=False)

    def test_no_urls_need_no_secret(self) -> None:
        environment = Environment()
        assert (environment.webhooks.urls, environment.webhooks.secret.get_secret_value()) == (
            [],
            "",
        )

    def test_refuses_urls_without_a_secret(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("MYSYMBOLS_WEBHOOKS__URLS", "https://hooks.example.com/ms")
        with pytest.raises(ValidationError) as raised:
            Environment()
        assert "MYSYMBOLS_WEBHOOKS__SECRET is required when MYSYMBOLS_WEBHOOKS__URLS is set" in (
            str(raised.value)
        )

    def test_refuses_a_key_under_32_bytes(self, monkeypatch: pytest.MonkeyPatch) -> None:
        short = "whsec_" + base64.b64encode(KEY[:31]).decode()
        monkeypatch.setenv("MYSYMBOLS_WEBHOOKS__URLS", "https://hooks.example.com/ms")
        monkeypatch.setenv("MYSYMBOLS_WEBHOOKS__SECRET", short)
        with pytest.raises(ValidationError) as raised:
            Environment()
        message = str(raised.value)
        assert "MYSYMBOLS_WEBHOOKS__SECRET must be a Standard Webhooks secret" in message
        assert "its key has 31 bytes" in message
        assert short not in message  # a refused secret is not logged

    @pytest.mark.parametrize(
        ("secret", "reason"),
        [
            ("a-long-passphrase-that-is-not-a-whsec-secret", "does not start with whsec_"),
            ("whsec_" + base64.urlsafe_b64encode(b"\xff" * 33).decode(), "is not base64"),
            ("whsec_" + base64.b64encode(KEY).decode() + "===", "is not base64"),
        ],
        ids=["no-prefix", "urlsafe-alphabet", "bad-padding"],
    )
    def test_refuses_a_malformed_secret(self, secret: str, reason: str) -> None:
        with pytest.raises(ValidationError) as raised:
            WebhookEnvironment(urls=["https://hooks.example.com/ms"], secret=secret)  # type: ignore[arg-type]
        assert reason in str(raised.value)
        assert secret not in str(raised.value)

    def test_refuses_a_malformed_secret_even_without_urls(self) -> None:
        with pytest.raises(ValidationError, match="MYSYMBOLS_WEBHOOKS__SECRET"):
            WebhookEnvironment(secret="whsec_c2hvcnQ=")  # type: ignore[arg-type]

    def test_accepts_a_whsec_secret(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(
            "MYSYMBOLS_WEBHOOKS__URLS", "https://a.example.com,https://b.example.com"
        )
        monkeypatch.setenv("MYSYMBOLS_WEBHOOKS__SECRET", SECRET)
        environment = Environment()
        assert environment.webhooks.urls == ["https://a.example.com", "https://b.example.com"]
        assert webhook_key(environment.webhooks.secret.get_secret_value()) == KEY
        assert SECRET not in repr(environment)

    @pytest.mark.parametrize("secret", [SECRET, SECRET.rstrip("=")], ids=["padded", "unpadded"])
    def test_key_is_the_one_the_library_signs_with(self, secret: str) -> None:
        at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        digest = hmac.new(webhook_key(secret), b"msg_1_1.1767323045.{}", hashlib.sha256).digest()
        signed = Webhook(secret).sign("msg_1_1", at, "{}")
        assert signed == "v1," + base64.b64encode(digest).decode()

    def test_uvicorn_target_refuses_to_start(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import app.main as main

        monkeypatch.setenv("MYSYMBOLS_WEBHOOKS__URLS", "https://hooks.example.com/ms")
        monkeypatch.delitem(main.__dict__, "app", raising=False)
        with pytest.raises(ValidationError, match="MYSYMBOLS_WEBHOOKS__SECRET is required"):
            _ = main.app


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
