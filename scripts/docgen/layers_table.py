"""The layers of `app/` as the tests declare them (tests/unit/layers.py): the pure packages and
the import-direction table, as Markdown."""

from __future__ import annotations

import textwrap

from tests.unit.layers import MAY_IMPORT, PURE_EXTERNAL, PURE_PACKAGES, WIRING


def pure_packages() -> str:
    """The pure packages as a list, with what they may import besides the standard library."""
    allowed = ", ".join(f"`{m}`" for m in PURE_EXTERNAL)
    intro = (
        "The pure packages, each importing only the standard library, the other pure packages "
        f"and {allowed}:"
    )
    lines = [*textwrap.wrap(intro, 100), "", *(f"- `app/{p}`" for p in PURE_PACKAGES)]
    return "\n".join(lines) + "\n"


def import_direction() -> str:
    """One row per folder of `app/` (folders that may import the same, each other included,
    share a row): the folders it may import besides itself and `app`."""
    order = list(MAY_IMPORT)
    rank = {name: i for i, name in enumerate([*order, *sorted(WIRING)])}
    groups: list[list[str]] = []
    for folder in reversed(order):
        reach = MAY_IMPORT[folder] | {folder}
        if groups and MAY_IMPORT[groups[-1][0]] | {groups[-1][0]} == reach:
            groups[-1].append(folder)
        else:
            groups.append([folder])
    rows = ["| folder of `app/` | may import |", "| --- | --- |"]
    wiring = ", ".join(f"`{w}.py`" for w in sorted(WIRING))
    rows.append(f"| {wiring} | anything (the wiring) |")
    for group in groups:
        members = sorted(group, key=rank.__getitem__)
        allowed = sorted(MAY_IMPORT[group[0]] - set(group), key=rank.__getitem__)
        shown = [f"`{a}`" for a in allowed] + (["each other"] if len(group) > 1 else [])
        folders = ", ".join(f"`{f}`" for f in members)
        rows.append(f"| {folders} | {', '.join(shown) or 'no other folder of `app/`'} |")
    return "\n".join(rows) + "\n"
