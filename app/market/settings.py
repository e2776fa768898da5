"""The market's runtime settings: how old its data may grow, and how often the universe syncs."""

from __future__ import annotations

from app.market.contracts.categories import EXCLUDED_CATEGORIES
from app.platform.settings_store.declaration import DAY, INTERVAL, between, declare

STALE_DATA_LIMIT_S = declare(
    "stale_data_limit_s",
    1800,
    "Data older than this is stale; automatic changes freeze.",
    between(60, 7 * DAY),
)
UNIVERSE_SYNC_INTERVAL_S = declare(
    "universe_sync_interval_s", 3600, "Seconds between universe syncs.", INTERVAL
)

SETTINGS = (EXCLUDED_CATEGORIES, STALE_DATA_LIMIT_S, UNIVERSE_SYNC_INTERVAL_S)
