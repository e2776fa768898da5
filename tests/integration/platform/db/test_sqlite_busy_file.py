"""Another process writing the SQLite file past the busy timeout: `migrate` says so in a
sentence (what holds it, what to do) and exits 1, with no traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def test_migrate_on_a_file_another_process_holds_says_so_in_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "held.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")  # a write under way, for the whole of the migration
    try:
        env = {
            **os.environ,
            "MYSYMBOLS_DATABASE_URL": f"sqlite+aiosqlite:///{path}",
            "MYSYMBOLS_LOG_FORMAT": "text",
        }
        env.pop("MYSYMBOLS_DEBUG", None)
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", "migrate", "--upgrade"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.close()
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output, output
    assert "stayed locked by another process writing it" in output, output
    assert "run this again when that write is over" in output, output
