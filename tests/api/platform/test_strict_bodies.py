"""Request bodies are read as the JSON types the API documents: a number or text for a boolean,
text for a number (money and fractions too: every figure is a JSON number), a fraction for an
integer are each a 422 problem naming the field, and change nothing (`"dry_run": 0` once
executed a rebalance). Times are ISO 8601 text; query parameters keep HTTP's text forms."""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.lab.models import ReplayRun
from app.platform.http.json_body import ENCODED_MESSAGE
from app.portfolio.models import PortfolioHistory
from app.signals.models import Signal
from tests.conftest import ADMIN_KEY, TRADE_KEY
from tests.helpers import assert_problem

API = "/api/symbol-mgmt"
TRADE = {"X-API-Key": TRADE_KEY}
ADMIN = {"X-API-Key": ADMIN_KEY}
SIGNAL = {
    "source": "strict-probe",
    "signal_type": "PROBE",
    "direction": "BUY",
    "strength": 0.5,
    "confidence": 0.5,
}
REPLAY = {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z", "every": "24h"}


async def count(session: AsyncSession, model: type[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def the_field(response: httpx.Response, field: str) -> dict[str, Any]:
    problem = assert_problem(response, 422, "validation-error")
    assert [e["field"] for e in problem["errors"]] == [field], problem
    return problem


@pytest.mark.parametrize("value", [0, 1, 0.0, "0", "false", "no", "off", None])
async def test_a_rebalance_whose_dry_run_is_not_a_boolean_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, value: object
) -> None:
    before = await count(session, PortfolioHistory)
    response = await client.post(
        f"{API}/portfolio/rebalance", json={"dry_run": value}, headers=TRADE
    )
    problem = the_field(response, "dry_run")
    assert problem["errors"][0]["code"] == "bool_type"
    assert await count(session, PortfolioHistory) == before


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"top": 5.5}, "top", "int_type"),
        ({"top": "5"}, "top", "int_type"),
        ({"top": 51}, "top", "less_than_equal"),  # max_portfolio_symbols's own bound
        ({"execution_lag_h": True}, "execution_lag_h", "int_type"),
        ({"fee_bps": "6"}, "fee_bps", "float_type"),
        ({"every": 24}, "every", "string_type"),
        ({"from": 1767225600}, "from", "datetime_format"),
    ],
)
async def test_a_replay_with_a_wrong_json_type_is_refused_and_starts_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    change: dict[str, object],
    field: str,
    code: str,
) -> None:
    response = await client.post(f"{API}/replays", json={**REPLAY, **change}, headers=TRADE)
    problem = the_field(response, field)
    assert problem["errors"][0]["code"] == code
    assert await count(session, ReplayRun) == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"from": "2026-01-01T00:30:00Z"}, "from", "must be a whole hour"),
        ({"to": "2026-01-31T23:59:59Z"}, "to", "must be a whole hour"),
        ({"to": "2026-01-01T00:00:00Z"}, "to", "must be after from"),
        ({"to": "0001-12-31T00:00:00Z"}, "to", None),
        ({"from": "9999-12-31T23:00:00-23:00"}, "from", None),
    ],
)
async def test_a_replay_s_range_refused_names_its_bound_and_starts_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    change: dict[str, object],
    field: str,
    message: str | None,
) -> None:
    """The range's own rules were one error of the whole body ("body: Value error, ...")."""
    response = await client.post(f"{API}/replays", json={**REPLAY, **change}, headers=TRADE)
    problem = the_field(response, field)
    if message is not None:
        assert problem["errors"][0]["message"] == message
    else:
        assert problem["errors"][0]["code"] == "datetime_window"
    assert await count(session, ReplayRun) == 0


async def test_a_signal_takes_a_fraction_as_a_number_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    taken = await client.post(f"{API}/signals", json={**SIGNAL, "strength": 0.35}, headers=TRADE)
    assert taken.status_code == 201, taken.text
    assert taken.json()["strength"] == 0.35
    for strength in ("0.35", True):
        refused = await client.post(
            f"{API}/signals", json={**SIGNAL, "strength": strength}, headers=TRADE
        )
        the_field(refused, "strength")
    source = await client.post(f"{API}/signals", json={**SIGNAL, "source": 7}, headers=TRADE)
    the_field(source, "source")
    assert await count(session, Signal) == 1


@pytest.mark.parametrize("balance", ["25000", "25000.00", True])
async def test_money_as_text_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, balance: object
) -> None:
    before = await count(session, PortfolioHistory)
    response = await client.post(
        f"{API}/portfolio/rebalance",
        json={"dry_run": False, "account_balance": balance},
        headers=TRADE,
    )
    the_field(response, "account_balance")
    assert await count(session, PortfolioHistory) == before


async def test_an_api_key_takes_its_role_as_text_only(client: httpx.AsyncClient) -> None:
    created = await client.post(
        f"{API}/api-keys", json={"name": "strict-probe", "role": "read"}, headers=ADMIN
    )
    assert created.status_code == 201, created.text
    refused = await client.post(
        f"{API}/api-keys", json={"name": "strict-probe-2", "role": 1}, headers=ADMIN
    )
    the_field(refused, "role")


async def test_query_parameters_keep_their_text_forms(client: httpx.AsyncClient) -> None:
    """`?limit=5` is text on the wire: it is read as the number it spells."""
    response = await client.get(f"{API}/alerts", params={"limit": "5"}, headers=TRADE)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("coding", "body"),
    [
        ("gzip", gzip.compress(json.dumps(SIGNAL).encode())),  # its bytes compressed
        ("gzip", json.dumps(SIGNAL).encode()),  # declared, yet plain
        ("br, identity", json.dumps(SIGNAL).encode()),
    ],
    ids=["gzip", "gzip-declared-only", "br"],
)
async def test_an_encoded_body_is_refused_in_words_and_stores_nothing(
    client: httpx.AsyncClient, session: AsyncSession, coding: str, body: bytes
) -> None:
    """A `Content-Encoding` this service does not undo: the bytes read would be compressed, or
    not what the header says. Before, gzip's bytes were refused as no JSON and a plain body
    declared gzip was read as plain."""
    before = await count(session, Signal)
    headers = {**TRADE, "Content-Type": "application/json", "Content-Encoding": coding}
    response = await client.post(f"{API}/signals", content=body, headers=headers)
    problem = the_field(response, "body")
    [error] = problem["errors"]
    assert error["code"] == "content_encoding"
    first = coding.split(",")[0]
    assert error["message"] == f"{ENCODED_MESSAGE} (this one came with `Content-Encoding: {first}`)"
    assert await count(session, Signal) == before


async def test_an_identity_coding_is_no_encoding(client: httpx.AsyncClient) -> None:
    headers = {**TRADE, "Content-Type": "application/json", "Content-Encoding": "identity"}
    response = await client.post(f"{API}/signals", content=json.dumps(SIGNAL), headers=headers)
    assert response.status_code == 201, response.text
