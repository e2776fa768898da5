"""`config get [KEY]` and `config set KEY=VALUE …`: the runtime settings over the HTTP API
(`GET`/`PUT /config`), values parsed by the type the service reports for each key."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from app.cli.api import ApiClient, UsageError, add_connection_options
from app.cli.output import console, service_command, table, text

CONFIG_PATH = "/config"
TRUE = {"true", "yes", "on", "1"}
FALSE = {"false", "no", "off", "0"}


def add_commands(commands: Any) -> None:
    """Register `config get` and `config set`."""
    config = commands.add_parser("config", help="read or change the runtime settings")
    actions = config.add_subparsers(dest="action", required=True)
    get = actions.add_parser("get", help="every setting as a table, or one value")
    get.add_argument("key", nargs="?", help="print only this setting's value")
    put = actions.add_parser("set", help="change settings (admin key); prints what changed")
    put.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    for action in (get, put):
        add_connection_options(action)
        action.add_argument("--json", action="store_true", help="print the answer as JSON")


def run(args: argparse.Namespace) -> int:
    """Run `config get` or `config set`; 1 when the service refused or did not answer, 2 when
    the command line asks for what the settings cannot take."""
    return service_command(f"config {args.action}", configure(args))


async def configure(args: argparse.Namespace) -> int:
    """Read the settings, then print them (`get`) or change them and print what changed (`set`)."""
    async with ApiClient(args.url, timeout_s=args.timeout) as api:
        settings = (await api.get(CONFIG_PATH))["settings"]
        if args.action == "get":
            return show_settings(settings, args.key, args.json)
        values = parse_assignments(args.assignments, {s["key"]: s for s in settings})
        answer = await api.put(CONFIG_PATH, {"values": values})
    if args.json:
        sys.stdout.write(json.dumps(answer, indent=2) + "\n")
        return 0
    changed = answer.get("changed") or []
    if not changed:
        sys.stdout.write("nothing changed\n")
        return 0
    shown = table("changed", "key", "old", "new")
    for change in changed:
        shown.add_row(change["key"], shown_value(change["old"]), shown_value(change["new"]))
    console().print(shown)
    return 0


def show_settings(settings: list[dict[str, Any]], key: str | None, as_json: bool) -> int:
    """The table of settings, or one value (exit 1 for a key the service does not have)."""
    if key is not None:
        found = [s for s in settings if s["key"] == key]
        if not found:
            raise UsageError(f"no setting {key!r}; known: {', '.join(s['key'] for s in settings)}")
        value = found[0]["value"]
        sys.stdout.write((json.dumps(value) if as_json else shown_value(value)) + "\n")
        return 0
    if as_json:
        sys.stdout.write(json.dumps({"settings": settings}, indent=2) + "\n")
        return 0
    shown = table("settings", "key", "value", "type", "default", "range or choices", "description")
    for s in settings:
        shown.add_row(
            s["key"],
            shown_value(s["value"]),
            s["type"],
            shown_value(s.get("default")),
            bounds(s),
            s.get("description") or "",
        )
    console().print(shown)
    return 0


def bounds(setting: dict[str, Any]) -> str:
    """`min..max`, `≥ min`, `≤ max` or the choices, as the service states them."""
    if setting.get("choices"):
        return ", ".join(shown_value(c) for c in setting["choices"])
    low, high = setting.get("minimum"), setting.get("maximum")
    if low is not None and high is not None:
        return f"{shown_value(low)}..{shown_value(high)}"
    if low is not None:
        return f">= {shown_value(low)}"
    if high is not None:
        return f"<= {shown_value(high)}"
    return ""


def shown_value(value: Any) -> str:
    """A setting's value as typed on the command line: `true`, `12`, `0.5`, `equal`."""
    return json.dumps(value) if isinstance(value, dict | list) else text(value)


def parse_assignments(assignments: list[str], known: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`KEY=VALUE` pairs as JSON values of each key's reported type."""
    values: dict[str, Any] = {}
    for assignment in assignments:
        key, sep, raw = assignment.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"{assignment!r} is not KEY=VALUE")
        if key not in known:
            raise UsageError(f"no setting {key!r}; known: {', '.join(sorted(known))}")
        values[key] = parse_value(key, known[key]["type"], raw.strip())
    return values


def parse_value(key: str, kind: str, raw: str) -> Any:
    """`raw` as the `kind` GET reports: integer, number, boolean, string, or array (a
    comma-separated list of strings; empty: none)."""
    if kind not in ("integer", "number", "boolean", "string", "array"):
        raise UsageError(f"{key} has a type this command does not know: {kind!r}")
    if kind == "string":
        return raw
    if kind == "array":
        return [item.strip() for item in raw.split(",") if item.strip()]
    if kind == "boolean":
        if raw.lower() in TRUE | FALSE:
            return raw.lower() in TRUE
        raise UsageError(f"{key} takes true or false, not {raw!r}")
    try:
        value: int | float = int(raw) if kind == "integer" else float(raw)
    except ValueError:
        raise UsageError(
            f"{key} takes {'an integer' if kind == 'integer' else 'a number'}, not {raw!r}"
        ) from None
    if not math.isfinite(value):
        raise UsageError(f"{key} takes a finite number, not {raw!r}")
    return value
