"""The C heap's freed memory handed back to the system (app.platform.runtime.heap)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import pytest

from app.platform.runtime.heap import ARENAS, trim_free_heap

# In a process of its own: 1 601 blocks of 64 KiB (under glibc's mmap threshold: from the heap),
# written so that they are resident, then all but the last freed (it keeps the heap's top from
# shrinking by itself). What is resident before and after the trim.
FRAGMENTED_THEN_TRIMMED = """
import ctypes, json, os
from app.platform.runtime.heap import trim_free_heap
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


def in_own_process(script: str, *args: str, **env: str) -> str:
    """What `script` prints, run by a fresh interpreter with `env` on top of this environment
    (less any `MALLOC_ARENA_MAX` of its own)."""
    environment = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**environment, **env},
    ).stdout


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_the_freed_heap_goes_back_to_the_system() -> None:
    measured = json.loads(in_own_process(FRAGMENTED_THEN_TRIMMED))
    assert measured["trimmed"] is True
    # 100 MB were freed but stayed resident until the trim returned them.
    assert measured["before"] - measured["after"] > 80 * 1024 * 1024, measured


def test_elsewhere_than_glibc_nothing_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.platform.runtime import heap

    heap._glibc.cache_clear()
    monkeypatch.setattr(platform, "libc_ver", lambda: ("", ""))
    try:
        assert trim_free_heap() is False
    finally:
        heap._glibc.cache_clear()


# In a process of its own, with the threshold held or left to glibc: a mapped block of 8 MiB
# freed, then one of 1 MiB taken. What glibc has mapped (`mallinfo2().hblkhd`) then.
LARGE_FREED_THEN_SMALLER = """
import ctypes, json, sys
from app.platform.runtime.heap import hold_mmap_threshold
held = hold_mmap_threshold() if sys.argv[1] == "held" else None
class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = Mallinfo2
large = libc.malloc(8 << 20)
libc.free(large)
mapped_before = libc.mallinfo2().hblkhd
smaller = libc.malloc(1 << 20)
print(json.dumps({"held": held, "mapped": libc.mallinfo2().hblkhd - mapped_before}))
"""


def _large_freed_then_smaller(mode: str, **env: str) -> dict[str, int | bool | None]:
    measured: dict[str, int | bool | None] = json.loads(
        in_own_process(LARGE_FREED_THEN_SMALLER, mode, **env)
    )
    return measured


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
class TestMmapThreshold:
    def test_left_to_glibc_a_large_block_freed_sends_smaller_ones_to_the_heap(self) -> None:
        # The behaviour the held threshold ends: 1 MiB would have been mapped at the start.
        assert _large_freed_then_smaller("glibc")["mapped"] == 0

    def test_held_the_smaller_block_is_mapped_and_returned_on_free(self) -> None:
        measured = _large_freed_then_smaller("held")
        assert measured["held"] is True
        assert measured["mapped"] >= 1 << 20, measured

    def test_an_operators_own_setting_is_left_as_glibc_applied_it(self) -> None:
        measured = _large_freed_then_smaller("held", MALLOC_MMAP_THRESHOLD_=str(16 << 20))
        assert measured == {"held": False, "mapped": 0}


# In a process of its own, with the arenas limited or left to glibc: six threads each take a
# block and hold it until all have. How many arenas glibc then has (`malloc_stats` lists them).
THREADS_EACH_ALLOCATE = """
import ctypes, json, os, sys, threading
from app.platform.runtime.heap import limit_arenas
limited = limit_arenas() if sys.argv[1] == "limited" else None
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
all_hold = threading.Barrier(6)
def allocate():
    libc.malloc(4096)
    all_hold.wait()
threads = [threading.Thread(target=allocate) for _ in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
sys.stderr.flush()
os.dup2(1, 2)  # malloc_stats writes to stderr
print(json.dumps({"limited": limited}), flush=True)
libc.malloc_stats()
"""


def _arenas(mode: str, **env: str) -> tuple[bool | None, int]:
    first, _, stats = in_own_process(THREADS_EACH_ALLOCATE, mode, **env).partition("\n")
    limited: bool | None = json.loads(first)["limited"]
    return limited, sum(1 for line in stats.splitlines() if line.startswith("Arena "))


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
class TestArenas:
    def test_left_to_glibc_each_thread_gets_an_arena_of_its_own(self) -> None:
        assert _arenas("glibc") == (None, 7)

    def test_limited_the_threads_share_two(self) -> None:
        assert _arenas("limited") == (True, ARENAS)

    def test_an_operators_own_setting_is_left_as_glibc_applied_it(self) -> None:
        assert _arenas("limited", MALLOC_ARENA_MAX="3") == (False, 3)
