"""The layers of `app/` as the tests declare them (tests/unit/layers.py): the domains' order, the
pure packages and the import-direction table, as Markdown."""

from __future__ import annotations

import textwrap

from tests.unit.layers import (
    BELOW_KINDS,
    BY_KIND,
    DOMAIN_BUILDER,
    DOMAIN_ORDER,
    DOMAINS,
    MAY_IMPORT,
    PURE_EXTERNAL,
    PURE_PACKAGES,
    WIRING,
)


def shown(unit: str) -> str:
    """A unit as a path under `app/`: `signals.voting` is the folder `signals/voting`, a domain's
    models the module `signals/models.py`."""
    path = unit.replace(".", "/")
    return f"`{path}.py`" if unit.endswith(".models") else f"`{path}`"


def pure_folders(domain: str, pures: tuple[str, ...]) -> str:
    """A domain's pure sub-folders, as the domains' line shows them (nothing when none)."""
    return f" (pure: {', '.join(f'`app/{domain}/{p}`' for p in pures)})" if pures else ""


def domain_order() -> str:
    """The domains lowest first, which have their folder, and the rule between them."""
    below = ", ".join(f"`{d}`" for d in DOMAIN_ORDER if d in BELOW_KINDS)
    landed = ", ".join(f"`app/{d}`" + pure_folders(d, pures) for d, pures in DOMAINS.items())
    intro = (
        "The domains, lowest first; each may import the domains before it, never one after it "
        "(a name in plain text is not a domain folder yet: its code is still laid out by kind): "
        + ", ".join(f"`{d}`" if d in DOMAINS else d for d in DOMAIN_ORDER)
        + f". In their own folder so far: {landed}. A domain's folder may import the kind "
        "folders but the wiring; its pure sub-folder is a pure package, its `models.py` sits "
        "with `db` (whose `app.db.models` registers it on the one metadata). Only `app/main.py` "
        "includes a domain's router"
        + (
            f"; below the drivers, only `{DOMAIN_BUILDER}` imports a domain's modules (not its "
            "router), to build its services for the jobs and the command line"
            + (
                f", but for a domain before every one still laid out by kind ({below}): it sits "
                "below the kind folders, which may import it, and imports none of their use "
                "cases (`services`)."
                if below
                else "."
            )
            if BY_KIND
            else ". Every domain but kucoin has its folder: the kind folders hold only the "
            "platform's services (`services`: the run engine, events, webhooks, health, "
            "retention), which every domain may import; they may import every domain but its "
            f"router and jobs, and no domain imports `{DOMAIN_BUILDER}`, which builds them."
        )
    )
    return "\n".join(textwrap.wrap(intro, 100, break_on_hyphens=False)) + "\n"


def pure_packages() -> str:
    """The pure packages as a list, with what they may import besides the standard library."""
    allowed = ", ".join(f"`{m}`" for m in PURE_EXTERNAL)
    intro = (
        "The pure packages, each importing only the standard library, the other pure packages "
        f"and {allowed}:"
    )
    lines = [
        *textwrap.wrap(intro, 100),
        "",
        *(f"- `app/{p.replace('.', '/')}`" for p in PURE_PACKAGES),
    ]
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
        reach = [shown(a) for a in allowed] + (["each other"] if len(group) > 1 else [])
        folders = ", ".join(shown(f) for f in members)
        rows.append(f"| {folders} | {', '.join(reach) or 'no other folder of `app/`'} |")
    return "\n".join(rows) + "\n"
