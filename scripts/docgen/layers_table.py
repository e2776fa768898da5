"""The layers of `app/` as the tests declare them (tests/unit/layers.py): the domains' order, the
pure packages and the import-direction table, as Markdown."""

from __future__ import annotations

import textwrap

from tests.unit.layers import (
    DOMAIN_ORDER,
    DOMAINS,
    MAY_IMPORT,
    PLATFORM,
    PURE_EXTERNAL,
    PURE_PACKAGES,
    SHARED_PREFIXES,
    WIRING,
    folder,
)


def shown(unit: str) -> str:
    """A unit as a path under `app/`, in code: `db` is `platform/db`, `signals.voting` the folder
    `signals/voting`, a domain's models the module `signals/models.py`."""
    return f"`{folder(unit)}`"


def pure_folders(domain: str, pures: tuple[str, ...]) -> str:
    """A domain's pure sub-folders, as the domains' line shows them (nothing when none)."""
    return f" (pure: {', '.join(f'`app/{domain}/{p}`' for p in pures)})" if pures else ""


def domain_order() -> str:
    """The domains lowest first, their folders, the platform's parts, and the rule between them."""
    landed = ", ".join(f"`app/{d}`" + pure_folders(d, pures) for d, pures in DOMAINS.items())
    parts = ", ".join(f"`{p}`" for p in PLATFORM)
    intro = (
        "The domains, lowest first; each may import the domains before it, never one after it: "
        + ", ".join(f"`{d}`" for d in DOMAIN_ORDER)
        + f". Their folders: {landed} (`app/kucoin`, the exchange gateway, sits below the "
        "platform's database; so do the alert log, `app/alerts/log.py`, and its table, "
        f"`app/alerts/models.py`, which every domain may raise alerts through). The platform, "
        f"`app/platform`, holds {parts}, and imports no domain: every domain may import it but "
        "its two drivers, the HTTP layer (`http`) and the scheduler, which only a domain's "
        "routers (and their `dependencies`) import. A domain's pure sub-folder is a pure package, "
        "its `models.py` sits with `db` (`app/tables.py` registers every table on the one "
        "metadata). Only the assembly, `app/assembly.py`, includes a domain's router and "
        "registers its jobs and its gauges; no container builds the services: each domain builds "
        "its own. A URL prefix is one domain's, but "
        + "; ".join(
            f"`/{prefix}`, which `{domain}` also serves: {why}"
            for prefix, sharers in SHARED_PREFIXES.items()
            for domain, why in sharers.items()
        )
        + "."
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
    for unit in reversed(order):
        reach = MAY_IMPORT[unit] | {unit}
        if groups and MAY_IMPORT[groups[-1][0]] | {groups[-1][0]} == reach:
            groups[-1].append(unit)
        else:
            groups.append([unit])
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
