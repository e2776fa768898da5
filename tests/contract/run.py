"""schemathesis against the service as deployed: a uvicorn process on a fresh PostgreSQL
database, KuCoin played by the simulator, a scored universe with members; every check, the
examples, coverage, fuzzing and stateful phases, deterministic generation and a
bounded number of examples (the same inputs every run, so a pass is not luck), every operation
but the endless event stream.

`python -m tests.contract.run --database URL [--examples 25] [--random [--seed N]] [--workers 2]
[--phases fuzzing,stateful] [-- extra st options]`
Exits with schemathesis's own code: non-zero on any failure. `--random` generates from a seed
instead (`--seed`, else a random one, printed first so a failure can be run again): other inputs
every run, to find what the fixed ones miss. `.ci/run` runs both, each on a database of its own
(created empty; this migrates it).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

from app.platform.db.migrations import upgrade_to_head
from tests.deployed import (
    API,
    ROOT,
    UNTHROTTLED,
    prime,
    process,
    service_env,
    simulator,
    uvicorn,
    wait_for,
)
from tests.sim_fixtures import free_port

CONFIG = Path(__file__).with_name("schemathesis.toml")
ADMIN_KEY = "contract-admin-key-0123456789"
HEADERS = {"X-API-Key": ADMIN_KEY}
MEMBERS = 5
PHASES = "examples,coverage,fuzzing,stateful"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--examples", type=int, default=25)
    parser.add_argument("--random", action="store_true", help="generate from a seed, not fixed")
    parser.add_argument("--seed", type=int, help="with --random (default: a random one)")
    parser.add_argument("--workers", type=int, default=1)  # one: the same inputs every run
    parser.add_argument("--phases", default=PHASES, help=f"schemathesis's (default {PHASES})")
    parser.add_argument("extra", nargs="*", help="more `st run` options (after --)")
    args = parser.parse_args()
    if args.random:
        seed = args.seed if args.seed is not None else random.randrange(2**31)
        generation = ["--seed", str(seed)]
        again = f"again: --random --seed {seed}"
        print(f"schemathesis: random generation, seed {seed} ({again})", flush=True)
    else:  # schemathesis ignores any seed in this mode
        generation = ["--generation-deterministic"]

    upgrade_to_head(args.database, "--database")
    sim_port, app_port = free_port(), free_port()
    # One key sending every generated case: its limits would answer 429 to cases the schema
    # says are fine (the 429 is documented; the limits have tests of their own).
    env = service_env(args.database, sim_port, ADMIN_KEY, **UNTHROTTLED)
    base = f"http://127.0.0.1:{app_port}"
    sim = simulator(sim_port, "30", quota=1_000_000)
    with process(sim, env, None), process(uvicorn("app.main:app", app_port), env, None):
        wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
        wait_for(f"{base}{API}/health")
        prime(base, HEADERS, MEMBERS)  # so reads have something to show
        started = time.monotonic()
        command = [
            str(Path(sys.executable).parent / "st"),
            "--config-file",
            str(CONFIG),
            "run",
            f"{base}/openapi.json",
            "--checks",
            "all",
            "--phases",
            args.phases,
            "--max-examples",
            str(args.examples),
            *generation,
            "--workers",
            str(args.workers),
            "--header",
            f"X-API-Key: {ADMIN_KEY}",
            "--request-timeout",
            "30",
            "--no-color",
            # An event stream never ends: it is checked by
            # tests/integration/platform/events/test_event_stream.py.
            "--exclude-path",
            f"{API}/events",
            *args.extra,
        ]
        contract_env = {**env, "CONTRACT_API_KEY": ADMIN_KEY}  # schemathesis.toml's auth
        code = subprocess.run(command, cwd=ROOT, env=contract_env, check=False).returncode
        print(f"schemathesis: exit {code} in {time.monotonic() - started:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
