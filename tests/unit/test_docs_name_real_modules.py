"""AGENTS.md and docs/architecture.md name only modules, packages and files that exist, and the
architecture page's folder block and AGENTS.md's list of service domains leave none out.

What counts as a name, as the two pages write them: a path under `app/`, `tests/` or
`scripts/` in code (`app/platform/db/engine.py`, `tests/unit`; relative to `app/` or to the
platform too, as the architecture page writes `lab/replay` and `runtime/offload`; a module without
its `.py`; cut at a placeholder: `app/<domain>/` names `app`), a dotted module in
code (`app.platform.core.units`, `python -m scripts.docgen`), and in the folder block each path of
its first column, with the modules its lines name in parentheses after what they do (`the clock
(clock)`, `(offload: scoring; evidence)`) and the files they name (`judge.py`), in the line's
folder. So the folder block writes what a module does first and its name after, in parentheses: a
bare name before its description (`deps (aliases …)`) reads as prose. Class names are not checked:
only the modules they are said to be in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.layers import DOMAINS as LAYER_DOMAINS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ("AGENTS.md", "docs/architecture.md")
ROOTS = ("app", "tests", "scripts")
APP = ROOT / "app"

CODE = re.compile(r"`([^`\n]+)`")
DOTTED = re.compile(r"(?:app|tests|scripts)(?:\.[A-Za-z_]\w*)+")
RUN_MODULE = re.compile(r"python -m ([\w.]+)")
FIRST_COLUMN = re.compile(r"([\w./*-]+(?:, [\w./*-]+)*)(?:\s+(.*))?")
# `(clock)`, `(offload: …)`: a module named after what it does (not a call: `create_app(…)`).
IN_PARENTHESES = re.compile(r"(?<!\w)\(([a-z_][a-z0-9_]*)[:;)]")
PY_FILE = re.compile(r"(?<![\w/.])((?:[\w-]+/)*[\w-]+\.py)\b")
DOMAINS = re.compile(r"`app/<domain>/` \(([^)]*)\)")


# What runs write (`tests/browser/output/`): named by the docs, there once a run made it.
MADE_BY_RUNS = {line.rstrip("/") for line in (ROOT / ".gitignore").read_text().splitlines()}


def exists(path: str) -> bool:
    """`path`, from the repository's root, is a file or folder, or a module without `.py` (or
    what a run writes there)."""
    return (ROOT / path).exists() or (ROOT / f"{path}.py").is_file() or path in MADE_BY_RUNS


def untemplated(path: str) -> str:
    """`path` up to its first placeholder (`<domain>`, `...`)."""
    kept = []
    for part in path.split("/"):
        if "<" in part or part == "...":
            break
        kept.append(part)
    return "/".join(kept).rstrip("/") or path


def in_code(text: str) -> Iterator[tuple[str, list[str]]]:
    """(a name written in code, the paths it may mean) for each path or dotted module there."""
    for span in CODE.findall(text):
        for word in span.split():
            word = word.strip("()[],;:")
            if DOTTED.fullmatch(word):
                yield word, [word.replace(".", "/")]
            elif "/" in word and not word.startswith(("/", ".")):
                path = untemplated(word)
                head = path.split("/")[0]
                if head in ROOTS:
                    yield word, [path]
                elif (APP / head).is_dir():
                    yield word, [f"app/{path}"]
                elif (APP / "platform" / head).is_dir():  # a part of the platform
                    yield word, [f"app/platform/{path}"]


def folder_block(text: str) -> str:
    """The architecture page's code block under "The folders"."""
    section = text.split("### The folders", 1)[1]
    return section.split("```", 2)[1]


def folder_entries(block: str) -> Iterator[tuple[list[str], str]]:
    """(the paths of a line's first column, its description with its continuation lines)."""
    entries: list[tuple[list[str], list[str]]] = []
    for line in block.splitlines():
        if line and not line[0].isspace():
            match = FIRST_COLUMN.fullmatch(line)
            assert match is not None, f"a folder line without a path first: {line!r}"
            first, *siblings = match.group(1).split(", ")
            parent = str(Path(first.rstrip("/")).parent)
            paths = [first.rstrip("/")] + [f"{parent}/{s}".removeprefix("./") for s in siblings]
            entries.append((paths, [match.group(2) or ""]))
        elif entries:
            entries[-1][1].append(line.strip())
    for paths, description in entries:
        yield paths, " ".join(description)


def in_folder_block(text: str) -> Iterator[tuple[str, list[str]]]:
    """(a name the folder block writes, the paths it may mean)."""
    for paths, description in folder_entries(folder_block(text)):
        for path in paths:
            if "*" not in path:
                yield path, [path]
        folder = paths[0] if (ROOT / paths[0]).is_dir() else str(Path(paths[0]).parent)
        if folder.split("/")[0] not in ROOTS:
            continue
        for module in IN_PARENTHESES.findall(description):
            yield f"({module}) in {folder}/", [f"{folder}/{module}"]
        for file in PY_FILE.findall(description):
            yield f"{file} in {folder}/", [f"{folder}/{file}", f"app/{file}", file]
        for module in RUN_MODULE.findall(description):
            yield module, [module.rstrip(".").replace(".", "/")]


def named(doc: str) -> Iterator[tuple[str, list[str]]]:
    text = (ROOT / doc).read_text()
    yield from in_code(text)
    if doc == "docs/architecture.md":
        yield from in_folder_block(text)


def packages(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}


class TestTheDocsNameRealModules:
    @pytest.mark.parametrize("doc", DOCS)
    def test_every_module_path_named_exists(self, doc: str) -> None:
        names = list(named(doc))
        assert len(names) > 20  # the parsing found the doc's names
        missing = sorted({name for name, paths in names if not any(map(exists, paths))})
        assert missing == [], f"{doc} names what does not exist"

    def test_the_folder_block_has_a_line_for_every_package_of_app_and_of_its_platform(
        self,
    ) -> None:
        text = (ROOT / "docs/architecture.md").read_text()
        listed = {p for paths, _ in folder_entries(folder_block(text)) for p in paths}
        wanted = {f"app/{p}" for p in packages(APP)}
        wanted |= {f"app/platform/{p}" for p in packages(APP / "platform")}
        # A folder is there on a line of its own, or by the lines of what it holds.
        unlisted = [w for w in wanted if not any(p == w or p.startswith(f"{w}/") for p in listed)]
        assert sorted(unlisted) == []

    def test_agents_lists_every_domain(self) -> None:
        [written] = DOMAINS.findall((ROOT / "AGENTS.md").read_text())
        domains = set(CODE.findall(written))
        assert sorted(domains ^ set(LAYER_DOMAINS)) == []


class TestTheParsing:
    def test_a_missing_module_is_found_in_each_form(self) -> None:
        text = (
            "`app/gone.py`, `runs/gone`, `app.gone`, `python -m scripts.gone`, "
            "`app/<domain>/`\n### The folders\n\n```\n"
            "app/platform/core/      the clock (clock), the void (gone), create_app(environment)\n"
            "                        and gone.py\n"
            "app/gone/               what is not there\n```\n"
        )
        names = list(in_code(text)) + list(in_folder_block(text))
        missing = [name for name, paths in names if not any(map(exists, paths))]
        assert missing == [
            "app/gone.py",
            "runs/gone",
            "app.gone",
            "scripts.gone",
            "(gone) in app/platform/core/",
            "gone.py in app/platform/core/",
            "app/gone",
        ]
