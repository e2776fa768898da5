"""Migration 0042: the session rule decides every contract anew at the first scoring run after
the upgrade (its decision day cleared), keeping the verdict and figures until then."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

from tests.integration.platform.db.test_migrations import fresh_url, inspect_database, migrate

__all__ = ["fresh_url"]  # the fixture: an empty database of its own

DAY_MS = 1_795_046_400_000  # 2026-11-18 00:00 UTC
FIGURES = {"quietness": 0.0112, "verdict": "commodity"}


def decided_under_the_old_rule(sync_conn: Connection) -> None:
    sync_conn.execute(
        text(
            "INSERT INTO symbol (symbol, kucoin_symbol, base_currency, quote_currency, "
            "settle_currency, contract_type, is_inverse, lot_size, tick_size, multiplier, "
            "max_leverage, status, is_eligible, category_data, category_figures, "
            "category_data_day_ms, first_seen_at, last_seen_at) VALUES ('BTCUSDT', 'XBTUSDTM', "
            "'BTC', 'USDT', 'USDT', 'FFWCSX', false, 1, 0.1, 0.001, 125, 'Open', true, "
            "'commodity', :figures, :day, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
        {"figures": json.dumps(FIGURES), "day": DAY_MS},
    )
    sync_conn.commit()


def verdict(sync_conn: Connection) -> tuple[Any, ...]:
    row = sync_conn.execute(
        text("SELECT category_data, category_data_day_ms, category_figures FROM symbol")
    ).one()
    figures = row[2] if isinstance(row[2], dict) else json.loads(row[2])
    return row[0], row[1], figures


async def test_the_upgrade_leaves_every_contract_to_be_decided_anew(fresh_url: str) -> None:
    await migrate(fresh_url, "upgrade", "0041")
    await inspect_database(fresh_url, decided_under_the_old_rule)
    assert await inspect_database(fresh_url, verdict) == ("commodity", DAY_MS, FIGURES)
    await migrate(fresh_url, "upgrade", "0042")
    assert await inspect_database(fresh_url, verdict) == ("commodity", None, FIGURES)
