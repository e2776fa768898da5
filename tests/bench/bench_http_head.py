"""Benchmark: what bounding the request head costs uvicorn's protocol per request, without the
network or the app: a hot read's head (as wrk sends it, with an API key) fed to the protocol
`n` times on one kept-alive connection, the app's task never run, for uvicorn's httptools
protocol and the image's (`app.platform.runtime.http_head`), alternately in rounds.

`python -m tests.bench.bench_http_head [--requests 200000] [--rounds 5]`
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from app.platform.runtime.http_head import BoundedHttpToolsProtocol
from tests.bench.harness import KEY

HEAD = (
    "GET /api/symbol-mgmt/portfolio HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
    f"X-API-Key: {KEY}\r\nAccept-Encoding: identity\r\n\r\n"
).encode()


class _Transport(asyncio.Transport):
    def __init__(self, protocol: asyncio.Protocol) -> None:
        super().__init__()
        self.protocol = protocol

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 8000) if name in ("sockname", "peername") else default

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self.protocol

    def is_closing(self) -> bool:
        return False


async def _app(scope: Any, receive: Any, send: Any) -> None:  # never run
    raise AssertionError


def per_request_us(protocol_class: type[HttpToolsProtocol], requests: int) -> float:
    """CPU microseconds of the protocol's own work per request head fed."""
    loop = asyncio.new_event_loop()
    config = Config(app=_app, http=protocol_class, log_level="warning")
    protocol = protocol_class(config, ServerState(), {}, _loop=loop)
    protocol._start_asgi_task = lambda cycle, app: None  # type: ignore[method-assign]
    protocol.connection_made(_Transport(protocol))
    start = time.process_time()
    for _ in range(requests):
        protocol.data_received(HEAD)
        protocol.cycle.response_complete = True  # as if answered: the next head is a new request
    elapsed = time.process_time() - start
    loop.close()
    return elapsed / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    classes = {"httptools": HttpToolsProtocol, "bounded": BoundedHttpToolsProtocol}
    times: dict[str, list[float]] = {name: [] for name in classes}
    for _ in range(args.rounds):
        for name, protocol_class in classes.items():
            times[name].append(per_request_us(protocol_class, args.requests))
    print(f"{len(HEAD)}-byte head, {args.requests} requests a round, {args.rounds} rounds")
    for name, measured in times.items():
        best, median = min(measured), statistics.median(measured)
        print(f"{name:10} best {best:6.2f} us  median {median:6.2f} us a request")
    added = min(times["bounded"]) - min(times["httptools"])
    print(f"added by the bound: {added:.2f} us a request (best against best)")


if __name__ == "__main__":
    main()
