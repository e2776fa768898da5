"""The demo's start, again and again on a busy machine: `python -m scripts.demo` from a fresh
data folder `--starts` times in a row, each beside `--hogs` CPU-bound processes, until it prints
"running" (ready) or fails. Prints each start's outcome and time, and how many were ready.
Asserts nothing about time.

    .venv/bin/python -m tests.bench.bench_demo_starts [--starts 10] [--hogs 2]
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.machine import describe
from tests.deployed import ROOT
from tests.deployed.load import cpu_bound

READY = "running; Ctrl-C"


def start(folder: Path, timeout_s: float) -> tuple[bool, float, str]:
    """One demo start in `folder`: whether it got ready, in how long, and its last words."""
    began = time.monotonic()
    demo = subprocess.Popen(
        [sys.executable, "-m", "scripts.demo", "--dir", str(folder), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert demo.stdout is not None
    lines: list[str] = []
    ready = False
    try:
        for line in demo.stdout:
            lines.append(line.rstrip())
            if READY in line:
                ready = True
                break
            if time.monotonic() - began > timeout_s:
                break
    finally:
        demo.send_signal(signal.SIGTERM)
        try:
            demo.wait(30)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()
    said = next((line for line in reversed(lines) if "failed" in line), lines[-1] if lines else "")
    return ready, time.monotonic() - began, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--hogs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    print(describe())
    outcomes = []
    with cpu_bound(args.hogs):
        for n in range(1, args.starts + 1):
            folder = Path(tempfile.mkdtemp(prefix="bench-demo-"))
            ready, seconds, said = start(folder, args.timeout)
            outcomes.append(ready)
            print(f"start {n:>2}: {'ready' if ready else 'FAILED'} in {seconds:.1f} s: {said}")
    print(
        f"\n{sum(outcomes)} of {len(outcomes)} starts ready beside {args.hogs} CPU-bound processes"
    )


if __name__ == "__main__":
    main()
