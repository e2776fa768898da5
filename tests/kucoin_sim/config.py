"""Simulator settings and where the read-in-place shared data lives."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tests.kucoin_sim.clock import HOUR_MS
from tests.kucoin_sim.sessions import PROFILES

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_ENV = "MYSYMBOLS_SHARED_DIR"
GRANULARITIES_MIN = (1, 5, 15, 30, 60, 120, 240, 480, 720, 1440, 10080)
MAX_GENERATED = 700
RECORDED_CONTRACTS = "futures_contracts_active_2025-05-08_static_fields_only.json"
PERPETUAL_SYMBOL = re.compile(r"^[A-Z0-9]+USDTM$")


def shared_dir() -> Path:
    """`$MYSYMBOLS_SHARED_DIR`, else the `shared` folder beside the repository root."""
    return Path(os.environ.get(SHARED_ENV) or REPO_ROOT.parent / "shared")


@dataclass
class SimConfig:
    """Everything a test may tune; mutable at runtime where it makes sense (latency, quota)."""

    universe: str | int = "recorded"
    seed: int = 7
    latency_ms: float = 0.0
    quota: int = 2000
    quota_window_s: float = 30.0
    candle_hours: int = 1000
    ws_ping_interval_ms: int = 18000
    ws_ping_timeout_ms: int = 10000
    ws_push_interval_ms: float = 200.0
    ws_idle_timeout_s: float | None = None
    token_ttl_s: float = 86400.0
    sub_hour: Literal["interpolate", "reject"] = "interpolate"
    start_time_ms: int | None = None
    anchor_hour_ms: int | None = None
    """The hour shown at the shared real instant (the series' anchor); the start hour unless
    given, so that simulators started at different times can show one market."""
    shared: Path | None = None
    extra_contracts: tuple[str, ...] = ()
    """Recorded contracts (e.g. `USDCUSDTM`, `PAXGUSDTM`) listed after a generated universe,
    with their real specs from the recorded contract list."""
    asset_classes: Mapping[str, str] = field(default_factory=dict)
    """Contract symbol -> `assetClass` (e.g. "STOCK") put on its row, with `marketType` and
    `subMarketType` as KuCoin pairs them; rows not named keep the 2025 shape without them."""
    session_traded: Mapping[str, str] = field(default_factory=dict)
    """Generated perpetuals added last, symbol (`SIMEQAUSDTM`) -> "equity" or "commodity": an
    underlying that moves only in its home market's hours (README, session-traded contracts)."""

    def __post_init__(self) -> None:
        """Validate the universe choice and the numeric knobs."""
        if isinstance(self.universe, str) and self.universe.isdigit():
            self.universe = int(self.universe)
        if isinstance(self.universe, int):
            if not 2 <= self.universe <= MAX_GENERATED:
                raise ValueError(f"universe size must be in 2..{MAX_GENERATED}")
        elif self.universe != "recorded":
            raise ValueError("universe must be 'recorded' or an int N")
        self.extra_contracts = tuple(self.extra_contracts)
        if self.extra_contracts and not isinstance(self.universe, int):
            raise ValueError("extra_contracts extend a generated universe (the recorded has them)")
        if self.candle_hours < 1 or self.quota < 1 or self.quota_window_s <= 0:
            raise ValueError("candle_hours, quota and quota_window_s must be positive")
        if self.anchor_hour_ms is not None and self.anchor_hour_ms % HOUR_MS:
            raise ValueError("anchor_hour_ms must be the start of an hour")
        if self.sub_hour not in ("interpolate", "reject"):
            raise ValueError("sub_hour must be 'interpolate' or 'reject'")
        self.asset_classes = dict(self.asset_classes)
        if not all(isinstance(v, str) and v for v in self.asset_classes.values()):
            raise ValueError("asset_classes values must be non-empty strings")
        self.session_traded = dict(self.session_traded)
        for symbol, kind in self.session_traded.items():
            if kind not in PROFILES or not PERPETUAL_SYMBOL.match(symbol):
                raise ValueError(
                    f"session_traded: {symbol!r} -> {kind!r} is not SYMBOLUSDTM -> "
                    f"one of {tuple(PROFILES)}"
                )

    @property
    def shared_dir(self) -> Path:
        """The shared folder this simulator reads (explicit path, env var, or beside the repo)."""
        return self.shared if self.shared is not None else shared_dir()

    @property
    def idle_timeout_s(self) -> float:
        """Seconds of client silence before the WebSocket server says Bye (3 x pingInterval)."""
        if self.ws_idle_timeout_s is not None:
            return self.ws_idle_timeout_s
        return 3 * self.ws_ping_interval_ms / 1000
