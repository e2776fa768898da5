"""Webhook receiver URLs are checked when the environment loads: https only, no internal literals,
link-local never, unless the environment allows http or private addresses explicitly; and the
addresses a receiver's name resolves to are checked as the connection is made."""

from __future__ import annotations

import base64

import aiohttp
import pytest
from aiohttp import web
from pydantic import ValidationError

from app.platform.core.environment_sections import WebhookEnvironment
from app.platform.webhooks.resolver import ReceiverResolver, receiver_session

SECRET = "whsec_" + base64.b64encode(b"webhook-secret-for-tests-32bytes").decode()


def load(url: str, **allow: bool) -> WebhookEnvironment:
    return WebhookEnvironment(urls=[url], secret=SECRET, **allow)  # type: ignore[arg-type]


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
            "https://100.64.0.1/hook",  # shared address space (carrier-grade NAT)
            "https://100.100.100.200/hook",  # a cloud's metadata service, inside it
            "https://198.18.0.1/hook",  # benchmarking
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


class TestResolvedAddresses:
    async def test_a_name_resolving_only_to_the_pods_network_is_never_connected_to(self) -> None:
        resolver = ReceiverResolver(allow_private=False)
        try:
            with pytest.raises(OSError, match="resolves only to addresses it may not have"):
                await resolver.resolve("localhost", 443)
        finally:
            await resolver.close()

    async def test_allowed_private_addresses_resolve_as_usual(self) -> None:
        resolver = ReceiverResolver(allow_private=True)
        try:
            answers = await resolver.resolve("localhost", 443)
        finally:
            await resolver.close()
        assert answers and all(a["host"] in ("127.0.0.1", "::1") for a in answers)

    async def test_a_receiver_on_the_pods_network_is_reached_only_when_allowed(self) -> None:
        async def receive(_: web.Request) -> web.Response:
            return web.Response(status=204)

        app = web.Application()
        app.router.add_post("/hook", receive)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        url = f"http://localhost:{port}/hook"
        try:
            async with receiver_session(load(url, allow_http=True)) as session:
                with pytest.raises(aiohttp.ClientConnectorError) as refused:
                    await session.post(url, data=b"{}")
                assert "may not have" in str(refused.value.os_error)
            allowed = load(url, allow_http=True, allow_private_addresses=True)
            async with receiver_session(allowed) as session, session.post(url) as answer:
                assert answer.status == 204
        finally:
            await runner.cleanup()
