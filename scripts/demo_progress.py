"""The demo's output: its lines as they come, and while a step waits in silence, a line at least
every `EVERY_S` naming what it waits for and for how long, so that a person watching never sits
5 s before a quiet terminal (starting the simulator, a scoring run waiting on KuCoin's quota)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType

EVERY_S = 3.5  # the longest silence while a step waits: under 5 s, with room for a busy machine


class Progress:
    """Lines printed whole, one at a time, from the demo and from its heartbeat thread (started
    by `with`; without it only the lines said are printed)."""

    def __init__(
        self, every_s: float = EVERY_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.every_s = every_s
        self._clock = clock
        self._lock = threading.Lock()
        self._last = clock()  # when the last line was printed
        self._label = ""  # what is waited for ("" while nothing is)
        self._detail = ""
        self._since = 0.0
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._run, name="demo-progress", daemon=True)

    def say(self, line: str) -> None:
        """Print `line` now."""
        with self._lock:
            print(line, flush=True)
            self._last = self._clock()

    def waiting(self, label: str, detail: str) -> None:
        """The step waited for now, and how far it is: what the heartbeat prints. A new label
        starts its clock; the same one keeps it."""
        with self._lock:
            if label != self._label:
                self._since = self._clock()
            self._label, self._detail = label, detail

    def idle(self) -> None:
        """Nothing is waited for: the heartbeat stays quiet."""
        with self._lock:
            self._label = ""

    def heartbeat(self) -> str | None:
        """The line due now (nothing printed for `every_s` while a step waits), if any."""
        now = self._clock()
        if not self._label or now - self._last < self.every_s:
            return None
        return f"  {self._label:<10} {self._detail} ({now - self._since:.0f} s)"

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            with self._lock:
                line = self.heartbeat()
                if line is not None:
                    print(line, flush=True)
                    self._last = self._clock()

    def __enter__(self) -> Progress:
        self._beat.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._beat.join(timeout=1)
