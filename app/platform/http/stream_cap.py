"""How many event streams one caller, and this whole process, may hold open (`429` beyond):
each stream holds a connection, a buffer and a database session per heartbeat."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from app.platform.core.errors import TooManyRequestsError

RETRY_AFTER_S = 5  # a stream ends when its client goes: a slot is soon free again, or not


class StreamSlots:
    """Open streams counted per caller and in all; a slot is taken before the stream starts
    and given back when its response ends, however it ends."""

    def __init__(self, per_caller: int, in_all: int) -> None:
        self.per_caller, self.in_all = per_caller, in_all
        self.open = 0
        self._by_caller: dict[str, int] = {}  # callers with a stream open: at most `in_all`

    def take(self, caller: str) -> None:
        """One slot for `caller`, or TooManyRequestsError naming the cap that is full."""
        held = self._by_caller.get(caller, 0)
        if held >= self.per_caller:
            raise TooManyRequestsError(
                f"This caller holds {held} event streams, the most one may hold on this "
                "replica; close one first.",
                retry_after_s=RETRY_AFTER_S,
                extra={"limit": "streams_per_key"},
            )
        if self.open >= self.in_all:
            raise TooManyRequestsError(
                f"This replica serves {self.open} event streams, the most it serves; "
                "retry later (or on another replica).",
                retry_after_s=RETRY_AFTER_S,
                extra={"limit": "streams_per_process"},
            )
        self._by_caller[caller] = held + 1
        self.open += 1

    def give_back(self, caller: str) -> None:
        held = self._by_caller.get(caller, 0)
        if held <= 1:
            self._by_caller.pop(caller, None)
        else:
            self._by_caller[caller] = held - 1
        self.open = max(0, self.open - 1)


class SlottedStream(StreamingResponse):
    """A streaming response that holds a slot for as long as it is sent: taken as it starts
    (429 before any byte when the caps are full), given back when it is over, however it ends.
    Nothing between the route's return and the start (a dependency's teardown that fails, a
    client gone) can keep a slot, since none is held yet."""

    def __init__(
        self,
        content: AsyncIterator[str],
        *,
        slots: StreamSlots,
        caller: str,
        media_type: str,
        headers: Mapping[str, str],
    ) -> None:
        super().__init__(content, media_type=media_type, headers=headers)
        self._slots, self._caller = slots, caller

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._slots.take(self._caller)  # TooManyRequestsError: rendered as a 429 problem
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._slots.give_back(self._caller)
