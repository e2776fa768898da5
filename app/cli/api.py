"""The service's HTTP API as the command line calls it: one aiohttp session, the key from the
environment, problem+json answers raised as `ApiProblem`."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import aiohttp

from app.platform.core.headers import API_KEY, MARKET_SOURCE
from app.platform.core.paths import API_PREFIX

DEFAULT_URL = "http://127.0.0.1:8000"
KEY_ENV = "MYSYMBOLS_API_KEY"


class ApiProblem(Exception):
    """The service answered an error: its problem document (or what stood in for one)."""

    def __init__(self, status: int, problem: Mapping[str, Any]) -> None:
        super().__init__(problem.get("detail") or problem.get("title") or f"HTTP {status}")
        self.status = status
        self.problem = dict(problem)


class Unreachable(Exception):
    """The service did not answer (connection refused, timeout)."""


class UsageError(Exception):
    """The command line asks for something the service cannot take; nothing was sent."""


def add_connection_options(command: argparse.ArgumentParser) -> None:
    """`--url` and `--timeout` on a command that talks to the service."""
    command.add_argument(
        "--url",
        default=DEFAULT_URL,
        help=f"the service (default {DEFAULT_URL}); the key comes from {KEY_ENV}",
    )
    command.add_argument("--timeout", type=float, default=30.0, help="seconds per request")


class ApiClient:
    """`async with ApiClient(url) as api: await api.get("/status")`; paths under the prefix."""

    def __init__(self, url: str, key: str | None = None, timeout_s: float = 30.0) -> None:
        self.base = url.rstrip("/") + API_PREFIX
        key = key if key is not None else os.environ.get(KEY_ENV)
        self._headers = {API_KEY: key} if key else {}
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._http: aiohttp.ClientSession | None = None
        self.market_source: str | None = None
        """`X-Market-Data-Source` of the last answer: live, simulator or custom."""

    async def __aenter__(self) -> ApiClient:
        self._http = aiohttp.ClientSession(headers=self._headers, timeout=self._timeout)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._http is not None:
            await self._http.close()

    async def get(
        self, path: str, params: Mapping[str, Any] | None = None, accept: tuple[int, ...] = ()
    ) -> Any:
        """GET `path`: the JSON body of a 2xx answer (or of a status in `accept`), else
        `ApiProblem`."""
        query = {k: str(v) for k, v in (params or {}).items() if v is not None}
        return await self._call("GET", path, params=query, accept=accept)

    async def put(self, path: str, body: Any) -> Any:
        """PUT `body` as JSON to `path`: the JSON body of a 2xx answer, else `ApiProblem`."""
        return await self._call("PUT", path, json=body)

    async def _call(
        self, method: str, path: str, accept: tuple[int, ...] = (), **kwargs: Any
    ) -> Any:
        assert self._http is not None, "use the client in `async with`"
        url = self.base + path
        try:
            async with self._http.request(method, url, **kwargs) as response:
                text = await response.text()
                self.market_source = response.headers.get(MARKET_SOURCE, self.market_source)
                status = response.status
        except TimeoutError as exc:
            raise Unreachable(f"{method} {url}: no answer in time") from exc
        except aiohttp.ClientError as exc:
            raise Unreachable(f"{method} {url}: {exc}") from exc
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = None
        if status >= 400 and not (status in accept and isinstance(body, dict)):
            problem = body if isinstance(body, dict) else {"title": f"HTTP {status}"}
            if not isinstance(body, dict) and text:
                problem["detail"] = text[:500]
            raise ApiProblem(status, problem)
        if body is None and text:
            raise ApiProblem(status, {"title": "Not JSON", "detail": text[:500]})
        return body
