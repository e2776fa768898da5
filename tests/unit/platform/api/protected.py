"""An app's routes behind the service's own protection layer (its response cache among its
parts), with limits no test reaches: the layer the service runs, not a stand-in."""

from __future__ import annotations

from fastapi import FastAPI

from app.platform.core.environment_sections import LimitsEnvironment
from app.platform.core.security import BootstrapKeyring
from app.platform.http.protection import ProtectionLayer
from app.platform.http.rate_limit import CallerLimits
from app.platform.http.response_cache import ResponseCache

UNREACHED = 1_000_000


def protect(app: FastAPI, cache: ResponseCache) -> None:
    limits = LimitsEnvironment(
        read_per_s=UNREACHED,
        read_burst=UNREACHED,
        heavy_per_s=UNREACHED,
        heavy_burst=UNREACHED,
        write_per_s=UNREACHED,
        write_burst=UNREACHED,
    )
    keyring = cache.keyring or BootstrapKeyring([])
    app.add_middleware(
        ProtectionLayer,
        limits=CallerLimits(limits, keyring),
        cache=cache,
        max_body_bytes=UNREACHED,
    )
