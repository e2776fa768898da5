"""Static files served with headers of their own (the dashboard's policy, the docs' `nosniff`)."""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import Any

from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send


class HeaderedFiles(StaticFiles):
    """Starlette's static files, each answer sent with `headers` added."""

    def __init__(
        self,
        *,
        directory: str | PathLike[str],
        headers: Sequence[tuple[bytes, bytes]],
        **options: Any,
    ) -> None:
        super().__init__(directory=directory, **options)
        self.headers = list(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            await send(message)

        await super().__call__(scope, receive, with_headers)
