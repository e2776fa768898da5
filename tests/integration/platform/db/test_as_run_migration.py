"""Migration 0027 on fresh PostgreSQL and SQLite databases: a record stored by 0026's code (a
`policy` book beside the baselines) becomes the as-run record, its decisions' actors resolved
from the audit rows they took in, the costs from the stored settings; the baselines are gone;
the downgrade renames the book back, the baselines still absent."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, inspect, text

from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.integration.platform.db.test_migrations import BACKENDS, inspect_database, migrate

BOOK = {
    "units": {"BTCUSDT": 0.01},
    "cash": 0.1,
    "fees": 6e-4,
    "funding": 0.0,
    "turnover": 1.0,
    "trades": 1,
}
BASELINES = ("btc_hold", "equal_weight", "top_volume", "momentum")
AUDIT = [(1, "scheduler"), (2, "desk-key"), (3, "autopilot"), (4, "desk-key")]
# (hour, audit_id): the first takes in row 1, the second rows 2-4, the third nothing left.
DECISIONS = [(0, 1), (1, 4), (2, 9)]
FEES = (1e-4, 2e-4, 3e-4)


@pytest.fixture(params=BACKENDS)
async def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of its own (as `test_migrations`)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    url = await create_postgres_database("mysymbols_migrations")
    try:
        yield url
    finally:
        await drop_postgres_database(url)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def seed(sync_conn: Connection) -> None:
    """A record as 0026's code stored it, the fee setting changed to 8 bps."""

    def moment(hour: int) -> Any:  # asyncpg takes datetimes; SQLite stores naive text
        at = datetime(2026, 11, 20, hour, tzinfo=UTC)
        return at.strftime("%Y-%m-%d %H:%M:%S.%f") if sync_conn.dialect.name == "sqlite" else at

    for audit_id, actor in AUDIT:
        sync_conn.execute(
            text(
                "INSERT INTO portfolio_history (id, occurred_at, action, actor, details) "
                "VALUES (:id, :at, 'add', :actor, '{}')"
            ),
            {"id": audit_id, "at": moment(audit_id), "actor": actor},
        )
    books = ("policy", *BASELINES, "random")
    for hour, audit_id in DECISIONS:
        sync_conn.execute(
            text(
                "INSERT INTO track_record_decision (at, audit_id, reason, config_hash, weights, "
                "turnover, fees) VALUES (:at, :audit, 'test', :hash, :weights, :turnover, :fees)"
            ),
            {
                "at": moment(hour),
                "audit": audit_id,
                "hash": "c" * 64,
                "weights": json.dumps({"BTCUSDT": 1.0}),
                "turnover": json.dumps({b: 0.5 + hour for b in books}),
                "fees": json.dumps({b: FEES[hour] for b in books}),
            },
        )
        for book in books:
            sync_conn.execute(
                text(
                    "INSERT INTO track_record_hour (strategy, at, equity, gap) "
                    "VALUES (:book, :at, :equity, false)"
                ),
                {"book": book, "at": moment(hour), "equity": 1.0 + hour / 100},
            )
    state = {
        "books": {b: BOOK for b in ("policy", *BASELINES)},
        "draws": [{"held": ["ETHUSDT"], "rng": {}, "book": BOOK}],
        "marks": {"BTCUSDT": 90000.0},
        "gap_hours": 3,
    }
    sync_conn.execute(
        text(
            "INSERT INTO track_record (id, inception_at, last_hour, last_audit_id, state, "
            "updated_at) VALUES (1, :first, :last, 9, :state, :last)"
        ),
        {"first": moment(0), "last": moment(2), "state": json.dumps(state)},
    )
    sync_conn.execute(
        text("UPDATE system_configuration SET value = '8.0' WHERE key = 'track_record_fee_bps'")
    )
    sync_conn.commit()


def stored(sync_conn: Connection) -> dict[str, Any]:
    columns = {c["name"] for c in inspect(sync_conn).get_columns("track_record_decision")}
    extra = [c for c in ("actor", "fee_bps", "slippage_bps") if c in columns]
    decisions = sync_conn.execute(
        text(
            f"SELECT {', '.join(['audit_id', 'turnover', 'fees', *extra])} "
            "FROM track_record_decision ORDER BY at"
        )
    ).all()
    hours = sync_conn.execute(
        text("SELECT strategy, count(*) FROM track_record_hour GROUP BY strategy")
    ).all()
    state = sync_conn.scalar(text("SELECT state FROM track_record"))
    return {
        "columns": extra,
        "decisions": [(r[0], _json(r[1]), _json(r[2]), *r[3:]) for r in decisions],
        "hours": dict(hours),
        "state": _json(state),
    }


class TestAsRunMigration:
    async def test_0027_renames_the_book_resolves_actors_and_drops_the_baselines(
        self, fresh_url: str
    ) -> None:
        await migrate(fresh_url, "upgrade", "0026")
        await inspect_database(fresh_url, seed)
        await migrate(fresh_url, "upgrade", "0027")

        after = await inspect_database(fresh_url, stored)
        assert after["columns"] == ["actor", "fee_bps", "slippage_bps"]
        assert after["decisions"] == [
            (1, {"as_run": 0.5}, {"as_run": 1e-4}, "scheduler", 8.0, 0.0),
            (4, {"as_run": 1.5}, {"as_run": 2e-4}, "desk-key+autopilot", 8.0, 0.0),
            (9, {"as_run": 2.5}, {"as_run": 3e-4}, "unknown", 8.0, 0.0),
        ]
        assert after["hours"] == {"as_run": 3}  # the baselines' rows deleted
        assert after["state"] == {
            "books": {"as_run": BOOK},
            "marks": {"BTCUSDT": 90000.0},
            "gap_hours": 3,
        }

        await migrate(fresh_url, "downgrade", "0026")
        before = await inspect_database(fresh_url, stored)
        assert before["columns"] == []
        assert [d[:3] for d in before["decisions"]] == [
            (1, {"policy": 0.5}, {"policy": 1e-4}),
            (4, {"policy": 1.5}, {"policy": 2e-4}),
            (9, {"policy": 2.5}, {"policy": 3e-4}),
        ]
        assert before["hours"] == {"policy": 3}
        assert before["state"] == {
            "books": {"policy": BOOK},
            "draws": [],
            "marks": {"BTCUSDT": 90000.0},
            "gap_hours": 3,
        }

    async def test_0027_on_an_empty_record(self, fresh_url: str) -> None:
        await migrate(fresh_url, "upgrade", "0027")
        after = await inspect_database(fresh_url, stored)
        assert after == {
            "columns": ["actor", "fee_bps", "slippage_bps"],
            "decisions": [],
            "hours": {},
            "state": None,
        }
        await migrate(fresh_url, "downgrade", "0026")
        assert (await inspect_database(fresh_url, stored))["columns"] == []
