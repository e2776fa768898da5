"""The generated parts of the docs (docs/configuration.md, docs/architecture.md, AGENTS.md) are
what `python -m scripts.docgen` writes from the code today, and the generator misses nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from app.configuration.registry import RUNTIME_SETTINGS
from scripts.docgen import __main__ as docgen
from scripts.docgen import environment_table, layers_table, runtime_table
from scripts.docgen.blocks import BEGIN, END, MissingBlock, replace_block
from scripts.docgen.cells import cell
from tests.unit.layers import (
    DOMAIN_ORDER,
    DOMAINS,
    MAY_IMPORT,
    PLATFORM,
    PURE_PACKAGES,
)


class TestTheDocsAreCurrent:
    def test_no_generated_block_is_stale(self) -> None:
        stale = docgen.stale()
        assert stale == [], f"{', '.join(stale)} stale: run {docgen.COMMAND}"

    def test_a_changed_block_is_reported_stale(self, tmp_path: Path) -> None:
        for path in docgen.TARGETS:
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(docgen.ROOT / path, tmp_path / path)
        page = tmp_path / "docs/configuration.md"
        page.write_text(page.read_text().replace("`MYSYMBOLS_DATABASE_URL`", "`SOMETHING`", 1))
        assert docgen.stale(tmp_path) == ["docs/configuration.md"]


class TestConfigurationPage:
    def test_lists_every_environment_variable_with_its_prefix(self) -> None:
        variables = [s.variable for _, group in environment_table.groups() for s in group]
        assert "MYSYMBOLS_DATABASE_URL" in variables
        assert "MYSYMBOLS_KUCOIN__QUOTA" in variables
        assert "MYSYMBOLS_LIMITS__WRITE_BURST" in variables
        assert len(variables) == len(set(variables))
        assert all(s.meaning for _, group in environment_table.groups() for s in group)

    def test_refuses_a_variable_without_a_docstring(self) -> None:
        class Group(BaseModel):
            size: int = Field(default=3, ge=1)

        class Environment(BaseModel):
            group: Group = Field(default_factory=Group)

        with pytest.raises(environment_table.Undocumented, match="MYSYMBOLS_GROUP__SIZE"):
            list(environment_table.groups(Environment))

    def test_shows_defaults_and_bounds(self) -> None:
        text = environment_table.markdown()
        assert "| `MYSYMBOLS_KUCOIN__QUOTA` | `2000` | integer, ≥ 10 |" in text
        assert "| `MYSYMBOLS_MIGRATE` | `upgrade` | one of `upgrade`, `check` |" in text

    def test_lists_every_runtime_setting_once(self) -> None:
        rows = [r for r in runtime_table.markdown().splitlines() if r.startswith("| `")]
        assert [r.split("`")[1] for r in rows] == [s.key for s in RUNTIME_SETTINGS]

    def test_shows_a_runtime_settings_bounds_and_choices(self) -> None:
        text = runtime_table.markdown()
        assert "| `max_portfolio_symbols` | `10` | integer | 1 to 50 |" in text
        assert "one of `score`, `score_squared`" in text


class TestLayers:
    def test_lists_every_pure_package(self) -> None:
        listed = [line for line in layers_table.pure_packages().splitlines() if line[:2] == "- "]
        assert listed == [f"- `app/{p.replace('.', '/')}`" for p in PURE_PACKAGES]
        assert "- `app/signals/voting`" in listed  # a domain's pure sub-folder, as a path

    def test_gives_every_folder_a_row_of_what_it_may_import(self) -> None:
        rows = layers_table.import_direction().splitlines()[3:]
        folders = [f for r in rows for f in r.split("|")[1].split("`")[1::2]]
        assert sorted(folders) == sorted(layers_table.shown(u).strip("`") for u in MAY_IMPORT)
        assert "| `platform/runtime` | `platform/core` |" in rows
        assert "signals/models.py" in folders  # a domain's models, sitting with db

    def test_puts_folders_that_may_import_each_other_in_one_row(self) -> None:
        table = layers_table.import_direction()
        below = "`platform/core`, `platform/settings_store`, `stats`, `market/contracts`"
        portfolio = "`portfolio/policy`, `portfolio/maths`"
        assert f"| {portfolio} | {below}, `scoring/scorers`, each other |" in table
        assert f"| `market/contracts` | {below.removesuffix(', `market/contracts`')} |" in table
        assert "| `stats` | `platform/core` |" in table  # below the other pure packages

    def test_states_the_domains_order_and_those_in_their_folder(self) -> None:
        text = " ".join(layers_table.domain_order().split())
        assert ", ".join(f"`{d}`" for d in DOMAIN_ORDER) in text
        landed = [f"`app/{d}`" + layers_table.pure_folders(d, p) for d, p in DOMAINS.items()]
        assert all(f"{shown}," in text or f"{shown} (" in text for shown in landed)
        assert all(f"`{part}`" in text for part in PLATFORM)


class TestBlocks:
    def test_replaces_only_the_text_between_the_markers(self) -> None:
        begin, end = BEGIN.format(name="x"), END.format(name="x")
        text = f"before\n{begin}\nold\n{end}\nafter\n"
        assert replace_block(text, "x", "new") == f"before\n{begin}\nnew\n{end}\nafter\n"

    def test_refuses_a_document_without_the_markers(self) -> None:
        with pytest.raises(MissingBlock, match="no block 'x'"):
            replace_block("no markers here\n", "x", "new")


class TestCells:
    def test_escape_pipes_and_tags_outside_code_spans_only(self) -> None:
        assert cell("a | b <name> `whsec_<base64>`\n  c") == (
            "a \\| b &lt;name&gt; `whsec_<base64>` c"
        )
