"""Paths to ../shared (read in place, never copied); tests skip, saying why, when it is absent."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("MYSYMBOLS_SHARED_DIR", REPO_ROOT.parent / "shared"))
KUCOIN_FIXTURES = SHARED_DIR / "kucoin-fixtures"
MARKET_DATA = SHARED_DIR / "market-data"


def kucoin_fixture(name: str) -> Any:
    """Load a recorded KuCoin response, or skip the test if ../shared is not beside the repo."""
    path = KUCOIN_FIXTURES / name
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/kucoin-fixtures is read in place, not copied)")
    return json.loads(path.read_text())


def kucoin_fixture_names(pattern: str) -> list[str]:
    if not KUCOIN_FIXTURES.exists():
        return []
    return sorted(str(p.relative_to(KUCOIN_FIXTURES)) for p in KUCOIN_FIXTURES.glob(pattern))
