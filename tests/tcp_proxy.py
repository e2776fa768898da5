"""A small asyncio TCP proxy whose link can be cut and restored, to simulate a network outage."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

CHUNK_SIZE = 65536
CLOSE_GRACE_S = 2.0


@dataclass(eq=False)
class _Link:
    """One proxied connection: the client-side and upstream-side writers."""

    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter

    def abort(self) -> None:
        """Drop both sockets at once, discarding buffered bytes (like a dead network)."""
        self.client.transport.abort()
        self.upstream.transport.abort()

    def close(self) -> None:
        """Close both sockets after flushing what is buffered."""
        self.client.close()
        self.upstream.close()


class TcpProxy:
    """Forward 127.0.0.1:<port> to a target; `cut()` kills the link, `restore()` revives it."""

    def __init__(
        self, target_host: str, target_port: int, *, connect_timeout_s: float = 5.0
    ) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.host = "127.0.0.1"
        self.port = 0
        self.accepted = 0
        self.aborted = 0
        self.connect_timeout_s = connect_timeout_s
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def listening(self) -> bool:
        """Whether the proxy currently accepts connections."""
        return self._server is not None

    @property
    def live_connections(self) -> int:
        """How many proxied connections are open right now."""
        return len(self._links)

    async def start(self) -> None:
        """Listen on a free port (chosen once, then kept for every `restore()`)."""
        await self._listen()
        if self.port == 0:
            assert self._server is not None
            self.port = int(self._server.sockets[0].getsockname()[1])

    async def cut(self) -> None:
        """Stop listening and abort every live connection pair (pooled DB connections die)."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for link in list(self._links):
            link.abort()
            self.aborted += 1
        handlers = list(self._handlers)
        for handler in handlers:
            handler.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        if server is not None:
            await server.wait_closed()

    async def restore(self) -> None:
        """Listen again on the same port."""
        if self._server is None:
            await self._listen()

    async def close(self) -> None:
        """Cut the link for good; every socket and task of the proxy is gone afterwards."""
        await self.cut()

    async def __aenter__(self) -> TcpProxy:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(
            self._on_client, self.host, self.port, reuse_address=True
        )

    def _on_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        handler = asyncio.get_running_loop().create_task(self._serve(reader, writer))
        self._handlers.add(handler)
        handler.add_done_callback(self._handlers.discard)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(self.connect_timeout_s):
                up_reader, up_writer = await asyncio.open_connection(
                    self.target_host, self.target_port
                )
        except (OSError, TimeoutError):
            writer.transport.abort()
            return
        except asyncio.CancelledError:
            writer.transport.abort()
            raise
        link = _Link(client=writer, upstream=up_writer)
        self._links.add(link)
        pumps = {
            asyncio.create_task(_pump(reader, up_writer)),
            asyncio.create_task(_pump(up_reader, writer)),
        }
        clean = False
        try:
            done, pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            if all(task.result() for task in done) and pending:
                # One side said goodbye; give the other a moment to finish its half.
                done, pending = await asyncio.wait(pending, timeout=CLOSE_GRACE_S)
            clean = not pending and all(task.result() for task in done)
        finally:
            for task in pumps:
                task.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
            if clean:
                link.close()
            else:
                link.abort()
            self._links.discard(link)


async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> bool:
    """Copy bytes until EOF (True, EOF passed on) or a broken socket (False)."""
    try:
        while data := await source.read(CHUNK_SIZE):
            sink.write(data)
            await sink.drain()
        if sink.can_write_eof() and not sink.is_closing():
            sink.write_eof()
    except (OSError, RuntimeError):
        return False
    return True
