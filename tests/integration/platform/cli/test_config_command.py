"""`python -m app.cli config get|set` against a contract double of `GET`/`PUT /config`.

The double serves exactly the contract the configuration API is built to (another branch), so this
tests the command line's HTTP side: the key it sends, the JSON types it parses values into, how
it prints the table, the changes and a problem+json refusal. It is not the service.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from app.cli import main

ADMIN = "cli-test-admin-key-0123456789"
PROBLEM = "application/problem+json"
SETTINGS: list[dict[str, Any]] = [
    {
        "key": "max_portfolio_symbols",
        "value": 10,
        "type": "integer",
        "default": 10,
        "minimum": 1,
        "maximum": 20,
        "choices": None,
        "description": "Most members at once.",
    },
    {
        "key": "rebalance_threshold_pct",
        "value": 5.0,
        "type": "number",
        "default": 5.0,
        "minimum": 0.1,
        "maximum": 50.0,
        "choices": None,
        "description": "Drift that rebalances.",
    },
    {
        "key": "weighting_method",
        "value": "score",
        "type": "string",
        "default": "score",
        "minimum": None,
        "maximum": None,
        "choices": ["score", "equal", "hrp"],
        "description": "How weights are set.",
    },
    {
        "key": "auto_rebalance",
        "value": False,
        "type": "boolean",
        "default": False,
        "minimum": None,
        "maximum": None,
        "choices": None,
        "description": "Rebalance on a timer.",
    },
]
TYPES = {"integer": int, "number": (int, float), "string": str, "boolean": bool}


@dataclass
class ConfigDouble:
    url: str
    settings: list[dict[str, Any]]
    puts: list[dict[str, Any]] = field(default_factory=list)

    def value(self, key: str) -> Any:
        return next(s["value"] for s in self.settings if s["key"] == key)


def problem(status: int, title: str, detail: str, errors: list[Any] | None = None) -> web.Response:
    body: dict[str, Any] = {
        "type": "urn:mysymbols:problem:x",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return web.json_response(body, status=status, content_type=PROBLEM)


def invalid(setting: dict[str, Any], value: Any) -> str | None:
    """Why `value` does not fit `setting`, as the configuration API would say; None if it fits."""
    kind = TYPES[setting["type"]]
    if not isinstance(value, kind) or (setting["type"] != "boolean" and isinstance(value, bool)):
        return f"must be of type {setting['type']}"
    if setting["choices"] and value not in setting["choices"]:
        return f"must be one of {', '.join(setting['choices'])}"
    if setting["minimum"] is not None and value < setting["minimum"]:
        return f"must be >= {setting['minimum']}"
    if setting["maximum"] is not None and value > setting["maximum"]:
        return f"must be <= {setting['maximum']}"
    return None


@pytest.fixture
async def double() -> AsyncIterator[ConfigDouble]:
    state = ConfigDouble("", copy.deepcopy(SETTINGS))

    async def get_config(request: web.Request) -> web.Response:
        return web.json_response({"settings": state.settings})

    async def put_config(request: web.Request) -> web.Response:
        key = request.headers.get("X-API-Key")
        if key is None:
            return problem(401, "Unauthorized", "An API key is required in the X-API-Key header.")
        if key != ADMIN:
            return problem(403, "Forbidden", "This needs the admin role.")
        body = await request.json()
        state.puts.append(body)
        by_key = {s["key"]: s for s in state.settings}
        errors = []
        for name, value in body["values"].items():
            why = "unknown setting" if name not in by_key else invalid(by_key[name], value)
            if why:
                errors.append({"field": f"values.{name}", "message": why, "code": "invalid"})
        if errors:
            detail = f"{errors[0]['field']}: {errors[0]['message']}"
            return problem(422, "Validation failed", detail, errors)
        changed = []
        for name, value in body["values"].items():
            if by_key[name]["value"] != value:
                changed.append({"key": name, "old": by_key[name]["value"], "new": value})
                by_key[name]["value"] = value
        return web.json_response({"changed": changed, "settings": state.settings})

    app = web.Application()
    app.router.add_get("/api/symbol-mgmt/config", get_config)
    app.router.add_put("/api/symbol-mgmt/config", put_config)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    state.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield state
    await runner.cleanup()


@pytest.fixture
def admin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYSYMBOLS_API_KEY", ADMIN)


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MYSYMBOLS_API_KEY", raising=False)


async def cli(*argv: str) -> int:
    """The command line in a thread (it runs its own event loop; the double runs in ours)."""
    return await asyncio.to_thread(main, list(argv))


class TestConfigGet:
    async def test_prints_every_setting_with_its_type_default_and_range(
        self, double: ConfigDouble, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("config", "get", "--url", double.url) == 0
        out = capsys.readouterr().out
        rows = {line.split()[1]: line for line in out.splitlines() if line.startswith("│")}
        assert set(rows) == {s["key"] for s in SETTINGS}
        cells = [cell.strip() for cell in rows["max_portfolio_symbols"].split("│")[2:6]]
        assert cells == ["10", "integer", "10", "1..20"]
        assert "score, equal, hrp" in rows["weighting_method"]
        assert " false " in rows["auto_rebalance"] and "Rebalance on a timer." in out

    async def test_one_key_prints_its_value_alone(
        self, double: ConfigDouble, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("config", "get", "rebalance_threshold_pct", "--url", double.url) == 0
        assert capsys.readouterr().out == "5.0\n"

    async def test_an_unknown_key_exits_2_naming_the_known_ones(
        self, double: ConfigDouble, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("config", "get", "max_symbols", "--url", double.url) == 2
        err = capsys.readouterr().err
        assert "no setting 'max_symbols'" in err and "max_portfolio_symbols" in err


class TestConfigSet:
    async def test_values_are_sent_as_the_types_get_reports_and_changes_printed(
        self, double: ConfigDouble, admin: None, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code = await cli(
            "config",
            "set",
            "max_portfolio_symbols=12",
            "rebalance_threshold_pct=7.5",
            "weighting_method=hrp",
            "auto_rebalance=yes",
            "--url",
            double.url,
        )
        assert code == 0
        assert double.puts == [
            {
                "values": {
                    "max_portfolio_symbols": 12,
                    "rebalance_threshold_pct": 7.5,
                    "weighting_method": "hrp",
                    "auto_rebalance": True,
                }
            }
        ]
        sent = double.puts[0]["values"]
        assert type(sent["max_portfolio_symbols"]) is int and sent["auto_rebalance"] is True
        rows = [
            line.split("│")[1:4]
            for line in capsys.readouterr().out.splitlines()
            if line.startswith("│")
        ]
        assert [[cell.strip() for cell in row] for row in rows] == [
            ["max_portfolio_symbols", "10", "12"],
            ["rebalance_threshold_pct", "5.0", "7.5"],
            ["weighting_method", "score", "hrp"],
            ["auto_rebalance", "false", "true"],
        ]
        assert double.value("max_portfolio_symbols") == 12

    async def test_setting_the_current_value_says_nothing_changed(
        self, double: ConfigDouble, admin: None, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("config", "set", "max_portfolio_symbols=10", "--url", double.url) == 0
        assert capsys.readouterr().out == "nothing changed\n"

    async def test_a_refusal_is_printed_readably_with_exit_1_and_nothing_changes(
        self, double: ConfigDouble, admin: None, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code = await cli(
            "config",
            "set",
            "max_portfolio_symbols=25",
            "weighting_method=best",
            "--url",
            double.url,
        )
        assert code == 1
        err = capsys.readouterr().err.splitlines()
        assert err[0] == "config set: 422 Validation failed"
        assert err[1] == "  values.max_portfolio_symbols: must be <= 20"
        assert err[2] == "  - values.max_portfolio_symbols: must be <= 20"
        assert err[3] == "  - values.weighting_method: must be one of score, equal, hrp"
        assert double.value("max_portfolio_symbols") == 10
        assert double.value("weighting_method") == "score"

    async def test_without_a_key_the_401_is_shown_with_exit_1(
        self, double: ConfigDouble, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert await cli("config", "set", "auto_rebalance=true", "--url", double.url) == 1
        err = capsys.readouterr().err
        assert err.startswith("config set: 401 Unauthorized\n")
        assert "X-API-Key" in err and double.value("auto_rebalance") is False

    @pytest.mark.parametrize(
        ("assignment", "message"),
        [
            ("max_portfolio_symbols=12.5", "max_portfolio_symbols takes an integer, not '12.5'"),
            ("rebalance_threshold_pct=lots", "rebalance_threshold_pct takes a number, not 'lots'"),
            ("rebalance_threshold_pct=nan", "takes a finite number"),
            ("auto_rebalance=maybe", "auto_rebalance takes true or false, not 'maybe'"),
            ("max_symbols=3", "no setting 'max_symbols'"),
            ("max_portfolio_symbols", "'max_portfolio_symbols' is not KEY=VALUE"),
        ],
    )
    async def test_a_value_that_does_not_parse_exits_2_and_sends_nothing(
        self,
        double: ConfigDouble,
        admin: None,
        capsys: pytest.CaptureFixture[str],
        assignment: str,
        message: str,
    ) -> None:
        assert await cli("config", "set", assignment, "--url", double.url) == 2
        assert message in capsys.readouterr().err
        assert double.puts == []

    async def test_an_unreachable_service_exits_1(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert await cli("config", "get", "--url", "http://127.0.0.1:9") == 1
        assert "config get: the service did not answer" in capsys.readouterr().err
