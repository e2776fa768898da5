"""Knowing that the process is stopping when the signal arrives, not once connections drained.

On SIGTERM (or SIGINT) uvicorn stops accepting, waits up to `UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN`
for the open requests to end, cancels those still running (their clients get a 500), and only
then runs the lifespan shutdown: a request waiting on a run or an open event stream is never
told. uvicorn installs its signal handlers before it starts the lifespan, so the lifespan puts a
handler in front of the server's own: it marks the process stopping (on the event loop, as a
signal handler may not touch it directly) and hands the signal on unchanged. That works under
`uvicorn app.main:app`, `--workers` and `Server.serve()` in the main thread alike; where no server
handles the signal (an ASGI test transport) nothing is installed, and the lifespan shutdown marks
the process stopping itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

logger = logging.getLogger(__name__)

SIGNALS = (signal.SIGTERM, signal.SIGINT)
Handler = Callable[[int, FrameType | None], Any]


class ShutdownSignal:
    """Set once the process starts stopping; callbacks registered with `on_stop` run then."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self._callbacks: list[Callable[[], None]] = []
        self._installed: dict[int, tuple[Handler, Handler]] = {}
        self.signalled = False  # by SIGTERM/SIGINT: the process ends once the lifespan has

    @property
    def stopping(self) -> bool:
        return self.event.is_set()

    async def wait(self) -> None:
        await self.event.wait()

    def on_stop(self, callback: Callable[[], None]) -> None:
        """Run `callback` (on the event loop) when the process starts stopping."""
        self._callbacks.append(callback)

    def set(self) -> None:
        """Mark the process stopping (idempotent); called on the event loop."""
        if self.event.is_set():
            return
        self.event.set()
        for callback in self._callbacks:
            try:
                callback()
            except Exception:
                logger.exception("shutdown: a stop callback failed")

    def install(self) -> None:
        """Chain in front of the server's SIGTERM/SIGINT handlers (the main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for sig in SIGNALS:
            previous = signal.getsignal(sig)
            # Not Python's own KeyboardInterrupt handler nor SIG_DFL/SIG_IGN: no server there.
            if not callable(previous) or previous is signal.default_int_handler:
                continue
            handler = self._chained(loop, previous)
            signal.signal(sig, handler)
            self._installed[sig] = (handler, previous)

    def uninstall(self) -> None:
        """Hand the signals back to the server's handlers, unless something replaced ours."""
        for sig, (handler, previous) in self._installed.items():
            if signal.getsignal(sig) is handler:
                signal.signal(sig, previous)
        self._installed = {}

    def _chained(self, loop: asyncio.AbstractEventLoop, previous: Handler) -> Handler:
        def handle(sig: int, frame: FrameType | None) -> Any:
            self.signalled = True
            with contextlib.suppress(RuntimeError):  # the loop is closed: nothing to tell
                loop.call_soon_threadsafe(self.set)
            return previous(sig, frame)

        return handle
