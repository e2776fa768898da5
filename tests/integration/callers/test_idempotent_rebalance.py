"""The scheduled rebalance with `Idempotency-Key`: one effect per key however many replicas or
retries call it; replays are byte for byte; another body is 422; in flight is 409."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

import httpx
from sqlalchemy import func, select, text

from app.callers.idempotency import request_fingerprint
from app.callers.models import IdempotencyKey
from app.platform.core.clock import utcnow
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine
from app.signals.models import Signal
from tests.conftest import TRADE_NAME
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator

REBALANCE = f"{BASE}/portfolio/rebalance"
BODY = {"dry_run": False, "account_balance": 50000}


def raw(body: dict[str, object]) -> bytes:
    return json.dumps(body).encode()


async def rebalance(
    api: httpx.AsyncClient, key: str, body: dict[str, object] = BODY
) -> httpx.Response:
    headers = {**TRADE, "Idempotency-Key": key, "content-type": "application/json"}
    return await api.post(REBALANCE, content=raw(body), headers=headers)


async def with_members(api: httpx.AsyncClient, symbols: list[str]) -> None:
    for symbol in symbols[:5]:
        response = await api.post(
            f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE
        )
        assert response.status_code == 200, response.text


def check_one_effect_per_key(calls: list[tuple[str, httpx.Response]], keys: int) -> None:
    by_key: dict[str, list[httpx.Response]] = defaultdict(list)
    for key, response in calls:
        by_key[key].append(response)
    executions = set()
    for key, responses in by_key.items():
        answered = [r for r in responses if r.status_code == 200]
        assert answered, f"no call with {key} was answered"
        assert len({r.content for r in answered}) == 1, f"replays of {key} differ"
        assert sum("idempotent-replayed" not in r.headers for r in answered) == 1
        for r in responses:
            if r.status_code != 200:
                assert r.status_code == 409, r.text
                assert r.json()["type"].endswith("idempotency-key-in-progress")
                assert r.headers["retry-after"] == "1"
        executions.add(answered[0].json()["request_id"])
    assert len(executions) == keys  # exactly one execution per key


class TestConcurrentScheduledCalls:
    async def test_200_calls_with_20_keys_act_20_times_on_postgres(
        self,
        committed_postgres: str,
        live_sim: KucoinSimulator,
        make_environment: Callable[..., Environment],
    ) -> None:
        api, clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
        try:
            await with_members(api, symbols)
            keys = [f"rebalance-tick-{i}" for i in range(20)] * 10
            responses = await asyncio.gather(*(rebalance(api, key) for key in keys))
            check_one_effect_per_key(list(zip(keys, responses, strict=True)), 20)
            # A later retry replays; the same key with another body is refused.
            again = await rebalance(api, "rebalance-tick-3")
            first = next(
                r
                for k, r in zip(keys, responses, strict=True)
                if k == "rebalance-tick-3" and r.status_code == 200
            )
            assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
            other = await rebalance(api, "rebalance-tick-3", {**BODY, "dry_run": True})
            assert other.status_code == 422
            assert other.json()["type"].endswith("idempotency-key-reused")
        finally:
            await clients.aclose()
        engine = create_engine(make_environment(committed_postgres))
        async with engine.connect() as connection:
            stored = await connection.scalar(
                select(func.count())
                .select_from(IdempotencyKey)
                .where(IdempotencyKey.state == "completed")
            )
        await engine.dispose()
        assert stored == 20

    async def test_the_same_script_sequentially_on_sqlite(
        self,
        committed_sqlite: str,
        live_sim: KucoinSimulator,
        make_environment: Callable[..., Environment],
    ) -> None:
        api, clients, symbols = await prepared(committed_sqlite, live_sim, make_environment)
        try:
            await with_members(api, symbols)
            keys = [f"tick-{i}" for i in range(5)] * 4
            calls = [(key, await rebalance(api, key)) for key in keys]
            check_one_effect_per_key(calls, 5)
        finally:
            await clients.aclose()


class TestClaims:
    async def test_in_flight_is_409_abandoned_is_taken_over_and_failure_releases(
        self,
        committed_postgres: str,
        live_sim: KucoinSimulator,
        make_environment: Callable[..., Environment],
    ) -> None:
        api, clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
        engine = create_engine(make_environment(committed_postgres))
        try:
            await with_members(api, symbols)
            now = utcnow()
            fingerprint = request_fingerprint("POST", REBALANCE, raw(BODY))
            async with engine.begin() as connection:
                for key, age in (
                    ("running", timedelta(seconds=5)),
                    ("dead", timedelta(minutes=10)),
                ):
                    await connection.execute(
                        IdempotencyKey.__table__.insert().values(
                            key=key,
                            principal=TRADE_NAME,
                            method="POST",
                            path=REBALANCE,
                            request_hash=fingerprint,
                            state="in_progress",
                            created_at=now - age,
                            expires_at=now + timedelta(hours=1),
                        )
                    )
            running = await rebalance(api, "running")
            assert running.status_code == 409, running.text
            assert running.headers["retry-after"] == "1"
            assert (await rebalance(api, "dead")).status_code == 200  # its process died: taken over

            # A failed request leaves no claim behind: the retry runs.
            async with engine.begin() as connection:
                await connection.execute(
                    text("UPDATE symbol SET market_data_at = market_data_at - interval '1 day'")
                )
            stale = await rebalance(api, "after-outage")
            assert stale.status_code == 409 and stale.json()["type"].endswith("market-data-stale")
            async with engine.connect() as connection:
                left = await connection.scalar(
                    select(func.count())
                    .select_from(IdempotencyKey)
                    .where(IdempotencyKey.key == "after-outage")
                )
            assert left == 0
            await api.post(f"{BASE}/symbols/sync?wait=60", headers=TRADE)
            assert (await rebalance(api, "after-outage")).status_code == 200
        finally:
            await clients.aclose()
            await engine.dispose()


class TestSignals:
    async def test_a_retried_signal_is_stored_once(
        self,
        committed_postgres: str,
        live_sim: KucoinSimulator,
        make_environment: Callable[..., Environment],
    ) -> None:
        api, clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
        signal = {
            "source": "bot",
            "symbol": symbols[0],
            "signal_type": "MOMENTUM",
            "direction": "BUY",
            "strength": 0.5,
            "confidence": 0.5,
        }
        headers = {**TRADE, "Idempotency-Key": "signal-1"}
        try:
            first = await api.post(f"{BASE}/signals", json=signal, headers=headers)
            again = await api.post(f"{BASE}/signals", json=signal, headers=headers)
            other = await api.post(
                f"{BASE}/signals", json={**signal, "direction": "SELL"}, headers=headers
            )
        finally:
            await clients.aclose()
        assert first.status_code == again.status_code == 201
        assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
        assert other.status_code == 422  # idempotency-key-reused
        engine = create_engine(make_environment(committed_postgres))
        async with engine.connect() as connection:
            count = await connection.scalar(select(func.count()).select_from(Signal))
        await engine.dispose()
        assert count == 1
