"""Fixtures for the integration modules whose requests commit (see committed.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.committed import committed_postgres, committed_sqlite
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import live_clock_ms

__all__ = ["committed_postgres", "committed_sqlite"]


@pytest.fixture
def sim_config() -> dict[str, Any]:
    """24 contracts on a live clock: enough to fill a portfolio, and as fresh as KuCoin."""
    return {"universe": 24, "start_time_ms": live_clock_ms()}


@pytest.fixture
def live_sim(sim: KucoinSimulator) -> KucoinSimulator:
    """`sim`, by the name the modules of committed apps use."""
    return sim
