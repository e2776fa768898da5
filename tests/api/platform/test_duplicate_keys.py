"""One value per JSON key: a key given twice in one object of a request body, at any depth, is a
422 naming the key and where it is, and changes nothing. Before, Python's parser kept the last:
a signal's second `"direction": "SELL"` was the one stored, and so in `PUT /config`'s values and
`PUT /scoring/algorithms`' parameters."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.models import SystemConfiguration
from app.scoring.models import ScoringConfigChange
from app.signals.models import Signal
from tests.conftest import ADMIN_KEY
from tests.helpers import assert_problem

API = "/api/symbol-mgmt"
ADMIN = {"X-API-Key": ADMIN_KEY, "content-type": "application/json"}
SIGNAL = '"source": "dup-probe", "signal_type": "PROBE", "strength": 0.5, "confidence": 0.5'


async def count(session: AsyncSession, model: type[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def the_key(response: httpx.Response, field: str, key: str) -> None:
    """A 422 whose one error names `field` (the key's place) and says the key."""
    problem = assert_problem(response, 422, "validation-error")
    [error] = problem["errors"]  # type: ignore[misc]
    assert (error["field"], error["code"]) == (field, "duplicate_key"), problem
    assert f'"{key}" is given more than once' in error["message"]
    assert str(problem["detail"]).startswith(f"{field}: ")


async def test_a_signal_s_second_direction_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    body = f'{{{SIGNAL}, "direction": "BUY", "direction": "SELL"}}'
    response = await client.post(f"{API}/signals", content=body, headers=ADMIN)
    the_key(response, "direction", "direction")
    assert await count(session, Signal) == 0


async def test_a_key_given_twice_deep_in_a_payload_is_named_where_it_is(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    body = f'{{{SIGNAL}, "direction": "BUY", "payload": {{"a": [1, {{"b": 1, "b": 1}}]}}}}'
    response = await client.post(f"{API}/signals", content=body, headers=ADMIN)
    the_key(response, "payload.a.1.b", "b")
    assert await count(session, Signal) == 0


async def test_a_setting_given_twice_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    body = '{"values": {"max_position_weight": 30.0, "max_position_weight": 35.0}}'
    response = await client.put(f"{API}/config", content=body, headers=ADMIN)
    the_key(response, "values.max_position_weight", "max_position_weight")
    assert await count(session, SystemConfiguration) == 0


async def test_an_algorithm_parameter_given_twice_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    algorithms = f"{API}/scoring/algorithms"
    before = (await client.get(algorithms, headers=ADMIN)).json()
    changes = await count(session, ScoringConfigChange)
    body = (
        '{"algorithms": [{"name": "technical", "parameters": '
        '{"rsi_period": 14, "rsi_period": 21}}]}'
    )
    response = await client.put(algorithms, content=body, headers=ADMIN)
    the_key(response, "algorithms.0.parameters.rsi_period", "rsi_period")
    assert (await client.get(algorithms, headers=ADMIN)).json() == before
    assert await count(session, ScoringConfigChange) == changes
