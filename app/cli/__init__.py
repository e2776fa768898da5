"""`python -m app.cli …`: command-line entry points, thin like the routers.

Local work on history: `replay`, `calibrate`, `import-history` (see `app.cli.history`);
`judge`, the pre-registered candidate family (`app.cli.judge`).
`migrate`, the start command's migration step (`app.cli.migrate`).
The service's HTTP API (`--url`, key from MYSYMBOLS_API_KEY): `status`, `portfolio`,
`rankings`, `config get|set`. Exit codes: 0 done, 1 the service refused or did not answer
(its problem printed on stderr) or is not ready, 2 bad command-line input.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from app.cli.api import ApiProblem, Unreachable
from app.cli.config import UsageError, add_config_commands, run_config
from app.cli.history import HISTORY_COMMANDS, add_history_commands, run_history
from app.cli.judge import add_judge_command, run_judge
from app.cli.migrate import add_migrate_command, run_migrate
from app.cli.output import show_problem
from app.cli.reads import add_read_commands, run_read
from app.cli.runs import default_range

__all__ = ["default_range", "main", "parser"]


def parser() -> argparse.ArgumentParser:
    """Every command's options."""
    root = argparse.ArgumentParser(prog="python -m app.cli", description=__doc__.splitlines()[0])
    commands = root.add_subparsers(dest="command", required=True)
    add_history_commands(commands)
    add_judge_command(commands)
    add_migrate_command(commands)
    add_read_commands(commands)
    add_config_commands(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv`, run the command, return its exit code."""
    args = parser().parse_args(argv)
    if args.command == "judge":
        return run_judge(args)
    if args.command == "migrate":
        return run_migrate(args)
    if args.command in HISTORY_COMMANDS:
        return run_history(args)
    name = f"{args.command} {args.action}" if args.command == "config" else args.command
    try:
        return asyncio.run(run_config(args) if args.command == "config" else run_read(args))
    except ApiProblem as problem:
        show_problem(name, problem)
        return 1
    except Unreachable as exc:
        sys.stderr.write(f"{name}: the service did not answer: {exc}\n")
        return 1
    except UsageError as exc:
        sys.stderr.write(f"{name}: {exc}\n")
        return 2
