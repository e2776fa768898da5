"""Benchmark: database size after a year of 15-minute scoring runs of 150 symbols, with and
without retention (issue 17), on PostgreSQL.

`python -m tests.bench.bench_retention [--days 2] [--symbols 150] [--steady-state]`

1. A real run: the service (uvicorn) and the KuCoin simulator as processes, a universe sync and
   one scoring run through the API, on a throw-away database. Its rows are the templates: each
   score row's breakdown, the run's inputs document, its `score_run_completed` event, the job
   runs' results, exactly as the scorer wrote them.
2. `--days` of runs every 15 minutes, generated server-side (INSERT ... SELECT over
   generate_series) from those templates, with their events, one webhook delivery per event and
   the job runs of the default intervals. Sizes are measured (`pg_total_relation_size` after
   VACUUM ANALYZE), per table and per day.
3. A retention pass (`RetentionService`, committed batch by batch as the job does) as of 31 days
   after the last run: every run is then past the breakdown window (but the two newest, which
   current reads stand on) and every event past its window. Its time and counts; the sizes after
   VACUUM FULL give the thinned size per day.
4. `--steady-state`: a second database holding exactly what a year with retention keeps (30 days
   of full runs, 335 days of thinned runs, 14 days of events and deliveries, 90 days of job runs),
   measured; then the time of an hourly retention pass on it.

A year without retention is the per-day size times 365: an extrapolation (printed as such), since
~26 million score rows do not fit this benchmark's time on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from app.operations.retention import RetentionService
from app.platform.db.engine import create_sessionmaker
from app.platform.db.migrations import upgrade_to_head
from tests.bench.harness import HEADERS, KEY
from tests.databases import create_postgres_database, drop_postgres_database
from tests.deployed import API, process, service_env, simulator, uvicorn, wait_for
from tests.sim_fixtures import free_port

RUNS_PER_DAY = 96
TABLES = ("scoring_run", "symbol_score", "event_outbox", "webhook_delivery", "job_run")
# Default intervals (seconds) of the jobs besides score_refresh, with the results they record.
OTHER_JOBS: dict[str, tuple[int, dict[str, Any] | None]] = {
    "universe_sync": (3600, None),  # None: the real run's result
    "alert_check": (300, {"raised": 0, "resolved": 0, "open": 2}),
    "signal_processing": (60, {"processed": 0, "outcomes_measured": 0}),
    "retention": (
        3600,
        {
            "runs_thinned": 1,
            "component_scores_deleted": 600,
            "runs_deleted": 0,
            "composite_scores_deleted": 0,
            "events_deleted": 4,
            "webhook_deliveries_deleted": 4,
            "job_runs_deleted": 78,
            "idempotency_keys_deleted": 0,
            "signals_deleted": 0,
            "replay_runs_deleted": 0,
            "alerts_deleted": 0,
        },
    ),
}
MB = 1024 * 1024


def real_run(url: str, symbols: int) -> None:
    """One sync and one scoring run of the service against the simulator, committed to `url`."""
    sim_port, app_port = free_port(), free_port()
    env = service_env(url, sim_port, KEY)
    base = f"http://127.0.0.1:{app_port}"
    sim = simulator(sim_port, str(symbols + 20), quota=1_000_000)
    with process(sim, env, None), process(uvicorn("app.main:app", app_port), env, None):
        wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
        wait_for(f"{base}{API}/health")
        with httpx.Client(base_url=base, headers=HEADERS, timeout=120) as client:
            for path in ("/symbols/sync", "/scoring/calculate"):
                answer = client.post(f"{API}{path}", params={"wait": 60})
                while answer.status_code == 202:  # still running: follow the run
                    time.sleep(1)
                    answer = client.get(answer.headers["location"])
                    if answer.json()["status"] != "running":
                        break
                assert answer.status_code == 200, answer.text


async def sizes(connection: AsyncConnection) -> dict[str, int]:
    rows = await connection.execute(
        text("SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname = ANY(:t)"),
        {"t": list(TABLES)},
    )
    out = dict(rows.all())
    out["database"] = int(
        await connection.scalar(text("SELECT pg_database_size(current_database())"))
    )
    return out


async def without_autovacuum(url: str) -> None:
    """The benchmark vacuums itself: an autovacuum ANALYZE in flight holds a snapshot from before
    the retention pass, and VACUUM FULL would then keep the rows it deleted."""
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        for table in TABLES:
            await connection.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
    await engine.dispose()


async def vacuum(url: str, full: bool) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        for table in TABLES:
            await connection.execute(text(f"VACUUM {'FULL ' if full else ''}ANALYZE {table}"))
    await engine.dispose()


async def templates(connection: AsyncConnection) -> dict[str, Any]:
    run = (
        await connection.execute(
            text(
                "SELECT id, scored_count, pg_column_size(inputs), octet_length(inputs::text) "
                "FROM scoring_run WHERE status = 'completed' ORDER BY id DESC LIMIT 1"
            )
        )
    ).one()
    scores = (
        await connection.execute(
            text(
                "SELECT count(*), avg(octet_length(breakdown::text)), "
                "avg(pg_column_size(breakdown)) "
                "FROM symbol_score WHERE run_id = :r"
            ),
            {"r": run.id},
        )
    ).one()
    event = await connection.scalar(
        text("SELECT payload FROM event_outbox WHERE kind = 'score_run_completed' LIMIT 1")
    )
    results = dict(
        (
            await connection.execute(
                text("SELECT job, result FROM job_run WHERE status = 'succeeded'")
            )
        ).all()
    )
    return {
        "run_id": run.id,
        "scored": run.scored_count,
        "inputs_stored": run[2],
        "inputs_text": run[3],
        "score_rows": scores[0],
        "breakdown_text": float(scores[1]),
        "breakdown_stored": float(scores[2]),
        "event": event or {"run_id": run.id},
        "results": results,
    }


async def generate_runs(
    connection: AsyncConnection, template: int, start: datetime, count: int, *, full: bool
) -> None:
    """`count` runs every 15 minutes from `start`, each with the template run's score rows
    (thinned: no inputs, composite rows only)."""
    first = int(await connection.scalar(text("SELECT coalesce(max(id), 0) FROM scoring_run")))
    await connection.execute(
        text(f"""
        INSERT INTO scoring_run (status, started_at, finished_at, universe_size, scored_count,
            excluded_count, exclusions, data_source, config_hash, config, inputs, duration_ms,
            error, triggered_by)
        SELECT status, CAST(:start AS timestamptz) + g * interval '15 minutes',
            CAST(:start AS timestamptz) + g * interval '15 minutes' + interval '20 seconds',
            universe_size, scored_count, excluded_count, exclusions, data_source, config_hash,
            config,
            {"inputs" if full else "NULL"}, duration_ms, error, 'scheduler'
        FROM scoring_run t, generate_series(0, :n - 1) g WHERE t.id = :template
        ORDER BY g
    """),
        {"start": start, "n": count, "template": template},
    )
    await connection.execute(
        text(f"""
        INSERT INTO symbol_score (run_id, symbol_id, component, score, confidence, breakdown,
            created_at)
        SELECT r.id, s.symbol_id, s.component, s.score, s.confidence, s.breakdown, r.started_at
        FROM scoring_run r JOIN symbol_score s ON s.run_id = :template
        WHERE r.id > :first {"" if full else "AND s.component = 'composite'"}
    """),
        {"template": template, "first": first},
    )


async def generate_events(
    connection: AsyncConnection, payload: dict[str, Any], start: datetime, count: int
) -> None:
    """One `score_run_completed` event per run, and one delivery of it to one webhook URL."""
    first = int(await connection.scalar(text("SELECT coalesce(max(id), 0) FROM event_outbox")))
    await connection.execute(
        text("""
        INSERT INTO event_outbox (kind, payload, created_at)
        SELECT 'score_run_completed', CAST(:payload AS jsonb),
            CAST(:start AS timestamptz) + g * interval '15 minutes'
        FROM generate_series(0, :n - 1) g ORDER BY g
    """),
        {"payload": json.dumps(payload), "start": start, "n": count},
    )
    await connection.execute(
        text("""
        INSERT INTO webhook_delivery (event_id, url, kind, status, attempts, response_status,
            replica, created_at, finished_at)
        SELECT id, 'https://hooks.example.com/mysymbols', kind, 'delivered', 1, 200,
            'bench-replica:1', created_at, created_at + interval '80 milliseconds'
        FROM event_outbox WHERE id > :first
    """),
        {"first": first},
    )


async def generate_job_runs(
    connection: AsyncConnection, results: dict[str, Any], start: datetime, days: float
) -> None:
    """Every job's runs at its default interval over `days` from `start`."""
    jobs = {"score_refresh": (900, results.get("score_refresh", {})), **OTHER_JOBS}
    for job, (interval, result) in jobs.items():
        result = results.get(job, {}) if result is None else result
        await connection.execute(
            text("""
            INSERT INTO job_run (job, scheduled_tick, replica, status, progress, started_at,
                heartbeat_at, finished_at, duration_ms, result)
            SELECT :job, tick, 'bench-replica:1', 'succeeded', 1, tick, tick,
                tick + interval '2 seconds', 2000, CAST(:result AS jsonb)
            FROM (SELECT CAST(:start AS timestamptz) + g * make_interval(secs => :interval) AS tick
                  FROM generate_series(0, :n - 1) g) ticks
        """),
            {
                "job": job,
                "start": start,
                "interval": interval,
                "result": json.dumps(result),
                "n": int(days * 86400 // interval),
            },
        )


async def retention_pass(url: str, now: datetime) -> tuple[dict[str, int], float]:
    engine = create_async_engine(url)
    sessionmaker = create_sessionmaker(engine)
    started = time.perf_counter()
    async with sessionmaker() as session:
        report = await RetentionService(session).apply(now)
        await session.commit()
    await engine.dispose()
    return dict(vars(report)), time.perf_counter() - started


def per_day(before: dict[str, int], after: dict[str, int], days: float) -> dict[str, float]:
    return {k: (after[k] - before.get(k, 0)) / days for k in after}


def show(title: str, values: dict[str, float], unit: float = MB, suffix: str = "MB") -> None:
    print(f"\n{title}")
    for key in (*TABLES, "database"):
        print(f"  {key:<18} {values.get(key, 0) / unit:>12.1f} {suffix}")


async def fill(
    url: str,
    info: dict[str, Any],
    start: datetime,
    days: float,
    *,
    full: bool,
    events: bool,
    job_days: float | None = None,
) -> None:
    engine = create_async_engine(url)
    day = timedelta(days=1)
    whole = int(days)
    for i in range(whole):
        async with engine.begin() as connection:
            await generate_runs(
                connection, info["run_id"], start + i * day, RUNS_PER_DAY, full=full
            )
            if events:
                await generate_events(connection, info["event"], start + i * day, RUNS_PER_DAY)
    async with engine.begin() as connection:
        if job_days:
            await generate_job_runs(
                connection, info["results"], start + (days - job_days) * day, job_days
            )
    await engine.dispose()


async def run(args: argparse.Namespace) -> None:
    url = await create_postgres_database("mysymbols_bench_retention")
    steady_url: str | None = None
    try:
        await asyncio.to_thread(upgrade_to_head, url)
        await without_autovacuum(url)
        t0 = time.perf_counter()
        await asyncio.to_thread(real_run, url, args.symbols)
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            info = await templates(connection)
            base = await sizes(connection)
        await engine.dispose()
        print(
            f"real run: {info['scored']} symbols scored, {info['score_rows']} score rows, "
            f"breakdown {info['breakdown_text'] / 1024:.2f} KB as JSON text "
            f"({info['breakdown_stored'] / 1024:.2f} KB stored), inputs "
            f"{info['inputs_text'] / 1024:.1f} KB as JSON text "
            f"({info['inputs_stored'] / 1024:.1f} KB stored, compressed) "
            f"[{time.perf_counter() - t0:.0f} s]"
        )

        # A start that leaves the newest generated run before now: the API's own run stays newest.
        days = args.days
        start = datetime.now(UTC) - timedelta(days=days + 1)
        t0 = time.perf_counter()
        await fill(url, info, start, days, full=True, events=True, job_days=days)
        await vacuum(url, full=False)
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            grown = await sizes(connection)
        await engine.dispose()
        print(
            f"generated {days} days ({days * RUNS_PER_DAY} runs) [{time.perf_counter() - t0:.0f} s]"
        )
        full_day = per_day(base, grown, days)
        show(f"measured: {days} days without retention (sizes)", grown)
        show("measured: growth per day without retention", full_day)

        report, seconds = await retention_pass(url, datetime.now(UTC) + timedelta(days=31))
        rows = report["component_scores_deleted"] + report["composite_scores_deleted"]
        print(
            f"\nretention pass as of 31 days on: {seconds:.1f} s, {report}; "
            f"{rows / seconds:,.0f} score rows deleted per second"
        )
        await vacuum(url, full=True)
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            thinned = await sizes(connection)
        await engine.dispose()
        show(f"measured: the same {days} days after retention and VACUUM FULL", thinned)
        thin_day = {k: max(thinned[k] - base.get(k, 0), 0) / days for k in thinned}

        year_without = {k: base.get(k, 0) + 365 * v for k, v in full_day.items()}
        keep = {
            "scoring_run": (30, 335),
            "symbol_score": (30, 335),
            "event_outbox": (14, 0),
            "webhook_delivery": (14, 0),
            "job_run": (90, 0),
        }
        year_with = {
            k: base.get(k, 0) + keep[k][0] * full_day[k] + keep[k][1] * thin_day[k] for k in TABLES
        }
        year_with["database"] = base["database"] + sum(
            year_with[k] - base.get(k, 0) for k in TABLES
        )
        show(
            "EXTRAPOLATED from the per-day sizes: one year without retention",
            year_without,
            1024 * MB,
            "GB",
        )
        show(
            "EXTRAPOLATED: one year with the default retention (30 full days + 335 thinned, "
            "events 14 days, job runs 90 days)",
            year_with,
            1024 * MB,
            "GB",
        )

        if args.steady_state:
            steady_url = await create_postgres_database("mysymbols_bench_steady")
            await asyncio.to_thread(upgrade_to_head, steady_url)
            await without_autovacuum(steady_url)
            await asyncio.to_thread(real_run, steady_url, args.symbols)
            engine = create_async_engine(steady_url)
            async with engine.connect() as connection:
                steady_info = await templates(connection)
            await engine.dispose()
            t0 = time.perf_counter()
            now = datetime.now(UTC)
            day = timedelta(days=1)
            await fill(steady_url, steady_info, now - 366 * day, 335, full=False, events=False)
            await fill(
                steady_url, steady_info, now - 31 * day, 30, full=True, events=False, job_days=90
            )
            engine = create_async_engine(steady_url)
            async with engine.begin() as connection:
                for i in range(14):
                    await generate_events(
                        connection, steady_info["event"], now - (15 - i) * day, RUNS_PER_DAY
                    )
            await engine.dispose()
            await vacuum(steady_url, full=False)
            engine = create_async_engine(steady_url)
            async with engine.connect() as connection:
                steady = await sizes(connection)
            await engine.dispose()
            print(f"\nbuilt the steady state [{time.perf_counter() - t0:.0f} s]")
            show(
                "MEASURED: one year with the default retention (what it keeps, generated)",
                steady,
                1024 * MB,
                "GB",
            )
            # An hourly pass on that year: the runs that crossed a window since the last one.
            report, seconds = await retention_pass(steady_url, now + timedelta(hours=1))
            print(f"\nan hourly pass on the year's database: {seconds:.2f} s, {report}")
    finally:
        await drop_postgres_database(url)
        if steady_url is not None and not args.keep:
            await drop_postgres_database(steady_url)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--days", type=int, default=2, help="days of full runs generated")
    parser.add_argument("--symbols", type=int, default=150, help="contracts scored per run")
    parser.add_argument(
        "--steady-state",
        action="store_true",
        help="also build and measure what a year with retention keeps",
    )
    parser.add_argument("--keep", action="store_true", help="keep the steady-state database")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
