"""The service's garbage collector (app.platform.runtime.collector): cyclic garbage that reached the
oldest generation is freed by the collections on the clock, not left to the rare automatic full
ones."""

from __future__ import annotations

import asyncio
import gc
import weakref

from app.platform.runtime.collector import THRESHOLDS, service_heap


class Node:
    """An object in a reference cycle: only a collection frees it."""

    def __init__(self) -> None:
        self.itself = self


def old_cyclic_garbage() -> weakref.ref[Node]:
    """A cycle that survived two collections while in use (as a statement of a read still in
    flight does), so it sits in the oldest generation, then dropped."""
    node = Node()
    gc.collect(0)
    gc.collect(1)
    assert any(obj is node for obj in gc.get_objects(generation=2))
    return weakref.ref(node)


async def test_old_cyclic_garbage_is_freed_by_the_clocked_full_collection() -> None:
    async with service_heap(collection_every_s=0.01):
        assert gc.get_threshold() == THRESHOLDS
        garbage = old_cyclic_garbage()
        # The automatic collections at the service's thresholds do not reach it.
        gc.collect(0)
        gc.collect(1)
        assert garbage() is not None
        for _ in range(200):
            await asyncio.sleep(0.01)
            if garbage() is None:
                break
        assert garbage() is None


async def test_no_full_collection_runs_once_the_service_has_stopped() -> None:
    full: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    async with service_heap(collection_every_s=0.01):
        await asyncio.sleep(0.3)
    gc.callbacks.append(count)
    try:
        await asyncio.sleep(0.1)
    finally:
        gc.callbacks.remove(count)
    assert full == []
