"""`/status` on a committed database: the budget this replica keeps to and the newest scoring
run's spend, as KuCoin counted it."""

from __future__ import annotations

from collections.abc import Callable

from app.platform.core.environment import Environment
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator


async def test_on_sqlite_the_limiter_is_the_budget(
    committed_sqlite: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    await check_status(committed_sqlite, "local", live_sim, make_environment)


async def test_on_postgresql_every_replica_shares_one_window(
    committed_postgres: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    await check_status(committed_postgres, "shared", live_sim, make_environment)


async def check_status(
    url: str, mode: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    api, clients, _ = await prepared(url, live_sim, make_environment)
    try:
        charged = sum(r.weight for r in live_sim.requests)
        ranked = (await api.get(f"{BASE}/scoring/rankings", headers=TRADE)).json()
        run_id = ranked["run_id"]
        detail = (await api.get(f"{BASE}/scoring/runs/{run_id}", headers=TRADE)).json()
        budget = (await api.get(f"{BASE}/status", headers=TRADE)).json()["kucoin_budget"]
    finally:
        await clients.aclose()  # type: ignore[attr-defined]
    assert budget["mode"] == mode
    assert budget["last_scoring_run"] == {"run_id": run_id, **detail["spend"]["spent"]}
    assert budget["last_scoring_run"]["weight"] == charged
    assert budget["used_here"] == charged  # all within this window
