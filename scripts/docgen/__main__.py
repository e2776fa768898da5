"""`python -m scripts.docgen` rewrites every generated block of the docs; `--check` changes
nothing and fails, naming the stale files, when one differs from what it would write."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from scripts.docgen import environment_table, layers_table, runtime_table
from scripts.docgen.blocks import replace_block

ROOT = Path(__file__).resolve().parents[2]
COMMAND = ".venv/bin/python -m scripts.docgen"

# file (from the repository root) -> block name -> what writes it
TARGETS: dict[str, dict[str, Callable[[], str]]] = {
    "docs/configuration.md": {
        "environment": environment_table.markdown,
        "runtime-settings": runtime_table.markdown,
    },
    "docs/architecture.md": {
        "domain-order": layers_table.domain_order,
        "pure-packages": layers_table.pure_packages,
        "import-direction": layers_table.import_direction,
    },
    "AGENTS.md": {
        "domain-order": layers_table.domain_order,
        "pure-packages": layers_table.pure_packages,
        "import-direction": layers_table.import_direction,
    },
}


def generated(path: str, root: Path = ROOT) -> tuple[str, str]:
    """(the file as it is, the file with its blocks regenerated)."""
    current = (root / path).read_text()
    text = current
    for name, write in TARGETS[path].items():
        text = replace_block(text, name, write())
    return current, text


def stale(root: Path = ROOT) -> list[str]:
    """The target files whose generated blocks differ from what would be written now."""
    found = []
    for path in TARGETS:
        current, text = generated(path, root)
        if text != current:
            found.append(path)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.docgen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when a file is stale")
    args = parser.parse_args(argv)
    if args.check:
        found = stale()
        for path in found:
            print(f"{path} is stale: run {COMMAND}", file=sys.stderr)
        return 1 if found else 0
    for path in TARGETS:
        current, text = generated(path)
        if text != current:
            (ROOT / path).write_text(text)
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
