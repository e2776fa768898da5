"""A configuration change made through one replica is what every other replica answers next:
their cached reads are dropped by PostgreSQL's change notification, and every read of a setting
goes to the database."""

from __future__ import annotations

from collections.abc import Callable

from app.platform.core.environment import Environment
from tests.conftest import ADMIN_KEY, READ_KEY
from tests.integration.committed import BASE, TRADE, prepared
from tests.integration.platform.http.test_response_cache import eventually_changes, replica
from tests.kucoin_sim.app import KucoinSimulator

READ = {"X-API-Key": READ_KEY}
ADMIN = {"X-API-Key": ADMIN_KEY}
CONFIG = f"{BASE}/config"
WEIGHTS = f"{BASE}/portfolio/weights"


def values(body: dict[str, object]) -> dict[str, object]:
    return {s["key"]: s["value"] for s in body["settings"]}  # type: ignore[attr-defined,index]


async def test_another_replica_answers_the_new_values_at_once(
    committed_postgres: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    writer, writer_clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
    try:
        for symbol in symbols[:3]:
            await writer.post(
                f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE
            )
        async with replica(committed_postgres, live_sim, make_environment) as (api, _):
            config = await api.get(CONFIG, headers=READ)
            weights = await api.get(WEIGHTS, headers=READ)
            assert values(config.json())["weighting_method"] == weights.json()["method"] == "score"
            assert (await api.get(CONFIG, headers=READ)).headers["x-cache"] == "hit"
            assert (await api.get(WEIGHTS, headers=READ)).headers["x-cache"] == "hit"

            changed = await writer.put(
                CONFIG,
                json={"values": {"weighting_method": "equal", "max_portfolio_symbols": 4}},
                headers=ADMIN,
            )
            assert changed.status_code == 200, changed.text

            # The reader's cached answers were kept for 30 s; the notification drops them.
            seen = await eventually_changes(api, CONFIG, config.headers["etag"])
            assert values(seen.json())["weighting_method"] == "equal"
            assert values(seen.json())["max_portfolio_symbols"] == 4
            fresh = await eventually_changes(api, WEIGHTS, weights.headers["etag"])
            assert fresh.json()["method"] == "equal"
            assert set(fresh.json()["weights"].values()) == {33.3334, 33.3333}
            # The database enforces the new limit for every replica's writes.
            added = await api.post(
                f"{BASE}/portfolio/add-symbol", json={"symbol": symbols[3]}, headers=TRADE
            )
            assert added.status_code == 200, added.text
            refused = await api.post(
                f"{BASE}/portfolio/add-symbol", json={"symbol": symbols[4]}, headers=TRADE
            )
            assert refused.status_code == 409, refused.text
    finally:
        await writer_clients.aclose()
