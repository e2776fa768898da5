"""Webhook connections made only to the addresses a receiver may have: each address a host name
resolves to is checked as the connection is made (`app.platform.core.webhook_urls.refusal`), so
a name that resolves, or later resolves, to the pod's own network is never connected to."""

from __future__ import annotations

import ipaddress
import socket

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from app.platform.core.environment_sections import WebhookEnvironment
from app.platform.core.webhook_urls import refusal


class ReceiverResolver(AbstractResolver):
    """The default resolver's answers, less the addresses a receiver may not have; none left is
    an OSError (the delivery fails as a connection error, and is retried as one)."""

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._resolver = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._resolver.resolve(host, port, family)
        kept = [
            answer
            for answer in answers
            if refusal(ipaddress.ip_address(answer["host"]), allow_private=self.allow_private)
            is None
        ]
        if not kept:
            raise OSError(f"webhook receiver {host} resolves only to addresses it may not have")
        return kept

    async def close(self) -> None:
        await self._resolver.close()


def receiver_session(environment: WebhookEnvironment) -> aiohttp.ClientSession:
    """The session webhooks are sent on: its connector resolves through `ReceiverResolver`."""
    resolver = ReceiverResolver(allow_private=environment.allow_private_addresses)
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=resolver))
