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
import importlib
import sys
from collections.abc import Iterable, Sequence

__all__ = ["COMMANDS", "main", "parser"]

# Each command's module: its `add_commands(subparsers)` and `run(args) -> int`. A command line
# imports its own command's module alone: `migrate`, the start command's step, then loads what a
# migration needs, not every command's maths and HTTP client (3.6 s of imports on a slow core).
COMMANDS: dict[str, str] = {
    "replay": "app.cli.history",
    "calibrate": "app.cli.history",
    "import-history": "app.cli.history",
    "judge": "app.cli.judge",
    "migrate": "app.cli.migrate",
    "status": "app.cli.reads",
    "portfolio": "app.cli.reads",
    "rankings": "app.cli.reads",
    "config": "app.cli.config_command",
}


def parser(modules: Iterable[str] = COMMANDS.values()) -> argparse.ArgumentParser:
    """The options of the commands of `modules` (every command's by default)."""
    root = argparse.ArgumentParser(prog="python -m app.cli", description=__doc__.splitlines()[0])
    commands = root.add_subparsers(dest="command", required=True)
    for module in dict.fromkeys(modules):
        importlib.import_module(module).add_commands(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv`, run the command, return its exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    named = COMMANDS.get(next((a for a in argv if not a.startswith("-")), ""))
    args = parser(COMMANDS.values() if named is None else [named]).parse_args(argv)
    code: int = importlib.import_module(COMMANDS[args.command]).run(args)
    return code
