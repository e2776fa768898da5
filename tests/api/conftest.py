"""The API against the simulator: an app on the rolled-back test session, pointed at `sim`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from tests.conftest import app_on_session, simulator_settings
from tests.kucoin_sim.app import KucoinSimulator


@pytest.fixture
def sim_app(
    sim: KucoinSimulator,
    database_url: str,
    make_settings: Callable[..., Settings],
    session: AsyncSession,
) -> FastAPI:
    """The app whose requests join the test's session and whose KuCoin is `sim` (by URL)."""
    return app_on_session(simulator_settings(make_settings, database_url, sim.base_url), session)
