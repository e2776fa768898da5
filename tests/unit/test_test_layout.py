"""The tests mirror the domains: in each of the three tiers (tests/unit, tests/api,
tests/integration) a test sits in the folder of the domain whose code it exercises, named as in
`DOMAIN_ORDER` (tests/unit/layers.py), in `stats` (the pure statistics) or in `platform` (the HTTP
layer, the database, runs and the scheduler, events and webhooks, migrations, configuration,
logging, observability, the command line). A domain's pure sub-folder
has its own test folder below the domain's (tests/unit/signals/voting mirrors app/signals/voting);
the platform's tests may be sorted by part (tests/unit/platform/cli). Only the checks of a whole
tier sit at its top, each listed below with why."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.layers import DOMAIN_ORDER, DOMAINS

TESTS = Path(__file__).resolve().parents[1]
TIERS = ("unit", "api", "integration")
FOLDERS = frozenset({*DOMAIN_ORDER, "stats", "platform"})

# The test modules at a tier's top: each checks the whole tier's subject, no one domain's.
TIER_WIDE: dict[str, str] = {
    "unit/test_import_graph.py": "the import direction of every module of app/, by the layers",
    "unit/test_layering.py": "what every layer may do: repositories, commit owners, pure packages",
    "unit/test_test_layout.py": "this check: every tier's folders mirror the domains",
    "unit/test_docs_generated.py": "the generated parts of AGENTS.md and docs/, from all of app/",
    "unit/test_docs_name_real_modules.py": "every module the docs name exists, in any domain",
    "api/test_every_route.py": "every operation of the OpenAPI document sent once (fast tier)",
    "api/test_hostile_input.py": "every input of every operation at its extremes (fast tier)",
    "api/test_words_in_answers.py": "no nan, infinity or negative count in any GET answer's text",
}


def folders(tier: str) -> list[Path]:
    return sorted(p for p in (TESTS / tier).iterdir() if p.is_dir() and p.name != "__pycache__")


def test_every_folder_of_a_tier_is_a_domain_stats_or_the_platform() -> None:
    strays = [
        f"tests/{tier}/{folder.name}"
        for tier in TIERS
        for folder in folders(tier)
        if folder.name not in FOLDERS
    ]
    assert not strays, f"not a domain of DOMAIN_ORDER, `stats` or `platform`: {strays}"


def test_a_domains_sub_folder_mirrors_one_of_its_pure_sub_folders() -> None:
    """Below a domain's test folder only its pure sub-folders (DOMAINS); the platform's parts
    are free."""
    strays = [
        f"tests/{tier}/{folder.name}/{sub.name}"
        for tier in TIERS
        for folder in folders(tier)
        if folder.name in DOMAIN_ORDER
        for sub in folders(f"{tier}/{folder.name}")
        if sub.name not in DOMAINS.get(folder.name, ())
    ]
    assert not strays, f"not a pure sub-folder of the domain (tests/unit/layers.py): {strays}"


@pytest.mark.parametrize("tier", TIERS)
def test_no_test_module_at_a_tiers_top_but_the_tier_wide_checks(tier: str) -> None:
    at_top = {f"{tier}/{p.name}" for p in (TESTS / tier).glob("test_*.py")}
    assert at_top <= TIER_WIDE.keys(), (
        f"move into the folder of the domain they test: {sorted(at_top - TIER_WIDE.keys())}"
    )


def test_the_tier_wide_checks_exist() -> None:
    missing = [path for path in TIER_WIDE if not (TESTS / path).is_file()]
    assert not missing, f"listed as tier-wide but gone: {missing}"


def test_every_folder_of_a_tier_is_a_package() -> None:
    """An `__init__.py` in each folder names its modules by their path (tests.unit.platform.
    api.test_caller_limits, tests.api.platform.test_caller_limits), so two test modules of one
    name in different folders never collide."""
    loose = [
        str(folder.relative_to(TESTS.parent))
        for tier in TIERS
        for folder in [TESTS / tier, *(TESTS / tier).rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py"))
        if not (folder / "__init__.py").is_file()
    ]
    assert not loose, f"without an __init__.py: {loose}"
