"""scripts/compile_bytecode.py, which compiles the image's libraries: bytecode without docstrings
or asserts that the interpreter, at its default level, loads as the usual kind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "compile_bytecode.py"
MODULE = '''"""The module's docstring."""
import sys


def documented():
    """The function's docstring."""


assert False, "an assert"
print(sys.flags.optimize, __doc__, documented.__doc__)
'''


def compile_bytecode(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60
    )


def imported(root: Path, module: str) -> str:
    """What `module` under `root` prints when a fresh interpreter, at its default level and
    writing no bytecode, imports it."""
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONOPTIMIZE", None)
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    package = tmp_path / "library"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "module.py").write_text(MODULE)
    return package


def test_the_default_level_loads_it_without_docstrings_or_asserts(library: Path) -> None:
    done = compile_bytecode(str(library))

    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{library}: 2 files compiled\n"
    assert (library / "__pycache__" / f"module.{sys.implementation.cache_tag}.pyc").exists()
    assert imported(library.parent, "library.module") == "0 None None"


def test_a_source_changed_since_is_compiled_anew_with_its_docstrings(library: Path) -> None:
    assert compile_bytecode(str(library)).returncode == 0
    (library / "module.py").write_text(MODULE.replace("assert False", "assert True  # edited"))

    assert imported(library.parent, "library.module") == (
        "0 The module's docstring. The function's docstring."
    )


def test_excluded_paths_are_left_alone(library: Path) -> None:
    done = compile_bytecode("--exclude", "/module\\.py$", str(library))

    assert done.stdout == f"{library}: 1 files compiled\n"
    assert not (library / "__pycache__" / f"module.{sys.implementation.cache_tag}.pyc").exists()


def test_a_file_that_does_not_compile_fails_it_by_name(library: Path) -> None:
    (library / "broken.py").write_text("def broken(:\n")

    done = compile_bytecode(str(library))

    assert done.returncode == 1
    assert "broken.py" in done.stderr
