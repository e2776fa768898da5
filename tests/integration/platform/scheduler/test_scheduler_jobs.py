"""The scheduler's jobs call the same services as the API: a tick of each succeeds, and a
score refresh announces the replacements its new scores justify."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from app.assembly import SCHEDULE
from app.callers.models import IdempotencyKey
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.models import EventOutbox, JobRun
from app.platform.scheduler.loop import Scheduler
from tests.conftest import start_app
from tests.helpers import store_setting
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator

TICK = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)
# Any lead, held or not, however correlated, confirmed by one run: a proposal is due.
RELAXED = {
    "min_holding_hours": 0,
    "replacement_margin": 0,
    "replacement_confirmation_hours": 0,
    "correlation_limit": 1.0,
}


async def test_each_job_runs_and_a_refresh_proposes_replacements(
    committed_postgres: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    api, clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
    try:
        for symbol in [*symbols[:3], symbols[-1]]:  # the weakest member trails the outsiders
            await api.post(f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE)
        engine = create_async_engine(committed_postgres)
        async with engine.begin() as connection:
            await connection.execute(
                IdempotencyKey.__table__.insert().values(
                    key="old",
                    principal="p",
                    method="POST",
                    path="/x",
                    request_hash="h",
                    state="completed",
                    created_at=TICK - timedelta(days=2),
                    expires_at=TICK - timedelta(days=1),
                )
            )
            for key, value in RELAXED.items():
                await store_setting(connection, key, value)
        environment = make_environment(
            committed_postgres,
            kucoin={"futures_url": live_sim.base_url, "websocket_enabled": False},
        )
        app = create_app(environment)
        replica_clients = start_app(app)
        await replica_clients.__anext__()
        scheduler = Scheduler(app.state.app_state, replica="test")
        jobs = {job.name: job for job in SCHEDULE.every()}
        outcomes = {name: await scheduler.run_tick(job, TICK) for name, job in jobs.items()}
        assert outcomes == {
            "universe_sync": "ran",
            "score_refresh": "ran",
            "alert_check": "ran",
            "signal_processing": "ran",
            "auto_rebalance": "ran",
            "evidence_refresh": "skipped",  # days of stored history: too few to walk forward
            "retention": "ran",
            "track_record": "ran",
            "forward_record": "ran",
        }
        async with engine.connect() as connection:
            runs = {
                row.job: row
                for row in await connection.execute(
                    select(JobRun).where(JobRun.scheduled_tick == TICK)
                )
            }
            proposed = [
                row.payload
                for row in await connection.execute(
                    select(EventOutbox).where(EventOutbox.kind == "replacement_proposed")
                )
            ]
        await engine.dispose()
        await replica_clients.aclose()
        assert {name: run.status for name, run in runs.items()} == {
            **dict.fromkeys(jobs, "succeeded"),
            "evidence_refresh": "skipped",
        }
        assert "walk-forward needs" in runs["evidence_refresh"].error
        assert runs["retention"].result["idempotency_keys_deleted"] == 1
        # The first decision is this hour's: its close is not stored yet, nothing to mark.
        assert runs["track_record"].result["hours"] == 0
        assert proposed, "an outsider leads the weakest member: a replacement is proposed"
        assert {p["member"] for p in proposed} <= {*symbols[:3], symbols[-1]}
        assert runs["score_refresh"].result["replacements_proposed"] == [
            [p["member"], p["outsider"]] for p in proposed
        ]
    finally:
        await clients.aclose()
