"""Compile the third-party code the service runs, as the image ships it: without docstrings.

`python scripts/compile_bytecode.py [--exclude REGEX] DIR ...` compiles every `.py` under each
DIR at optimisation level 2 (no docstrings, no asserts) into the bytecode file the interpreter
loads at its default level (`__pycache__/NAME.cpython-311.pyc`), replacing any there, and fails
on a file that does not compile.

The interpreter does not check which level a bytecode file was compiled at, only that it matches
its source, so the service runs at the default level: the project's own code (compiled as usual)
keeps its docstrings, which are its OpenAPI descriptions and its command-line help, and its
asserts; the libraries' docstrings, 5-7 MB of every process that imports them (SQLAlchemy's and
numpy's most), are not loaded (docs/operations.md, "The image"). `python -OO` would drop the
project's too. A library edited or reinstalled in place has bytecode that no longer matches its
source: the interpreter compiles it anew, as usual, docstrings and all.
"""

from __future__ import annotations

import argparse
import importlib.util
import py_compile
import re
import sys
from pathlib import Path

WITHOUT_DOCSTRINGS_OR_ASSERTS = 2


def compile_tree(root: Path, exclude: re.Pattern[str] | None) -> int:
    """Compile every source file under `root` not matched by `exclude`; how many."""
    compiled = 0
    for source in sorted(root.rglob("*.py")):
        if exclude is not None and exclude.search(str(source)):
            continue
        py_compile.compile(
            str(source),
            cfile=importlib.util.cache_from_source(str(source)),
            doraise=True,
            optimize=WITHOUT_DOCSTRINGS_OR_ASSERTS,
        )
        compiled += 1
    return compiled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+", type=Path, metavar="DIR")
    parser.add_argument("--exclude", type=re.compile, help="skip the paths this matches")
    args = parser.parse_args()
    try:
        for root in args.roots:
            print(f"{root}: {compile_tree(root, args.exclude)} files compiled")
    except py_compile.PyCompileError as error:
        sys.exit(f"compile_bytecode: {error.msg}")


if __name__ == "__main__":
    main()
