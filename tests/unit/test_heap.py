"""The C heap's freed memory handed back to the system (app.runtime.heap)."""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import pytest

from app.runtime.heap import trim_free_heap

# In a process of its own: 1 601 blocks of 64 KiB (under glibc's mmap threshold: from the heap),
# written so that they are resident, then all but the last freed (it keeps the heap's top from
# shrinking by itself). What is resident before and after the trim.
FRAGMENTED_THEN_TRIMMED = """
import ctypes, json, os
from app.runtime.heap import trim_free_heap
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
page = os.sysconf("SC_PAGE_SIZE")
def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * page
blocks = [libc.malloc(64 * 1024) for _ in range(1601)]
for block in blocks:
    ctypes.memset(block, 1, 64 * 1024)
for block in blocks[:-1]:
    libc.free(block)
before = resident()
trimmed = trim_free_heap()
print(json.dumps({"before": before, "after": resident(), "trimmed": trimmed}))
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_the_freed_heap_goes_back_to_the_system() -> None:
    out = subprocess.run(
        [sys.executable, "-c", FRAGMENTED_THEN_TRIMMED], capture_output=True, text=True, check=True
    ).stdout
    measured = json.loads(out)
    assert measured["trimmed"] is True
    # 100 MB were freed but stayed resident until the trim returned them.
    assert measured["before"] - measured["after"] > 80 * 1024 * 1024, measured


def test_elsewhere_than_glibc_nothing_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.runtime import heap

    heap._malloc_trim.cache_clear()
    monkeypatch.setattr(platform, "libc_ver", lambda: ("", ""))
    try:
        assert trim_free_heap() is False
    finally:
        heap._malloc_trim.cache_clear()
