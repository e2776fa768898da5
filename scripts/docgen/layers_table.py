"""The layers of `app/` as the tests declare them (tests/unit/layers.py): the pure packages and
the import-direction table, as Markdown."""

from __future__ import annotations

from tests.unit.layers import MAY_IMPORT, PURE_EXTERNAL, PURE_PACKAGES, WIRING


def pure_packages() -> str:
    """The pure packages as a list, with what they may import besides the standard library."""
    allowed = ", ".join(f"`{m}`" for m in PURE_EXTERNAL)
    lines = [
        "The pure packages, each importing only the standard library, the other pure packages "
        f"and {allowed}:",
        "",
        *(f"- `app/{p}`" for p in PURE_PACKAGES),
    ]
    return "\n".join(lines) + "\n"


def import_direction() -> str:
    """One row per folder of `app/`: the folders it may import (besides itself and `app`)."""
    order = list(MAY_IMPORT)
    rows = ["| folder of `app/` | may import |", "| --- | --- |"]
    wiring = ", ".join(f"`{w}.py`" for w in sorted(WIRING))
    rows.append(f"| {wiring} | anything (the wiring) |")
    rank = {name: i for i, name in enumerate([*order, *sorted(WIRING)])}
    for folder in reversed(order):
        allowed = sorted(MAY_IMPORT[folder] - {folder}, key=rank.__getitem__)
        shown = ", ".join(f"`{a}`" for a in allowed) or "no other folder of `app/`"
        rows.append(f"| `{folder}` | {shown} |")
    return "\n".join(rows) + "\n"
