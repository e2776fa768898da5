"""One line saying what a benchmark ran on: timings are only comparable on the same processor at
the same load, and sessions do not always get the same one."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import numpy as np


def _cpuinfo() -> dict[str, str]:
    """The first processor's fields in /proc/cpuinfo (empty where there is none)."""
    path = Path("/proc/cpuinfo")
    fields: dict[str, str] = {}
    if not path.exists():
        return fields
    for line in path.read_text().splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def describe() -> str:
    """Processor model (family/model), CPUs, whether AVX-512 is there (numpy's kernels differ),
    the load average now, Python and numpy."""
    info = _cpuinfo()
    model = info.get("model name") or platform.processor() or "unknown processor"
    if "cpu family" in info:
        model += f" (family {info['cpu family']}, model {info.get('model', '?')})"
    avx512 = "avx512f" in info.get("flags", "").split()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: {model}, {os.cpu_count()} CPUs, AVX-512 {'yes' if avx512 else 'no'}, "
        f"load {load}; Python {platform.python_version()}, numpy {np.__version__}"
    )
