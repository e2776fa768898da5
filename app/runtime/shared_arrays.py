"""Numpy arrays handed to a worker process through one block of shared memory, not pickle.

Pickling an array copies it inside one C call that holds the GIL throughout: ~6 MB of tables
kept the event loop from answering for 5-8 ms. Here the service copies them into the block on
a thread (numpy releases the GIL for a large copy), only the block's name and layout travel by
pickle, and the worker copies them out.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from multiprocessing.shared_memory import SharedMemory
from typing import Literal

import numpy as np

ALIGN = 64  # each array starts on a cache line


@dataclass(frozen=True)
class Slot:
    key: str
    dtype: str
    shape: tuple[int, ...]
    order: Literal["C", "F"]  # as the array was (a reduction's order of summation follows it)
    offset: int  # in bytes, from the block's start

    def view(self, buffer: memoryview) -> np.ndarray:
        return np.ndarray(self.shape, self.dtype, buffer, self.offset, order=self.order)


@dataclass(frozen=True)
class SharedArrays:
    """What a worker receives: the block's name and where each array lies in it."""

    block: str
    slots: tuple[Slot, ...]

    def load(self) -> dict[str, np.ndarray]:
        """In the worker: each array, copied out of the block (which its owner may then free)."""
        memory = SharedMemory(name=self.block)  # registered again with the owner's tracker
        try:
            buffer = memory.buf
            assert buffer is not None  # until closed
            return {slot.key: slot.view(buffer).copy(order="K") for slot in self.slots}
        finally:
            memory.close()


def _layout(arrays: Mapping[str, np.ndarray]) -> tuple[tuple[Slot, ...], int]:
    slots, end = [], 0
    for key, array in arrays.items():
        offset = -(-end // ALIGN) * ALIGN
        fortran = array.flags.f_contiguous and not array.flags.c_contiguous
        order: Literal["C", "F"] = "F" if fortran else "C"
        slots.append(Slot(key, array.dtype.str, array.shape, order, offset))
        end = offset + array.nbytes
    return tuple(slots), end


def _fill(arrays: Mapping[str, np.ndarray]) -> tuple[SharedArrays, SharedMemory]:
    slots, size = _layout(arrays)
    memory = SharedMemory(create=True, size=max(size, 1))
    try:
        _copy_into(memory, slots, arrays)
    except BaseException:
        memory.unlink()  # its name now; its pages once nothing maps them
        raise
    return SharedArrays(memory.name, slots), memory


def _copy_into(
    memory: SharedMemory, slots: tuple[Slot, ...], arrays: Mapping[str, np.ndarray]
) -> None:
    buffer = memory.buf
    assert buffer is not None
    for slot in slots:
        np.copyto(slot.view(buffer), arrays[slot.key])  # no view outlives the call


@contextlib.asynccontextmanager
async def sharing(arrays: Mapping[str, np.ndarray]) -> AsyncIterator[SharedArrays]:
    """`arrays` in a new block, copied there on a thread; the block is freed on exit."""
    shared, memory = await asyncio.to_thread(_fill, arrays)
    try:
        yield shared
    finally:
        memory.close()
        memory.unlink()
