"""How long a block holds the event loop's thread: a task beats on the loop every `beat_s`, and
a thread measures each gap between two beats longer than `threshold_s`: a request arriving then
waits that long. Benchmarks only (the watching thread takes a little CPU)."""

from __future__ import annotations

import asyncio
import threading
import time
from types import TracebackType

from app.platform.runtime.background import cancel_and_wait


class LoopStalls:
    """`async with LoopStalls() as stalls:` ... then `stalls.held_s`: each stall's length."""

    def __init__(self, threshold_s: float = 0.05, beat_s: float = 0.002) -> None:
        self.threshold_s = threshold_s
        self.beat_s = beat_s
        self.held_s: list[float] = []
        self._beat = time.perf_counter()
        self._done = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._beating: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LoopStalls:
        self._beat = time.perf_counter()
        self._beating = asyncio.create_task(self._beats())
        self._watcher.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._done.set()
        self._watcher.join()
        if self._beating is not None:
            await cancel_and_wait(self._beating)

    async def _beats(self) -> None:
        while True:
            self._beat = time.perf_counter()
            await asyncio.sleep(self.beat_s)

    def _watch(self) -> None:
        longest = 0.0
        while not self._done.wait(0.001):
            gap = time.perf_counter() - self._beat
            if gap > self.threshold_s:
                longest = max(longest, gap)
            elif longest:
                self.held_s.append(longest)
                longest = 0.0
        if longest:
            self.held_s.append(longest)

    def summary(self) -> str:
        if not self.held_s:
            return f"never held over {self.threshold_s * 1e3:.0f} ms"
        return (
            f"held over {self.threshold_s * 1e3:.0f} ms {len(self.held_s)} times, longest "
            f"{max(self.held_s) * 1e3:.0f} ms"
        )
