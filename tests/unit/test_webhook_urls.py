"""Webhook receiver URLs are checked when the settings load: https only, no internal literals,
link-local never, unless the settings allow http or private addresses explicitly."""

from __future__ import annotations

import base64

import pytest
from pydantic import ValidationError

from app.core.config import WebhookSettings

SECRET = "whsec_" + base64.b64encode(b"webhook-secret-for-tests-32bytes").decode()


def load(url: str, **allow: bool) -> WebhookSettings:
    return WebhookSettings(urls=[url], secret=SECRET, **allow)  # type: ignore[arg-type]


class TestWebhookUrls:
    def test_accepts_https_to_a_public_name(self) -> None:
        assert load("https://hooks.example.com/ms?token=x").urls == [
            "https://hooks.example.com/ms?token=x"
        ]

    def test_refuses_http_unless_allowed(self) -> None:
        with pytest.raises(ValidationError, match="must be https://"):
            load("http://hooks.example.com/ms")
        assert load("http://hooks.example.com/ms", allow_http=True).urls

    @pytest.mark.parametrize(
        "url",
        [
            "http://169.254.169.254/latest/meta-data",
            "https://169.254.169.254/",
            "https://[fe80::1]/hook",
            "https://[::ffff:169.254.169.254]/",
            "https://169.254.43518/",
            "https://2852039166/",
        ],
    )
    def test_refuses_link_local_even_when_everything_is_allowed(self, url: str) -> None:
        with pytest.raises(ValidationError, match="link-local"):
            load(url, allow_http=True, allow_private_addresses=True)

    @pytest.mark.parametrize(
        "url",
        [
            "https://10.0.0.5/hook",
            "https://192.168.1.2/hook",
            "https://127.0.0.1:9/hook",
            "https://[::1]/hook",
            "https://0.0.0.0/hook",
            "https://172.16.0.1/hook",
            "https://127.1/hook",
            "https://2130706433/hook",
            "https://0x7f.0.0.1/hook",
            "https://10.1/hook",
        ],
    )
    def test_refuses_internal_literals_unless_allowed(self, url: str) -> None:
        with pytest.raises(ValidationError, match="internal address"):
            load(url)
        assert load(url, allow_private_addresses=True).urls == [url]

    @pytest.mark.parametrize(
        "url",
        [
            "ftp://hooks.example.com/x",
            "file:///etc/passwd",
            "https:///nohost",
            "https://user:pw@hooks.example.com/",
        ],
    )
    def test_refuses_other_schemes_missing_hosts_and_credentials(self, url: str) -> None:
        with pytest.raises(ValidationError):
            load(url, allow_http=True, allow_private_addresses=True)

    def test_error_does_not_echo_the_path(self) -> None:
        with pytest.raises(ValidationError) as raised:
            load("http://hooks.example.com/secret-token-path")
        assert "secret-token-path" not in str(raised.value)
