"""The shutdown signal: chained in front of the server's own SIGTERM handler, it marks the
process stopping on the event loop and hands the signal on; where no server handles the signal
it installs nothing."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from types import FrameType

import pytest

from app.platform.runtime.shutdown import ShutdownSignal


@pytest.fixture
def server_handler() -> Iterator[list[int]]:
    """A stand-in for uvicorn's SIGTERM handler, recording the signals it was handed."""
    received: list[int] = []

    def handle(sig: int, frame: FrameType | None) -> None:
        received.append(sig)

    original = signal.signal(signal.SIGTERM, handle)
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, original)


class TestShutdownSignal:
    async def test_sigterm_marks_stopping_and_reaches_the_server_handler(
        self, server_handler: list[int]
    ) -> None:
        shutdown, stopped = ShutdownSignal(), []
        shutdown.on_stop(lambda: stopped.append(True))
        shutdown.install()
        try:
            signal.raise_signal(signal.SIGTERM)
            await asyncio.wait_for(shutdown.wait(), 1.0)
        finally:
            shutdown.uninstall()
        assert shutdown.stopping and stopped == [True]
        assert server_handler == [signal.SIGTERM]

    async def test_uninstall_hands_the_signal_back_to_the_server(
        self, server_handler: list[int]
    ) -> None:
        before = signal.getsignal(signal.SIGTERM)
        shutdown = ShutdownSignal()
        shutdown.install()
        assert signal.getsignal(signal.SIGTERM) is not before
        shutdown.uninstall()
        assert signal.getsignal(signal.SIGTERM) is before

    async def test_installs_nothing_where_no_server_handles_signals(self) -> None:
        term = signal.signal(signal.SIGTERM, signal.SIG_DFL)
        interrupt = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            shutdown = ShutdownSignal()
            shutdown.install()
            assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
            shutdown.uninstall()
        finally:
            signal.signal(signal.SIGTERM, term)
            signal.signal(signal.SIGINT, interrupt)

    async def test_stop_callbacks_run_once(self) -> None:
        shutdown, calls = ShutdownSignal(), []
        shutdown.on_stop(lambda: calls.append(1))
        shutdown.set()
        shutdown.set()
        assert calls == [1]
