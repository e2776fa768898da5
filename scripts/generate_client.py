"""clients/python, the typed Python client, generated from the service's OpenAPI document.

    scripts/dev.sh client            # regenerate clients/python (commit the result)
    scripts/dev.sh client --check    # regenerate aside; fail when clients/python differs
    scripts/dev.sh client --document PATH   # only write the document, as the client reads it
                                     # (scripts/check-openapi.sh lints it)

The document comes from the app itself (`create_app(Environment())` with the default environment, no
server and no MYSYMBOLS_* variable), openapi-python-client writes the package with
clients/python/config.yaml, and its ruff hooks format it. Everything in clients/python but
config.yaml is generated: never edit it by hand.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLIENT = ROOT / "clients" / "python"
CONFIG = CLIENT / "config.yaml"
DOCUMENT = "openapi.json"  # kept beside the package: a diff of the API as clients see it
HAND_WRITTEN = {CONFIG.name}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document the service serves with its default environment."""
    from app.main import create_app
    from app.platform.core.environment import Environment

    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("MYSYMBOLS_")}
    try:
        environment = Environment(log_level="WARNING")
    finally:
        os.environ.update(saved)
    return create_app(environment).openapi()


def without_recursion(document: dict[str, Any]) -> dict[str, Any]:
    """The document with each self-referencing schema (StorableJson: any JSON value) made an
    unconstrained one: openapi-python-client cannot generate recursive schemas (its issue #338)
    and would drop every operation using them; the service still validates what it receives."""
    schemas = document.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if f'"#/components/schemas/{name}"' in json.dumps(schema):
            schemas[name] = {
                "description": f"Any JSON value ({name}; recursive in the service's "
                "document, where its constraints are)."
            }
    return document


def write_document(path: Path) -> None:
    """The document as `clients/python/openapi.json` holds it (sorted keys)."""
    path.write_text(json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n")


def generate(into: Path) -> None:
    """Write the document and the generated project into the empty directory `into`."""
    write_document(into / DOCUMENT)
    document = json.loads((into / DOCUMENT).read_text())
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / DOCUMENT
        source.write_text(json.dumps(without_recursion(document), indent=2, sort_keys=True))
        project = Path(scratch) / "project"
        tools = str(Path(sys.executable).parent)  # the post hooks' ruff: this venv's
        search = f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"
        env = {**os.environ, "PATH": search, "RUFF_NO_CACHE": "true"}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "openapi_python_client",
                "generate",
                "--path",
                str(source),
                "--config",
                str(CONFIG),
                "--meta",
                "uv",
                "--output-path",
                str(project),
                "--fail-on-warning",
            ],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(project / ".ruff_cache", ignore_errors=True)  # the post hooks' leftovers
        for path in project.iterdir():
            shutil.move(str(path), into / path.name)


CACHES = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"}  # tools' leftovers


def files(tree: Path) -> dict[str, str]:
    return {
        str(path.relative_to(tree)): path.read_text()
        for path in sorted(tree.rglob("*"))
        if path.is_file() and not CACHES & set(path.parts) and path.name not in HAND_WRITTEN
    }


def check() -> int:
    """0 when clients/python is what generating it now writes; else the differences, and 1."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = files(_generated(Path(scratch)))
    current = files(CLIENT)
    differ = sorted(
        name for name in fresh.keys() | current.keys() if fresh.get(name) != current.get(name)
    )
    for name in differ:
        sys.stdout.writelines(
            difflib.unified_diff(
                current.get(name, "").splitlines(keepends=True),
                fresh.get(name, "").splitlines(keepends=True),
                f"clients/python/{name} (checked in)",
                f"clients/python/{name} (generated)",
            )
        )
    if differ:
        print(
            f"clients/python is stale ({len(differ)} files): run scripts/dev.sh client",
            file=sys.stderr,
        )
        return 1
    return 0


def _generated(scratch: Path) -> Path:
    tree = scratch / "python"
    tree.mkdir()
    generate(tree)
    return tree


def write() -> None:
    """Replace everything generated in clients/python by a fresh generation."""
    with tempfile.TemporaryDirectory() as scratch:
        tree = _generated(Path(scratch))
        for path in CLIENT.iterdir():
            if path.name not in HAND_WRITTEN:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        for path in tree.iterdir():
            shutil.move(str(path), CLIENT / path.name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when clients/python differs")
    parser.add_argument("--document", type=Path, help="only write the OpenAPI document here")
    arguments = parser.parse_args()
    if arguments.document is not None:
        write_document(arguments.document)
        return 0
    if arguments.check:
        return check()
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
