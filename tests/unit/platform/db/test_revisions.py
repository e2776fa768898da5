"""The service's reading of the migration scripts, without Alembic, is Alembic's reading."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from app.platform.db import revisions


def test_head_and_revisions_are_alembics() -> None:
    scripts = ScriptDirectory.from_config(Config(str(revisions.ALEMBIC_INI)))
    assert revisions.head_revision() == scripts.get_current_head()
    assert revisions.known_revisions() == {s.revision for s in scripts.walk_revisions()}


def test_a_second_head_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, revision, down in (("a", "1", None), ("b", "2", "1"), ("c", "3", "1")):
        (tmp_path / f"{name}.py").write_text(
            f'revision: str = "{revision}"\ndown_revision: str | None = {down!r}\n'
        )
    monkeypatch.setattr(revisions, "SCRIPTS", tmp_path)
    revisions._graph.cache_clear()
    revisions.head_revision.cache_clear()
    try:
        with pytest.raises(RuntimeError, match=r"2 heads: \['2', '3'\]"):
            revisions.head_revision()
    finally:
        revisions._graph.cache_clear()
        revisions.head_revision.cache_clear()
