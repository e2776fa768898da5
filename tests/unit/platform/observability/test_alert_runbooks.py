"""Every alert rule links to its runbook: `annotations.runbook_url` names a section of
docs/runbooks.md that exists (anchors computed as mkdocs computes them: Python-Markdown's toc
extension, with attr_list for explicit `{#id}`s), and that section says what the alert means,
what to check first, what to do and how to verify."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[4]
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
RUNBOOKS = ROOT / "docs" / "runbooks.md"
URL = re.compile(r"docs/runbooks\.md#(?P<anchor>[^#\s]+)")
PARTS = ("**What it means.**", "**Check first.**", "**What to do.**", "**Verify.**")


def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def anchors(text: str) -> set[str]:
    """The ids mkdocs gives the page's headings (the same extensions as mkdocs.yml)."""
    page = markdown.Markdown(extensions=["toc", "attr_list", "tables"])
    page.convert(text)
    found: set[str] = set()
    tokens = list(page.toc_tokens)  # type: ignore[attr-defined]
    while tokens:
        token = tokens.pop()
        found.add(token["id"])
        tokens.extend(token["children"])
    return found


def sections(text: str) -> dict[str, str]:
    """Each second-level heading's text and the body under it."""
    parts = re.split(r"(?m)^## (.+)$", text)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


RULE_NAMES = [rule["alert"] for rule in alert_rules()]


class TestAnchors:
    def test_are_computed_as_mkdocs_does(self) -> None:
        text = "# Page\n\n## MySymbolsDatabaseDown\n\n## Two words: here (x)\n\n## B {#explicit}\n"
        assert anchors(text) == {"page", "mysymbolsdatabasedown", "two-words-here-x", "explicit"}


@pytest.mark.parametrize("name", RULE_NAMES)
class TestEveryRule:
    def test_links_to_a_section_of_the_runbooks_page(self, name: str) -> None:
        (rule,) = [r for r in alert_rules() if r["alert"] == name]
        url = rule.get("annotations", {}).get("runbook_url")
        assert url is not None, f"{name} has no annotations.runbook_url"
        match = URL.fullmatch(url)
        assert match, f"{name}: {url!r} is not docs/runbooks.md#<anchor>"
        assert match["anchor"] in anchors(RUNBOOKS.read_text()), (
            f"{name}: docs/runbooks.md has no heading with the anchor {match['anchor']!r}"
        )

    def test_has_a_section_in_four_parts(self, name: str) -> None:
        body = sections(RUNBOOKS.read_text()).get(name)
        assert body is not None, f"docs/runbooks.md has no section '## {name}'"
        assert [p for p in PARTS if p not in body] == []


def test_every_runbook_section_is_a_rule() -> None:
    assert sorted(sections(RUNBOOKS.read_text())) == sorted(RULE_NAMES)
