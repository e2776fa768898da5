"""The interpreter as the service runs it: rarer garbage collections and a short GIL switch
interval while its lifespan runs (the event loop first), both undone afterwards."""

from __future__ import annotations

import gc
import sys

from fastapi import FastAPI

from app.platform.runtime.collector import THRESHOLDS
from app.platform.runtime.gil import SWITCH_INTERVAL_S
from tests.conftest import start_app


async def test_the_service_runs_with_its_collector_and_switch_interval_then_restores_them(
    app: FastAPI,
) -> None:
    # Known values first: another test's app, still running in this process, may have set
    # the service's own.
    outside = ((700, 10, 10), 0.005)
    before = (gc.get_threshold(), sys.getswitchinterval())
    gc.set_threshold(*outside[0])
    sys.setswitchinterval(outside[1])
    try:
        async for client in start_app(app):
            assert (await client.get("/api/symbol-mgmt/health")).status_code == 200
            assert gc.get_threshold() == THRESHOLDS
            assert sys.getswitchinterval() == SWITCH_INTERVAL_S
        assert (gc.get_threshold(), sys.getswitchinterval()) == outside
    finally:
        gc.set_threshold(*before[0])
        sys.setswitchinterval(before[1])
