"""The configuration API: every runtime setting listed with its bounds; changes validated as a
whole (nothing changes on any error), audited one row per changed value."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.configuration.registry import RUNTIME_SETTINGS
from app.platform.db.models.system_configuration import ConfigurationChange, SystemConfiguration
from tests.conftest import ADMIN_KEY, ADMIN_NAME, READ_KEY, TRADE_KEY
from tests.factories import make_member
from tests.helpers import assert_problem, set_config

URL = "/api/symbol-mgmt/config"
ADMIN = {"X-API-Key": ADMIN_KEY}


async def stored(session: AsyncSession) -> dict[str, Any]:
    rows = await session.execute(select(SystemConfiguration.key, SystemConfiguration.value))
    return dict(rows.all())


async def audit_rows(session: AsyncSession) -> list[ConfigurationChange]:
    return list((await session.scalars(select(ConfigurationChange))).all())


async def put(client: httpx.AsyncClient, values: Any, key: str = ADMIN_KEY) -> httpx.Response:
    return await client.put(URL, json={"values": values}, headers={"X-API-Key": key})


class TestListing:
    async def test_lists_every_registered_setting_by_key_with_its_bounds(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get(URL, headers={"X-API-Key": READ_KEY})
        assert response.status_code == 200, response.text
        settings = response.json()["settings"]
        assert [s["key"] for s in settings] == sorted(s.key for s in RUNTIME_SETTINGS)
        by_key = {s["key"]: s for s in settings}
        assert by_key["max_portfolio_symbols"] == {
            "key": "max_portfolio_symbols",
            "value": 10,
            "type": "integer",
            "default": 10,
            "minimum": 1,
            "maximum": 50,
            "choices": None,
            "description": "Most active portfolio members (ranks 1..n enforced).",
        }
        assert by_key["weighting_method"]["type"] == "string"
        assert "hrp" in by_key["weighting_method"]["choices"]
        assert by_key["score_refresh_interval_s"]["minimum"] == 60
        assert by_key["retention_breakdown_days"]["value"] == 30
        assert by_key["exit_grace_hours"] == {
            "key": "exit_grace_hours",
            "value": 24,
            "type": "integer",
            "default": 24,
            "minimum": 2,
            "maximum": 720,
            "choices": None,
            "description": "Hours a member's contract may stay Paused, or its candles stale, "
            "before it exits without waiting for the replacement hysteresis.",
        }
        assert all(set(s) == set(by_key["max_portfolio_symbols"]) for s in settings)

    async def test_shows_the_stored_value_beside_the_default(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await set_config(session, "replacement_margin", 7.5)
        response = await client.get(URL, headers={"X-API-Key": READ_KEY})
        item = next(s for s in response.json()["settings"] if s["key"] == "replacement_margin")
        assert (item["value"], item["default"], item["type"]) == (7.5, 5.0, "number")

    async def test_needs_a_key(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.get(URL), 401, "unauthenticated")


class TestChanges:
    async def test_changes_several_together_with_one_audit_row_each(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        response = await put(
            client, {"max_position_weight": 30, "weighting_method": "hrp", "min_holding_hours": 24}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["changed"] == [
            {"key": "max_position_weight", "old": 25.0, "new": 30.0},
            {"key": "weighting_method", "old": "score", "new": "hrp"},
        ]  # min_holding_hours was already 24: not a change
        values = {s["key"]: s["value"] for s in body["settings"]}
        assert values["max_position_weight"] == 30.0 and values["weighting_method"] == "hrp"
        rows = await stored(session)
        assert rows["max_position_weight"] == 30.0 and rows["weighting_method"] == "hrp"
        audit = sorted(await audit_rows(session), key=lambda r: r.key)
        assert [(r.key, r.old_value, r.new_value, r.actor) for r in audit] == [
            ("max_position_weight", 25.0, 30.0, ADMIN_NAME),
            ("weighting_method", "score", "hrp", ADMIN_NAME),
        ]
        assert all(r.request_id == response.headers["x-request-id"] for r in audit)
        row = await session.get(SystemConfiguration, "weighting_method")
        assert row is not None and row.updated_by == ADMIN_NAME
        listed = await client.get(f"{URL}/changes", headers=ADMIN)
        assert {c["key"] for c in listed.json()} == {"max_position_weight", "weighting_method"}

    async def test_an_unchanged_value_writes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        response = await put(client, {"max_portfolio_symbols": 10, "min_position_weight": 2})
        assert response.status_code == 200, response.text
        assert response.json()["changed"] == []
        assert await audit_rows(session) == []

    async def test_an_integral_number_is_an_integer_and_a_number_is_stored_as_one(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        response = await put(client, {"max_portfolio_symbols": 12.0, "replacement_margin": 6})
        assert response.json()["changed"] == [
            {"key": "max_portfolio_symbols", "old": 10, "new": 12},
            {"key": "replacement_margin", "old": 5.0, "new": 6.0},
        ]
        rows = await stored(session)
        assert type(rows["max_portfolio_symbols"]) is int and rows["max_portfolio_symbols"] == 12

    async def test_a_setting_at_its_default_has_no_row_until_changed(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        assert await stored(session) == {}
        response = await put(client, {"alert_cooldown_s": 1200})
        assert response.json()["changed"] == [{"key": "alert_cooldown_s", "old": 900, "new": 1200}]
        assert await stored(session) == {"alert_cooldown_s": 1200}

    async def test_needs_the_admin_role(self, client: httpx.AsyncClient) -> None:
        for key in (READ_KEY, TRADE_KEY):
            assert_problem(await put(client, {"max_portfolio_symbols": 9}, key), 403, "forbidden")


INVALID: list[tuple[dict[str, Any], str, str]] = [
    ({"no_such_setting": 1}, "values.no_such_setting", "unknown setting"),
    ({"max_portfolio_symbols": "10"}, "values.max_portfolio_symbols", "must be an integer"),
    ({"max_portfolio_symbols": 2.5}, "values.max_portfolio_symbols", "must be an integer"),
    ({"max_portfolio_symbols": True}, "values.max_portfolio_symbols", "must be an integer"),
    ({"max_portfolio_symbols": 0}, "values.max_portfolio_symbols", "must be at least 1"),
    ({"max_portfolio_symbols": 51}, "values.max_portfolio_symbols", "must be at most 50"),
    ({"replacement_margin": None}, "values.replacement_margin", "must be a number"),
    ({"correlation_limit": 1.01}, "values.correlation_limit", "must be at most 1"),
    ({"weighting_method": "best"}, "values.weighting_method", "must be one of score, "),
    ({"weighting_method": 3}, "values.weighting_method", "must be a string"),
    ({"score_refresh_interval_s": 59}, "values.score_refresh_interval_s", "must be at least 60"),
    ({"alert_check_interval_s": 30}, "values.alert_check_interval_s", "must be at least 60"),
    ({"retention_event_days": 0}, "values.retention_event_days", "must be at least 1"),
    (
        {"min_position_weight": 30.0},
        "values.min_position_weight",
        "min_position_weight must not exceed max_position_weight",
    ),
    (
        {"max_position_weight": 10, "min_position_weight": 12},
        "values.min_position_weight",
        "min_position_weight must not exceed max_position_weight",
    ),
    (
        {"gate_min_history": 800},
        "values.gate_min_history",
        "gate_min_history must not exceed scoring_candles",
    ),
    (  # a window in force reads 721: a run would measure it over fewer hours than it says
        {"scoring_candles": 500},
        "values.scoring_candles",
        "must be at least 721: the longest window, technical.momentum_hours.2, reads 721 hourly "
        "candles (shorten it first: PUT /scoring/algorithms)",
    ),
    (
        {"retention_score_days": 20},
        "values.retention_score_days",
        "retention_breakdown_days must not exceed retention_score_days",
    ),
]


class TestValidation:
    @pytest.mark.parametrize(("values", "field", "message"), INVALID)
    async def test_a_bad_value_is_422_and_changes_nothing(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        values: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        before = await stored(session)
        # A valid change beside the bad one: nothing is applied unless everything is valid.
        response = await put(client, {"replacement_margin": 9.0, **values})
        body = assert_problem(response, 422, "validation-error")
        errors = body["errors"]
        assert isinstance(errors, list)
        assert [e["field"] for e in errors] == [field]
        assert errors[0]["message"].startswith(message)
        assert body["detail"] == f"{field}: {errors[0]['message']}"
        assert await stored(session) == before
        assert await audit_rows(session) == []

    async def test_every_bad_value_is_reported(self, client: httpx.AsyncClient) -> None:
        response = await put(client, {"max_portfolio_symbols": 0, "weighting_method": "x", "y": 1})
        body = assert_problem(response, 422, "validation-error")
        assert [e["field"] for e in body["errors"]] == [  # type: ignore[union-attr]
            "values.max_portfolio_symbols",
            "values.weighting_method",
            "values.y",
        ]

    @pytest.mark.parametrize("body", [{"values": {}}, {}, {"values": []}, {"values": {}, "x": 1}])
    async def test_a_malformed_body_is_422(
        self, client: httpx.AsyncClient, session: AsyncSession, body: dict[str, Any]
    ) -> None:
        before = await stored(session)
        response = await client.put(URL, json=body, headers=ADMIN)
        assert_problem(response, 422, "validation-error")
        assert await stored(session) == before

    async def test_max_symbols_not_below_the_active_members(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        for seat in (1, 2, 3):
            await make_member(session, seat)
        response = await put(client, {"max_portfolio_symbols": 2})
        body = assert_problem(response, 422, "validation-error")
        assert body["errors"][0]["message"] == (  # type: ignore[index]
            "must not be below the 3 active members (remove some first)"
        )
        assert "max_portfolio_symbols" not in await stored(session)  # unchanged: no row
        response = await put(client, {"max_portfolio_symbols": 3})
        assert response.json()["changed"] == [{"key": "max_portfolio_symbols", "old": 10, "new": 3}]
