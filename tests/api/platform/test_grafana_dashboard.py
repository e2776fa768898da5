"""deploy/grafana/mysymbols.json: every query names a family `GET /metrics` exports, and the file
is what deploy/grafana/dashboard.py writes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine, create_sessionmaker
from app.records.models import ForwardHour, ForwardRecord
from tests.api.platform.test_metrics import seed_track_record
from tests.conftest import start_app
from tests.factories import make_member, make_symbol
from tests.integration.committed import committed_postgres  # noqa: F401

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "deploy" / "grafana" / "dashboard.py"
DASHBOARD = ROOT / "deploy" / "grafana" / "mysymbols.json"
# Label lists after these name labels, not series.
LABEL_LISTS = r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)"
KEYWORDS = {"bool", "offset", "and", "or", "unless", "atan2", "inf", "nan"}
SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"), "summary": ("_sum", "_count")}


def metric_names(expr: str) -> set[str]:
    """The series a PromQL expression selects: identifiers not called as functions, outside
    strings, label matchers, range windows and `by (...)` label lists."""
    expr = re.sub(r"label_values\(\s*([^,()]+?)\s*,[^()]*\)", r" \1 ", expr)  # Grafana's
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', " ", expr)
    expr = re.sub(r"\{[^}]*\}", " ", expr)
    expr = re.sub(r"\[[^\]]*\]", " ", expr)
    expr = re.sub(LABEL_LISTS, " ", expr)
    names = re.findall(r"(?<![\w$.])[A-Za-z_:][\w:]*\b(?!\s*\()", expr)
    return {name for name in names if name.lower() not in KEYWORDS}


def dashboard() -> dict[str, Any]:
    return dict(json.loads(DASHBOARD.read_text()))


def panels(board: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in board["panels"]:
        yield panel
        yield from panel.get("panels", [])  # a collapsed row keeps its panels inside


def queries(board: dict[str, Any]) -> dict[str, str]:
    """Every PromQL expression of the dashboard, by where it is (panel title or variable)."""
    found = {
        f"{panel['title']} {target['refId']}": target["expr"]
        for panel in panels(board)
        for target in panel.get("targets", [])
    }
    for variable in board["templating"]["list"]:
        if variable["type"] == "query":
            found[f"${variable['name']}"] = variable["query"]
    return found


def exported(text: str) -> set[str]:
    """Names a scraper can select: each sample's, and each declared family's (its `# TYPE`
    line: a labelled family is declared before its first sample), with its type's suffixes."""
    names = {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line[:1] != "#"}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            names.add(name)
            names.update(name + suffix for suffix in SUFFIXES.get(kind, ()))
            if kind == "counter" and not name.endswith("_total"):
                names.add(f"{name}_total")
    return names - {""}


class TestMetricNames:
    def test_are_the_series_an_expression_selects(self) -> None:
        expr = (
            'histogram_quantile(0.95, sum by (route, le) (rate(a_bucket{route=~"x y",le!="1"}'
            "[$__rate_interval]))) / on (route) group_left (job) b_total offset 1h + 2e3 * time()"
        )
        assert metric_names(expr) == {"a_bucket", "b_total"}
        assert metric_names("max(c) - min(d_seconds{i=~'$i'}) > bool 0") == {"c", "d_seconds"}
        assert metric_names("label_values(mysymbols_build_info, instance)") == {
            "mysymbols_build_info"
        }


class TestDashboard:
    def test_every_panel_queries_a_family(self) -> None:
        board = dashboard()
        for panel in panels(board):
            if panel["type"] != "row":
                assert panel.get("targets"), panel["title"]
        assert all(metric_names(expr) for expr in queries(board).values())

    def test_has_a_row_for_each_concern(self) -> None:
        rows = [panel["title"] for panel in dashboard()["panels"] if panel["type"] == "row"]
        assert rows == [
            "Requests and latency",
            "Jobs",
            "KuCoin: budget and errors",
            "Scoring",
            "Portfolio",
            "Live track record",
            "Database",
            "Process",
            "Webhooks",
            "Forward record",
        ]

    def test_is_what_the_script_writes(self) -> None:
        written = subprocess.run(
            [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
        assert written == DASHBOARD.read_text(), (
            "deploy/grafana/mysymbols.json is stale: "
            "python deploy/grafana/dashboard.py > deploy/grafana/mysymbols.json"
        )


async def seed_forward_record(
    url: str, make_environment: Callable[..., Environment], marked_to: datetime
) -> None:
    """A forward record whose policy book is marked at `marked_to`, committed."""
    engine = create_engine(make_environment(url))
    try:
        async with create_sessionmaker(engine)() as session:
            session.add(
                ForwardRecord(
                    id=1, inception_at=marked_to - timedelta(hours=2), last_hour=marked_to, state={}
                )
            )
            session.add(ForwardHour(book="policy", at=marked_to, equity=1.01))
            await session.commit()
    finally:
        await engine.dispose()


async def seed_portfolio(url: str, make_environment: Callable[..., Environment]) -> None:
    """One member holding all the weight, its symbol's market data just stored, committed."""
    engine = create_engine(make_environment(url))
    try:
        async with create_sessionmaker(engine)() as session:
            symbol = await make_symbol(session, market_data_at=datetime.now(UTC))
            await make_member(session, 1, symbol=symbol, weight=100)
            await session.commit()
    finally:
        await engine.dispose()


@pytest.fixture
async def scraped(committed_postgres: str, make_environment: Callable[..., Environment]) -> str:  # noqa: F811
    """`GET /metrics` of the service on PostgreSQL (its pool's gauges) with a portfolio, market
    data, a live track record and a forward record committed, so every family that depends on
    data is there."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    await seed_track_record(committed_postgres, make_environment, now - timedelta(hours=1))
    await seed_forward_record(committed_postgres, make_environment, now - timedelta(hours=1))
    await seed_portfolio(committed_postgres, make_environment)
    environment = make_environment(committed_postgres, metrics={"access": "open"})
    async for client in start_app(create_app(environment)):
        response = await client.get("/metrics")
    assert response.status_code == 200
    return response.text


class TestAgainstTheService:
    async def test_every_query_names_a_family_the_service_exports(self, scraped: str) -> None:
        names = exported(scraped)
        seeded = {"mysymbols_track_record_return", "mysymbols_forward_record_return"}
        assert seeded | {"mysymbols_db_pool_in_use"} <= names
        unknown = {
            where: sorted(metric_names(expr) - names)
            for where, expr in queries(dashboard()).items()
            if metric_names(expr) - names
        }
        assert unknown == {}
