"""Benchmark: the pre-registered candidate family judged on every shared dataset
(`python -m app.cli judge`, two worker processes), wall time and peak memory.

`python -m tests.bench.bench_judge [--workers 2]`
Reads `../shared/market-data/` in place (every folder the family registers a training window
for). Numbers only, no assertions. Goal (issue 40): <= 60 s on this 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from app.cli import main
from app.records.keeping.family import TRAINING_DAYS
from tests.bench.machine import describe
from tests.shared_data import MARKET_DATA

GOAL_S = 60.0


def run(workers: int) -> None:
    folders = [MARKET_DATA / name for name in sorted(TRAINING_DAYS)]
    missing = [f.name for f in folders if not f.is_dir()]
    if missing:
        raise SystemExit(f"absent from {MARKET_DATA}: {', '.join(missing)}")
    print(describe())
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "judge.json"
        argv = [
            "judge",
            *(a for f in folders for a in ("--data", str(f))),
            "--out",
            str(out),
            "--workers",
            str(workers),
        ]
        started = time.perf_counter()
        code = main(argv)
        wall = time.perf_counter() - started
        size = out.stat().st_size if out.exists() else 0
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"datasets {len(folders)}, workers {workers}: exit {code}, {wall:.1f} s, report {size} B")
    print(f"peak RSS: this process {own:.0f} MB, largest worker {children:.0f} MB")
    print(f"goal: <= {GOAL_S:.0f} s, took {wall:.1f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    run(parser.parse_args(sys.argv[1:]).workers)
