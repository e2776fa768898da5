"""The dashboard in real Chromium against the deployed service on the simulator: every view with
the right data, live updates without a reload, the key flow, accessibility, a clean console.
Screenshots of every view at 1280 x 800, 390 x 844, 1024 x 768 and 1400 x 1000 (at the last two
nothing may be clipped) go to `tests/browser/output/`."""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.portfolio.models import PortfolioHistory
from app.records.keeping.as_run import STRATEGIES
from app.records.keeping.challengers import CHALLENGERS
from app.records.keeping.forward import BASELINES, POLICY, challenger_book
from app.records.keeping.forward_rule import MIN_DECISIONS
from app.records.models import (
    ForwardDay,
    ForwardHour,
    ForwardRecord,
    ForwardTrade,
    TrackRecord,
    TrackRecordDecision,
    TrackRecordHour,
)
from tests.browser.conftest import ADMIN_KEY, MEMBERS, READ_KEY, SUMMARY, TRADE_KEY, Deployment
from tests.deployed import API, process, uvicorn, wait_for
from tests.sim_fixtures import free_port
from tests.tcp_proxy import TcpProxy

DESK = (1400, 1000)  # a desk's screen: every table and chart shown whole, none scrolled
NARROW = (1024, 768)  # the narrowest desk's screen: still every column whole, none scrolled
WHOLE = (NARROW, DESK)
SIZES = [(1280, 800), (390, 844), *WHOLE]
# Every text of a table or chart in the view open, cut in any way: wider than its own box
# (overflowing it, or an ellipsis in effect), or reaching out of a box that clips it (a
# scrolled `.scroll`, an svg's edge, a panel). Each as "what: how".
CUT = """() => {
  const texts = ".view:not([hidden]) :is(th, td, caption, legend, .legend li, summary, h3, " +
    ".bar-label, .bar-value, .stat dt, .stat dd, svg text)";
  const cut = [];
  for (const el of document.querySelectorAll(texts)) {
    if (!el.checkVisibility()) continue;
    const what = `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}"`;
    const style = getComputedStyle(el);
    if (!(el instanceof SVGElement) && el.scrollWidth > el.clientWidth + 1) {
      const how = style.textOverflow === "ellipsis" ? "an ellipsis" : "overflow";
      cut.push(`${what}: ${how}, ${el.scrollWidth} px in ${el.clientWidth} px`);
      continue;
    }
    const box = el.getBoundingClientRect();
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const clips = getComputedStyle(up);
      if (clips.overflowX === "visible" && clips.overflowY === "visible") continue;
      const edge = up.getBoundingClientRect();
      if (box.left < edge.left - 1 || box.right > edge.right + 1) {
        const where = `${up.tagName.toLowerCase()}${up.id ? "#" + up.id : ""}.${up.classList}`;
        cut.push(`${what}: ${Math.round(box.left)}..${Math.round(box.right)} px out of ` +
          `${where} (${Math.round(edge.left)}..${Math.round(edge.right)} px)`);
        break;
      }
    }
  }
  return cut;
}"""
KEY_ITEM = "mysymbols.apiKey"
LIVE_LIMIT_MS = 2000  # the bound for a change to reach an open page
RED = "rgb(163, 22, 28)"  # app.css's --bad: what went wrong, and only that


def api(deployment: Deployment, key: str = ADMIN_KEY) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=f"{deployment.origin}{API}", headers={"X-API-Key": key}, timeout=60
    )


async def read(deployment: Deployment, path: str) -> Any:
    async with api(deployment, READ_KEY) as client:
        response = await client.get(path)
        response.raise_for_status()
        return response.json()


def with_key(key: str) -> str:
    return f"sessionStorage.setItem({json.dumps(KEY_ITEM)}, {json.dumps(key)})"


class Console:
    """Errors the page logged or threw (the live record's 404 before it starts is an answer:
    the browser logs it, the page shows that the record has not started)."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", self.logged)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def logged(self, message: Any) -> None:
        not_started = "404" in message.text and message.location.get("url", "").endswith(
            f"{API}/evidence/live"
        )
        if message.type == "error" and not not_started:
            self.errors.append(message.text)


@pytest.fixture(scope="module")
async def session(browser: Any, deployment: Deployment) -> AsyncIterator[tuple[Any, Console]]:
    """One page, logged in through the key dialog and reloaded (the key kept for the tab)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    console = Console(page)
    await page.goto(f"{deployment.origin}/dashboard/")
    await page.locator("#key-dialog").wait_for(state="visible")
    await page.fill("#key-input", READ_KEY)
    await page.click("#key-submit")
    await page.locator("#members tbody tr").nth(MEMBERS - 1).wait_for()
    # Before the key, the reads were refused: those 401s are the only errors allowed.
    assert console.errors and all("401" in e for e in console.errors), console.errors
    console.errors.clear()
    await page.reload()
    await page.locator("#members tbody tr").nth(MEMBERS - 1).wait_for()
    yield page, console
    await context.close()


async def show(page: Any, view: str, ready: str) -> None:
    await page.click(f"#tab-{view}")
    await page.locator(f"#view-{view}").wait_for(state="visible")
    await page.locator(f"#view-{view} {ready}").first.wait_for()


async def screenshots(page: Any, view: str, output: Path) -> None:
    for width, height in SIZES:
        await page.set_viewport_size({"width": width, "height": height})
        await page.wait_for_timeout(100)  # one layout pass at the new width
        overflow = await page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{view} is {overflow} px wider than {width} px"
        path = output / f"{view}-{width}x{height}.png"
        await page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5000
    await assert_whole(page, view)
    await page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})


async def assert_whole(page: Any, view: str) -> None:
    """At a desk's widths (`WHOLE`), no text of a table or chart of the view open is cut (a
    table scrolled sideways cuts its last columns)."""
    size = page.viewport_size
    cuts: dict[int, list[str]] = {}
    for width, height in WHOLE:
        await page.set_viewport_size({"width": width, "height": height})
        await page.wait_for_timeout(100)
        cuts[width] = await page.evaluate(CUT)
        SUMMARY.append(f"{view} at {width} x {height}: {len(cuts[width])} texts cut")
    await page.set_viewport_size(size)
    assert all(cut == [] for cut in cuts.values()), f"{view}: cut at each width: {cuts}"


async def texts(page: Any, selector: str) -> list[str]:
    return [t.strip() for t in await page.locator(selector).all_inner_texts()]


LIVE_DAYS = 8
GAPS = {5, 6, 40}  # hours a held symbol had no candle
SEGMENTS = ("a" * 64, "b" * 64)


def when(moment: datetime) -> str:
    """As the page writes a moment."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def live_equity(k: int, t: int) -> float:
    """Strategy `k`'s equity `t` hours after inception (1.0 there)."""
    return 1.0 + (k - 2) * 4e-4 * t + 0.01 * (math.sin(t / 9 + k) - math.sin(k))


async def write_live_record(deployment: Deployment, start: bool) -> None:
    """Clear the live track record; with `start`, store one of `LIVE_DAYS` days to the last
    hour: every strategy's hourly equity, three decisions under two configurations, a few gap
    hours, and a replacement 7 days in (priced from the stored candles)."""
    engine = create_async_engine(
        deployment.env["MYSYMBOLS_DATABASE_URL"], connect_args={"timeout": 30}
    )
    marked_to = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    inception = marked_to - timedelta(days=LIVE_DAYS)
    hours = LIVE_DAYS * 24 + 1
    try:
        async with AsyncSession(engine) as session:
            for model in (TrackRecordDecision, TrackRecordHour, TrackRecord):
                await session.execute(delete(model))
            if start:
                newcomer, replaced = deployment.members[0], deployment.members[1]
                seeded = select(PortfolioHistory.id).where(PortfolioHistory.actor == "browser-test")
                if not await session.scalar(seeded):  # append-only: the row stays once written
                    session.add(
                        PortfolioHistory(
                            occurred_at=inception + timedelta(minutes=30),
                            action="replace",
                            symbol=newcomer,
                            replaced_symbol=replaced,
                            actor="browser-test",
                            reason="live record seed",
                            details={},
                        )
                    )
                session.add(
                    TrackRecord(
                        id=1,
                        inception_at=inception,
                        last_hour=marked_to,
                        last_audit_id=1,
                        state={},
                        updated_at=marked_to + timedelta(minutes=7),
                    )
                )
                session.add_all(
                    TrackRecordHour(
                        strategy=name,
                        at=inception + timedelta(hours=t),
                        equity=live_equity(k, t),
                        gap=t in GAPS,
                    )
                    for k, name in enumerate(STRATEGIES)
                    for t in range(hours)
                )
                session.add_all(
                    TrackRecordDecision(
                        at=inception + timedelta(hours=t),
                        audit_id=1,
                        actor="browser-test",
                        reason="test",
                        config_hash=config,
                        fee_bps=6.0,
                        slippage_bps=0.0,
                        weights={newcomer: 0.5, replaced: 0.5},
                        turnover=dict.fromkeys(STRATEGIES, 0.5),
                        fees=dict.fromkeys(STRATEGIES, 3e-4),
                    )
                    for t, config in ((0, SEGMENTS[0]), (72, SEGMENTS[0]), (120, SEGMENTS[1]))
                )
            await session.commit()
    finally:
        await engine.dispose()


async def live_document(deployment: Deployment, ready: Callable[[Any], bool]) -> Any:
    """`/evidence/live`'s answer once `ready` holds for it. A cached answer lives up to 1 s
    and is kept per `Accept`: asked as the page asks, so that the page reads the same."""
    deadline = time.monotonic() + 10
    async with api(deployment, READ_KEY) as client:
        while True:
            response = await client.get("/evidence/live", headers={"Accept": "application/json"})
            if (response.status_code == 200 and ready(response.json())) or (
                time.monotonic() > deadline
            ):
                assert response.status_code == 200, response.text
                assert ready(response.json()), response.text[:2000]
                return response.json()
            await asyncio.sleep(0.2)


async def reopen(page: Any, deployment: Deployment, view: str, ready: str) -> None:
    """The page reloaded on `view` (a view already read is not read again until touched)."""
    await page.goto(f"{deployment.origin}/dashboard/#{view}")
    await page.reload()
    await page.locator(f"#view-{view} {ready}").first.wait_for()


async def record_drawn(shown: str, deployment: Deployment, before: Any) -> Any:
    """The as-run record the page's text `shown` is drawn from: `before` (read before the page
    was drawn) or the one `/evidence/live` answers now, after it. The deployment's own
    `track_record` job marks the next hour once its candles are stored, and that may fall
    between the two reads."""
    after = await live_document(deployment, lambda d: d["as_run"]["marked_to"] is not None)
    for record in (before, after["as_run"]):
        if f"Marked to\n{when(datetime.fromisoformat(record['marked_to']))}" in shown:
            return record
    raise AssertionError(f"neither record read around the page is drawn: {shown}")


@pytest.fixture
async def live_record(deployment: Deployment) -> Any:
    """The live track record stored, as `/evidence/live` answers it."""
    await write_live_record(deployment, start=True)
    document = await live_document(deployment, lambda d: d["as_run"]["marked_to"] is not None)
    return document["as_run"]


@pytest.fixture
async def unmarked_record(deployment: Deployment) -> Any:
    """The record cleared: the portfolio's audit rows remain, so it answers, nothing marked."""
    await write_live_record(deployment, start=False)
    document = await live_document(deployment, lambda d: d["as_run"]["marked_to"] is None)
    assert document["as_run"]["hours"] == 0
    return document["as_run"]


class TestLiveRecord:
    async def test_evidence_says_plainly_that_no_hour_is_marked_yet(
        self, session: tuple[Any, Console], deployment: Deployment, unmarked_record: Any
    ) -> None:
        page, _ = session
        inception = datetime.fromisoformat(unmarked_record["inception"])

        def said_at(now: datetime) -> str:  # the record starts at the next whole hour
            if inception > now:  # never "since" a future time
                return f"Live track record: starts at {when(inception)}"
            return f"Live since {when(inception)}"

        opened = datetime.now(UTC)
        await reopen(page, deployment, "evidence", "#figures")
        said = await page.inner_text("#live-since")
        # What the page said at some moment while it loaded (the hour may turn meanwhile).
        assert said in {said_at(opened), said_at(datetime.now(UTC))}
        assert "no hour marked yet" in await page.inner_text("#live-headline")
        assert await page.locator("#live-figures, #live-equity").count() == 0
        assert not await page.locator("#notice").is_visible()  # not an error

    async def test_operations_say_no_hour_is_marked_yet(
        self, session: tuple[Any, Console], deployment: Deployment, unmarked_record: Any
    ) -> None:
        page, _ = session
        await reopen(page, deployment, "operations", "#track-record dl")
        shown = await page.inner_text("#track-record")
        assert "Marked to\nno hour marked yet" in shown
        assert "Updated\nno update yet" in shown
        assert "Record age" not in shown and "Updated ago" not in shown  # nothing to be old
        assert not await page.locator("#notice").is_visible()

    async def test_a_record_whose_first_hour_is_to_come_says_when_it_starts(
        self, browser: Any, deployment: Deployment, unmarked_record: Any
    ) -> None:
        """The first decision made at 16:03 trades in the hour to 17:00, the record's inception:
        until then Evidence and Operations say that it starts then (the answer's inception
        moved to the next whole hour in the browser, whatever the hour of the portfolio's first
        change), with no age of a record that has nothing marked."""
        inception = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(
            hours=1
        )
        starts = when(inception)

        async def starting_later(route: Any) -> None:
            answer = await (await route.fetch()).json()
            answer["as_run"].update(inception=inception.isoformat(), hours_to_mark=0)
            await route.fulfill(json=answer)

        context = await browser.new_context(viewport={"width": 1280, "height": 800})
        page = await context.new_page()
        console = Console(page)
        await page.add_init_script(with_key(READ_KEY))
        await page.route(f"**{API}/evidence/live", starting_later)
        await page.goto(f"{deployment.origin}/dashboard/#evidence")
        await page.locator("#live-headline").wait_for()
        assert await page.inner_text("#live-since") == f"Live track record: starts at {starts}"
        headline = await page.inner_text("#live-headline")
        assert headline.startswith(f"Starts at {starts}") and "no hour marked yet" in headline
        record = await page.inner_text("#view-evidence .record")
        assert not re.search(r"\b(Started|since)\b \d{4}-", record), record  # never past
        assert "Marked to\nno hour yet" in record
        await page.click("#tab-operations")
        await page.locator("#track-record dl").wait_for()
        shown = await page.inner_text("#track-record")
        assert f"Starts at\n{starts}" in shown and "Started at" not in shown
        assert "Updated\nno update yet" in shown
        assert "Record age" not in shown and "Updated ago" not in shown
        assert console.errors == []
        await context.close()

    async def test_evidence_shows_the_live_record_apart_from_the_replay(
        self, session: tuple[Any, Console], deployment: Deployment, live_record: Any
    ) -> None:
        page, _ = session
        await reopen(page, deployment, "evidence", "#live-figures")
        shown = await page.inner_text("#view-evidence .record")
        drawn_record = await record_drawn(shown, deployment, live_record)
        inception = datetime.fromisoformat(live_record["inception"])
        assert inception <= datetime.now(UTC)  # marked hours: its first decision has come
        assert await page.inner_text("#live-since") == f"Live since {when(inception)}"
        assert await page.locator("#replay-evidence #live-figures").count() == 0
        assert await page.locator(".record #figures, .record #replay-equity").count() == 0
        books = list(live_record["windows"]["since_inception"]["books"])
        assert books == list(STRATEGIES)
        rows = page.locator("#live-figures tbody tr")
        assert await rows.count() == len(books)
        for name in books:
            cells = await texts(page, f"#live-figures tr[data-strategy='{name}'] td")
            for k, window in enumerate(("since_inception", "last_90d", "last_30d")):
                figures = drawn_record["windows"][window]["books"][name]
                total = figures["total_return"] * 100
                assert cells[2 * k] == f"{'+' if total > 0 else ''}{total:.1f} %"
                assert cells[2 * k + 1] == f"{figures['sharpe']:.2f}"
        assert not live_record["windows"]["last_90d"]["complete"]  # 8 days: partial, marked
        assert "Return 90 d *" in await page.inner_text("#live-figures thead")
        hits = drawn_record["replacements"]
        assert hits["n"] == 1 and hits["horizon_days"] == 7
        low, high = (x * 100 + 0.0 for x in hits["hit_interval"])  # no "-0.0"
        hit_text = await page.inner_text("#live-hit-rate")
        assert f"{hits['hit_rate'] * 100:.1f} %" in hit_text
        assert f"95 % Wilson interval {low:.1f} to {high:.1f} %" in hit_text
        assert live_record["gap_hours"] == len(GAPS)
        gaps = await page.inner_text("#view-evidence .record .cards")
        assert f"Gap hours\n{drawn_record['gap_hours']}" in gaps
        segments = await texts(page, "#live-segments tbody td:first-child")
        assert segments == [c[:12] for c in SEGMENTS]
        drawn = await page.locator("#live-equity path.series").evaluate_all(
            "paths => paths.map(p => p.dataset.series)"
        )
        assert drawn == [s.replace("_", " ") for s in STRATEGIES]
        await assert_whole(page, "evidence-live")

    async def test_operations_show_the_records_last_update_and_its_age(
        self, session: tuple[Any, Console], deployment: Deployment, live_record: Any
    ) -> None:
        page, _ = session
        await reopen(page, deployment, "operations", "#track-record dl")
        shown = await page.inner_text("#track-record")
        drawn_record = await record_drawn(shown, deployment, live_record)
        marked_to = datetime.fromisoformat(drawn_record["marked_to"])
        updated_at = datetime.fromisoformat(drawn_record["updated_at"])
        assert f"Marked to\n{when(marked_to)}" in shown
        assert f"Updated\n{when(updated_at)}" in shown
        shown_age = re.search(r"Record age\n([\d.]+) (min|h)", shown)
        assert shown_age, shown
        seconds = float(shown_age[1]) * (60 if shown_age[2] == "min" else 3600)
        assert abs(seconds - (datetime.now(UTC) - marked_to).total_seconds()) < 0.06 * 3600


FORWARD_DAYS = 95  # daily decisions of the default and of the family's challengers
LATE_DAYS = 30  # of the challengers registered later (source "new")
WINNER = "B"  # leads the default by far more than two standard errors: the rule adopts it
FORWARD_BOOKS = (POLICY, *(challenger_book(c.name) for c in CHALLENGERS), *BASELINES)


def forward_days(challenger: Any) -> int:
    return LATE_DAYS if challenger.source == "new" else FORWARD_DAYS


def forward_equity(k: int, t: int) -> float:
    """Book `k`'s equity `t` hours after its first (1.0 there)."""
    return 1.0 + (k - 8) * 2e-5 * t + 0.02 * (math.sin(t / 40 + k) - math.sin(k))


async def write_forward_record(deployment: Deployment, start: bool) -> None:
    """Clear the forward record; with `start`, store one of `FORWARD_DAYS` days to the last
    hour: every book's hourly equity, a few trades, and the scoring books' judged daily
    decisions (the later challengers' from `LATE_DAYS` days before the end only)."""
    engine = create_async_engine(
        deployment.env["MYSYMBOLS_DATABASE_URL"], connect_args={"timeout": 30}
    )
    marked_to = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    inception = marked_to - timedelta(days=FORWARD_DAYS)
    starts = {POLICY: 0, **{b: 0 for b in BASELINES}}
    starts |= {challenger_book(c.name): FORWARD_DAYS - forward_days(c) for c in CHALLENGERS}

    def ic(book: str, d: int) -> float:
        default = 0.02 + 0.05 * math.sin(0.7 * d)
        if book == POLICY:
            return default
        if book == challenger_book(WINNER):
            return default + 0.03 + 0.01 * math.sin(d)
        return default + 0.04 * math.sin(1.3 * d + FORWARD_BOOKS.index(book))

    def book_return(book: str, d: int) -> float:
        default = 0.001 * math.sin(d / 3)
        lead = 0.0005 if book == challenger_book(WINNER) else 0.0
        return default + lead + (0.0 if book == POLICY else 0.002 * math.sin(0.9 * d))

    try:
        async with AsyncSession(engine) as session:
            for model in (ForwardDay, ForwardTrade, ForwardHour, ForwardRecord):
                await session.execute(delete(model))
            if start:
                session.add(
                    ForwardRecord(
                        id=1,
                        inception_at=inception,
                        last_hour=marked_to,
                        state={},
                        updated_at=marked_to + timedelta(minutes=7),
                    )
                )
                hours = [
                    {
                        "book": book,
                        "at": inception + timedelta(hours=t),
                        "equity": forward_equity(k, t - starts[book] * 24),
                    }
                    for k, book in enumerate(FORWARD_BOOKS)
                    for t in range(starts[book] * 24, FORWARD_DAYS * 24 + 1)
                ]
                await session.execute(insert(ForwardHour), hours)
                session.add_all(
                    ForwardTrade(
                        book=book,
                        at=inception + timedelta(days=d),
                        weights={},
                        turnover=0.4,
                        fees=2.4e-4,
                        config_hash="c" * 64,
                        fee_bps=6.0,
                        slippage_bps=0.0,
                    )
                    for book in FORWARD_BOOKS
                    for d in range(starts[book], FORWARD_DAYS, 10)
                )
                scoring = [b for b in FORWARD_BOOKS if b not in BASELINES]
                session.add_all(
                    ForwardDay(
                        book=book,
                        decided_at=inception + timedelta(days=d),
                        entry_at=inception + timedelta(days=d, hours=1),
                        following_at=inception + timedelta(days=d + 1, hours=1),
                        book_return=book_return(book, d),
                        skill_ic=ic(book, d),
                        universe_return=0.002 * math.cos(d / 5),
                        config_hash="c" * 64,
                        fee_bps=6.0,
                        slippage_bps=0.0,
                    )
                    for book in scoring
                    for d in range(starts[book], FORWARD_DAYS)
                )
            await session.commit()
    finally:
        await engine.dispose()


@pytest.fixture
async def forward_record(deployment: Deployment) -> AsyncIterator[Any]:
    """The forward record stored, as `/evidence/live` answers its `forward` section; cleared
    afterwards (the other views' tests see no forward record)."""
    await write_forward_record(deployment, start=True)
    yield (await live_document(deployment, lambda d: d["forward"] is not None))["forward"]
    await write_forward_record(deployment, start=False)
    await live_document(deployment, lambda d: d["forward"] is None)


def lead_text(lead: float, se: float) -> str:
    """As the page writes a skill-IC lead with its 95 % interval."""

    def signed(v: float) -> str:
        text = f"{abs(v):.3f}"
        return text if float(text) == 0 else ("+" if v > 0 else "\u2212") + text

    return f"{signed(lead)} [{signed(lead - 1.96 * se)}, {signed(lead + 1.96 * se)}]"


class TestForwardRecord:
    async def test_evidence_shows_the_default_against_each_challenger_and_the_baselines(
        self,
        session: tuple[Any, Console],
        deployment: Deployment,
        forward_record: Any,
        output: Path,
    ) -> None:
        page, console = session
        await reopen(page, deployment, "evidence", "#forward-challengers")
        forward = forward_record
        judged = forward["challengers"]
        marked_to = datetime.fromisoformat(forward["marked_to"])
        shown = await page.inner_text("#forward .cards")
        assert f"Marked to\n{when(marked_to)}" in shown
        assert f"Hours to mark\n{forward['hours_to_mark']}" in shown
        assert f"Default's decisions\n{FORWARD_DAYS} / {MIN_DECISIONS}" in shown
        # Every registered challenger, in order, with its decisions of the rule's minimum.
        rows = page.locator("#forward-challengers tbody tr")
        names = await rows.evaluate_all("rows => rows.map(r => r.dataset.challenger)")
        assert names == [c.name for c in CHALLENGERS]
        decisions = await texts(page, "#forward-challengers td.decisions")
        assert decisions == [f"{forward_days(c)} / {MIN_DECISIONS}" for c in CHALLENGERS]
        leads = await texts(page, "#forward-challengers td.lead")
        assert leads == [lead_text(c["ic_lead"], c["ic_lead_se"]) for c in judged["verdicts"]]
        # The one the rule would adopt, said as such; the others with their reasons.
        assert judged["adopt"] == WINNER
        winner = page.locator(f"#forward-challengers tr[data-challenger='{WINNER}']")
        assert await winner.locator("td.adopt").inner_text() == "would adopt"
        assert await winner.locator("td.verdict").inner_text() == "qualifies"
        assert f"would adopt {WINNER}" in await page.inner_text("#forward-verdict")
        assert await page.locator("#forward-challengers td.adopt .flag").count() == 1
        await screenshots(page, "evidence-forward", output)
        loser = judged["verdicts"][0]
        assert loser["name"] != WINNER and loser["reasons"]
        verdict = rows.first.locator("td.verdict")
        assert (await verdict.get_attribute("title")) == "\n".join(loser["reasons"])
        await verdict.locator("summary").click()
        reasons = await texts(
            page, f"#forward-challengers tr[data-challenger='{loser['name']}'] li"
        )
        assert reasons == loser["reasons"]
        hypothesis = rows.first.locator("td.hypothesis")
        await hypothesis.locator("summary").click()
        assert loser["hypothesis"] in await hypothesis.inner_text()
        # A line per book: the default, each challenger, the baselines.
        drawn = await page.locator("#forward-equity path.series").evaluate_all(
            "paths => paths.map(p => p.dataset.series)"
        )
        assert set(forward["equity"]) == set(FORWARD_BOOKS)
        assert drawn == [
            "policy (default)",
            *(challenger_book(c.name) for c in CHALLENGERS),
            *(b.replace("_", " ") for b in BASELINES),
        ]
        books = await page.locator("#forward-books tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.book)"
        )
        assert books == [POLICY, *BASELINES]
        for name in books:
            cells = await texts(page, f"#forward-books tr[data-book='{name}'] td")
            figures = forward["books"][name]
            total = figures["total_return"] * 100
            assert cells[1:5] == [
                f"{'+' if total > 0 else ''}{total:.1f} %",
                f"{figures['sharpe']:.2f}",
                f"{figures['max_drawdown'] * 100:.1f} %",
                f"{figures['fees'] * 100:.2f} %",
            ]
        shown = await page.inner_text("#view-evidence")
        assert not re.search(r"\b(null|undefined|NaN|Infinity)\b", shown)
        assert await page.evaluate(NAMELESS) == []
        assert await page.evaluate(CONTRAST) == []
        assert console.errors == []

    async def test_with_no_as_run_record_the_forward_record_shows_and_strings_stay_text(
        self, browser: Any, deployment: Deployment, forward_record: Any
    ) -> None:
        """`as_run` null beside a forward record (the answer rewritten in the browser), and a
        hypothesis holding markup: shown as text, never parsed."""
        markup = '<img id="injected" src="x" onerror="window.injected=1">'

        async def without_as_run(route: Any) -> None:
            answer = await (await route.fetch()).json()
            answer["as_run"] = None
            answer["forward"]["challengers"]["verdicts"][0]["hypothesis"] = markup
            await route.fulfill(json=answer)

        context = await browser.new_context(viewport={"width": 1280, "height": 800})
        page = await context.new_page()
        console = Console(page)
        await page.add_init_script(with_key(READ_KEY))
        await page.route(f"**{API}/evidence/live", without_as_run)
        await page.goto(f"{deployment.origin}/dashboard/#evidence")
        await page.locator("#forward-challengers tbody tr").first.wait_for()
        assert await page.inner_text("#live-since") == "Live track record: not started yet"
        assert await page.locator("#live-figures, #live-equity").count() == 0
        first = CHALLENGERS[0].name
        hypothesis = page.locator(
            f"#forward-challengers tr[data-challenger='{first}'] td.hypothesis"
        )
        assert await hypothesis.inner_text() == markup
        assert await page.locator("#injected").count() == 0
        assert await page.evaluate("window.injected") is None
        assert await page.locator("#forward-equity path.series").count() == len(FORWARD_BOOKS)
        assert not await page.locator("#notice").is_visible()
        await page.click("#tab-operations")
        await page.locator("#track-record").wait_for()
        assert (await page.inner_text("#track-record")).startswith("Not started.")
        assert console.errors == []
        await context.close()


class TestViews:
    async def test_portfolio_lists_the_members_with_weights_summing_to_100(
        self, session: tuple[Any, Console], deployment: Deployment, output: Path
    ) -> None:
        page, _ = session
        await show(page, "portfolio", "#members")
        symbols = await texts(page, "#members tbody th")
        assert symbols == deployment.members
        weights = [float(w) for w in await texts(page, "#members td.weight")]
        assert len(weights) == MEMBERS and abs(sum(weights) - 100) < 1e-6
        assert (await page.inner_text("#total-weight")).startswith("100.0000")
        ranking = await read(deployment, "/scoring/rankings")
        assert ranking["market_data"]["simulated"]  # the scores beside the members say so
        caveat = await page.inner_text("#view-portfolio .caveat")
        assert caveat == f"Simulated data: these figures are {ranking['market_data']['note']}."
        bars = page.locator("#view-portfolio .bars .bar")
        drawn = await bars.evaluate_all("bars => bars.map(b => Number(b.dataset.value))")
        assert drawn == weights
        history = await read(deployment, "/portfolio/history?limit=8")
        assert await page.locator("#changes tbody tr").count() == len(history)
        portfolio = await read(deployment, "/portfolio")
        advice = await read(deployment, "/portfolio/replacement-candidates")
        # Just added, the weakest say in the API's one wording why nothing happens yet: a time
        # only while an outsider leads by the margin (5 points), else which one is best and by
        # how much it trails (the top-ranked members: it trails); the others are no candidates.
        wording = {r["member"]: r["actionability"] for r in advice["recommendations"]}
        candidates = [m["symbol"] for m in portfolio["members"] if m["is_replacement_candidate"]]
        assert candidates and sorted(wording) == sorted(candidates)
        for rec in advice["recommendations"]:
            if rec["lead"] is not None and rec["lead"] >= 5:
                assert rec["actionability"].startswith("not actionable before ")
            else:
                best = f"not actionable: no outsider leads by 5 points (best: {rec['outsider']}, "
                assert rec["actionability"].startswith(best) and rec["not_before"] is None
        shown = await page.locator("#members tbody tr").evaluate_all(
            "rows => rows.map((r) => [r.dataset.symbol, r.querySelector('td.replace').innerText])"
        )
        members = portfolio["members"]
        assert dict(shown) == {m["symbol"]: wording.get(m["symbol"], "no") for m in members}
        flags = await page.locator("#members td.replace .flag").evaluate_all(
            "flags => flags.map((f) => f.className)"
        )
        assert flags == ["flag neutral"] * len(candidates)  # held: nothing will happen yet
        # At 1024 px a heading may be written short: then its whole word, as on a desk's
        # screen, is its title (the columns all in view: `screenshots`).
        await page.set_viewport_size({"width": NARROW[0], "height": NARROW[1]})
        narrow = await page.locator("#members thead th").evaluate_all(
            "ths => ths.map((th) => [th.innerText.trim(), th.querySelector('abbr')?.title])"
        )
        await page.set_viewport_size({"width": DESK[0], "height": DESK[1]})
        whole = await texts(page, "#members thead th")
        assert [title or shown for shown, title in narrow] == whole
        assert any(title and shown != title for shown, title in narrow), narrow
        await screenshots(page, "portfolio", output)

    async def test_rankings_show_the_latest_run_and_a_symbols_score_card(
        self, session: tuple[Any, Console], deployment: Deployment, output: Path
    ) -> None:
        page, _ = session
        await show(page, "rankings", "#score-card")
        rankings = await read(deployment, "/scoring/rankings?limit=500")
        assert await texts(page, "#ranking tbody th") == [i["symbol"] for i in rankings["items"]]
        assert await page.inner_text("#card-title") == f"Score card: {deployment.members[0]}"
        other = rankings["items"][-1]["symbol"]
        await page.click(f"button[data-symbol='{other}']")
        await page.locator("#card-title", has_text=other).wait_for()
        scores = await read(deployment, f"/scoring/symbol/{other}/scores?limit=1")
        components = [s for s in scores["history"][0]["scores"] if s["component"] != "composite"]
        tables = page.locator("#score-card table.metrics")
        assert await tables.count() == len(components)
        first = components[0]
        rows = page.locator(f"#score-card table[data-component='{first['component']}'] tbody tr")
        assert await rows.count() == len(first["breakdown"]["metrics"])
        run = await read(deployment, f"/scoring/runs/{rankings['run_id']}")
        excluded = run["exclusions"].get("symbols", {}), run["exclusions"].get("fetch_failures", {})
        rows = await page.locator("#exclusions tbody tr").count()
        assert rows == sum(len(e) for e in excluded)
        assert "the KuCoin simulator's prices" in await page.inner_text("#view-rankings .caveat")
        legend = await texts(page, "#score-card .legend li")  # risk only: composite = risk
        assert "risk (= composite, dashed)" in legend and "composite" in legend
        ticks = await page.locator("#score-card svg.lines text.xtick").all_text_contents()
        assert ticks and len(ticks) == len(set(ticks))
        await screenshots(page, "rankings", output)

    async def test_risk_shows_the_10_by_10_heatmap_with_pairs_over_the_limit(
        self, session: tuple[Any, Console], deployment: Deployment, output: Path
    ) -> None:
        page, _ = session
        await show(page, "risk", "svg.heatmap")
        correlation = await read(deployment, "/portfolio/correlation")
        assert await page.locator("svg.heatmap rect.cell").count() == MEMBERS * MEMBERS
        over = correlation["pairs_over_limit"]
        assert over, "the simulator's members correlate over the limit"
        assert await page.locator("svg.heatmap rect.cell.over").count() == 2 * len(over)
        assert await page.locator("#pairs tbody tr").count() == len(over)
        groups = [c for c in correlation["clusters"] if len(c) > 1]  # over the limit: some
        assert await page.locator("#clusters li").count() == len(groups)
        for item, group in zip(await page.locator("#clusters li").all(), groups, strict=True):
            text = await item.inner_text()
            assert text.startswith(", ".join(group)) and "strongest:" in text
        alone = [c[0] for c in correlation["clusters"] if len(c) == 1]
        if alone:
            assert f"Moving on their own: {', '.join(alone)}." in await page.inner_text("#clusters")
        assert await page.locator("#betas tbody tr").count() == MEMBERS
        # the figures are the simulator's: the panel says so beside them, not only the header
        metrics = await read(deployment, "/portfolio/metrics")
        assert metrics["market_data"]["simulated"]
        caveat = await page.inner_text("#view-risk .caveat")
        assert caveat == f"Simulated data: these figures are {metrics['market_data']['note']}."
        await screenshots(page, "risk", output)

    async def test_evidence_draws_an_equity_curve_per_strategy(
        self, session: tuple[Any, Console], deployment: Deployment, output: Path
    ) -> None:
        page, _ = session
        await show(page, "evidence", "#figures")
        run = await read(deployment, f"/replays/{deployment.replay_id}")
        strategies = list(run["report"]["strategies"])
        assert {"policy", "btc_hold", "equal_weight"} <= set(strategies)
        first = page.locator("#replay-equity figure").first
        drawn = await first.locator("path.series").evaluate_all(
            "paths => paths.map(p => p.dataset.series)"
        )
        assert drawn == [s.replace("_", " ") for s in strategies]
        assert await page.locator("#figures tbody tr").count() == len(strategies)
        components = [c for c in run["report"]["ic"] if c != "metrics"]
        assert await page.locator("#ic tbody tr").count() == len(components)
        assert "Policy Sharpe" in await page.inner_text("#headline")
        assert run["market_data"]["simulated"]  # the replay read the simulator's candles
        assert "the KuCoin simulator's prices" in await page.inner_text("#replay-evidence .caveat")
        selection = run["report"]["selection"]
        assert await page.locator("#selection-alpha tbody tr").count() == len(strategies)
        policy = selection["strategies"]["policy"]
        alpha = f"{policy['alpha_annualised'] * 100:.1f} % a year"
        assert alpha in await page.inner_text("#selection-headline")
        components = selection["ranking"]["policy"]["components"]
        # The composite, the decile spread, then each component: raw and residual IC.
        assert await page.locator("#selection-ic tbody tr").count() == 2 + len(components)
        assert await page.locator("#selection-swaps tbody tr").count() == 6
        await screenshots(page, "evidence", output)

    async def test_operations_show_the_source_the_jobs_and_the_alerts(
        self, session: tuple[Any, Console], deployment: Deployment, output: Path
    ) -> None:
        page, _ = session
        await show(page, "operations", "#job-runs")
        async with httpx.AsyncClient(base_url=f"{deployment.origin}{API}") as client:
            status = (await client.get("/status", headers={"X-API-Key": READ_KEY})).json()
        kind = status["market_data"]["kind"]
        assert kind != "live"  # the simulator, by URL
        assert await page.get_attribute("#market-source", "data-kind") == kind
        assert await page.get_attribute("#source", "data-kind") == kind
        assert kind in (await page.inner_text("#source")).lower()
        runs = await read(deployment, "/jobs/runs?limit=20")
        assert await page.locator("#job-runs tbody tr").count() == len(runs)
        # A skip is no failure: not red, and its reason is its outcome.
        [skipped] = [r for r in runs if r["status"] == "skipped"]
        row = page.locator("#job-runs tbody tr", has_text=f"#{skipped['id']}")
        flag = row.locator(".flag")
        assert (await flag.inner_text(), await flag.get_attribute("class")) == (
            "skipped",
            "flag neutral",
        )
        colours = "f => [getComputedStyle(f).color, getComputedStyle(f).borderColor]"
        assert RED not in await flag.evaluate(colours)
        assert (await row.locator("td").last.inner_text()) == skipped["skip_reason"]
        # Panels in users' words, no job's name.
        titles = await texts(page, "#view-operations h3")
        assert "Live track record: last update" in titles
        assert not any("_" in title for title in titles), titles
        alerts = await read(deployment, "/alerts?status=open")
        assert alerts, "the alert check raised the correlation alerts"
        assert await page.locator("#alerts button[data-alert]").count() == len(alerts)
        await screenshots(page, "operations", output)


async def test_a_portfolio_change_reaches_the_open_page_within_2_s_without_a_reload(
    session: tuple[Any, Console], deployment: Deployment
) -> None:
    page, _ = session
    await show(page, "portfolio", "#members")
    await page.evaluate("window.notReloaded = true")
    last = deployment.members[-1]
    rows = page.locator("#members tbody tr")
    async with api(deployment, TRADE_KEY) as client:
        removed = await client.post("/portfolio/remove-symbol", json={"symbol": last})
        assert removed.status_code == 200, removed.text
        await expect(rows).to_have_count(MEMBERS - 1, timeout=LIVE_LIMIT_MS)
        added = await client.post("/portfolio/add-symbol", json={"symbol": last})
        assert added.status_code == 200, added.text
        await page.locator(f"#members tr[data-symbol='{last}']").wait_for(timeout=LIVE_LIMIT_MS)
    assert await rows.count() == MEMBERS
    assert await page.evaluate("window.notReloaded") is True
    assert (await page.inner_text("#live")).startswith("Live: connected")


async def test_the_stream_resumes_with_last_event_id_after_a_dropped_connection(
    browser: Any, deployment: Deployment
) -> None:
    port = int(deployment.origin.rsplit(":", 1)[1])
    async with TcpProxy("127.0.0.1", port) as proxy:
        context = await browser.new_context()
        page = await context.new_page()
        await page.add_init_script(with_key(READ_KEY))
        streams: list[Any] = []
        page.on("request", lambda r: "/events" in r.url and streams.append(r))
        await page.goto(f"http://127.0.0.1:{proxy.port}/dashboard/#portfolio")
        await page.locator("#live[data-state='open']").wait_for()
        last = deployment.members[-1]
        async with api(deployment, TRADE_KEY) as client:
            await client.post("/portfolio/remove-symbol", json={"symbol": last})
            await page.locator("#live", has_text="last event").wait_for()
            await page.locator(f"#members tr[data-symbol='{last}']").wait_for(state="detached")
            seen = (await page.inner_text("#live")).split("#")[1].split()[0]
            await proxy.cut()  # the connection dies; the change below happens while it is down
            await client.post("/portfolio/add-symbol", json={"symbol": last})
            await proxy.restore()
        await page.locator(f"#members tr[data-symbol='{last}']").wait_for()
        resumed = [(await r.all_headers()).get("last-event-id") for r in streams]
        assert resumed[0] is None and any(r and int(r) >= int(seen) for r in resumed[1:]), resumed
        await context.close()


async def test_an_unknown_key_is_refused_clearly_and_a_good_key_is_kept_for_the_tab(
    browser: Any, deployment: Deployment
) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{deployment.origin}/dashboard/")
    await page.locator("#key-dialog").wait_for(state="visible")
    assert "needs an API key" in await page.inner_text("#key-error")
    await page.fill("#key-input", "not-a-key-anyone-issued-0000")
    await page.click("#key-submit")
    await page.locator("#key-error", has_text="not recognised").wait_for()
    assert await page.locator("#key-dialog").is_visible()
    await page.fill("#key-input", READ_KEY)
    await page.click("#key-submit")
    await page.locator("#key-dialog").wait_for(state="hidden")
    await page.locator("#members tbody tr").nth(MEMBERS - 1).wait_for()
    await page.reload()
    await page.locator("#members tbody tr").nth(MEMBERS - 1).wait_for()
    assert not await page.locator("#key-dialog").is_visible()
    assert READ_KEY not in page.url
    assert await page.evaluate(f"sessionStorage.getItem({json.dumps(KEY_ITEM)})") == READ_KEY
    await context.close()


async def test_with_open_reads_the_page_reads_without_asking_for_a_key(
    browser: Any, deployment: Deployment
) -> None:
    """A second process on the same database, with `MYSYMBOLS_AUTH__OPEN_READS` on."""
    port = free_port()
    env = {**deployment.env, "MYSYMBOLS_AUTH__OPEN_READS": "true"}
    with process(uvicorn("app.main:app", port), env, None):
        await asyncio.to_thread(wait_for, f"http://127.0.0.1:{port}{API}/health", 90)
        context = await browser.new_context()
        page = await context.new_page()
        console = Console(page)
        await page.goto(f"http://127.0.0.1:{port}/dashboard/")
        await page.locator("#members tbody tr").nth(MEMBERS - 1).wait_for()
        await page.locator("#live[data-state='open']").wait_for()
        assert not await page.locator("#key-dialog").is_visible()
        assert await page.evaluate(f"sessionStorage.getItem({json.dumps(KEY_ITEM)})") is None
        assert console.errors == []
        await context.close()


async def test_acknowledging_an_alert_needs_a_trade_key(
    browser: Any, deployment: Deployment
) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    await page.add_init_script(with_key(READ_KEY))
    await page.goto(f"{deployment.origin}/dashboard/#operations")
    button = page.locator("#alerts button[data-alert]").first
    alert_id = int(await button.get_attribute("data-alert") or 0)
    await button.click()
    await page.locator("#ack-message", has_text="trade role").wait_for()
    await page.click("#ack-message button")
    await page.fill("#key-input", TRADE_KEY)
    await page.click("#key-submit")
    await page.locator("#key-dialog").wait_for(state="hidden")
    await page.locator(f"#alerts button[data-alert='{alert_id}']").wait_for(state="visible")
    await page.click(f"#alerts button[data-alert='{alert_id}']")
    await page.locator("#ack-message", has_text=f"Alert {alert_id} acknowledged").wait_for()
    acknowledged = await read(deployment, "/alerts?status=acknowledged")
    assert [a["id"] for a in acknowledged] == [alert_id]
    assert acknowledged[0]["acknowledged_by"].startswith("bootstrap-trade")
    await context.close()


CONTRAST = """() => {
  const lum = (rgb) => rgb
    .map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *:not(svg *)")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.checkVisibility()) continue;
    const [a, b] = [lum(parse(getComputedStyle(el).color).slice(0, 3)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const large = parseFloat(getComputedStyle(el).fontSize) >= 24;
    if (ratio < (large ? 3 : 4.5)) {
      failures.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
    }
  }
  return failures;
}"""

# Column headings and captions not in sentence case (a statistic's one-letter symbol, "t", is
# its own case).
UNCASED = """() => [...document.querySelectorAll(".view:not([hidden]) :is(thead th, caption)")]
  .filter((el) => el.checkVisibility())
  .map((el) => el.innerText.trim())
  .filter((text) => /^\\p{Ll}/u.test(text) && !/^\\p{Ll}$/u.test(text))"""

NAMELESS = """() => [...document.querySelectorAll("a, button, input, select, [role=img]")]
  .filter((el) => el.checkVisibility())
  .filter((el) => !((el.getAttribute("aria-label") || "").trim() || (el.labels && el.labels.length)
    || el.textContent.trim()))
  .map((el) => el.outerHTML.slice(0, 80))"""


async def test_controls_are_named_text_has_contrast_and_views_are_reachable_by_keyboard(
    session: tuple[Any, Console],
) -> None:
    page, _ = session
    for view, ready in [
        ("portfolio", "#members"),
        ("rankings", "#score-card"),
        ("risk", "svg.heatmap"),
        ("evidence", "#figures"),
        ("operations", "#job-runs"),
    ]:
        await show(page, view, ready)
        shown = await page.inner_text(f"#view-{view}")
        assert not re.search(r"\b(null|undefined|NaN|Infinity)\b", shown), view
        assert await page.evaluate(NAMELESS) == [], view
        assert await page.evaluate(CONTRAST) == [], view
        assert await page.evaluate(UNCASED) == [], view
    tabs = ["portfolio", "rankings", "risk", "evidence", "operations"]
    for before, view in itertools.pairwise(tabs):
        await page.focus(f"#tab-{before}")
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.id") == f"tab-{view}"
        await page.keyboard.press("Enter")
        await page.locator(f"#view-{view}").wait_for(state="visible")
        assert page.url.endswith(f"#{view}")
        # The content takes the focus, so the next Tab goes into the view just opened.
        assert await page.evaluate("document.activeElement.id") == "main"


async def test_load_time_and_transferred_bytes_are_measured(
    browser: Any, deployment: Deployment, output: Path
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    await page.add_init_script(with_key(READ_KEY))
    await page.goto(f"{deployment.origin}/dashboard/")
    await page.locator("#members tbody tr").nth(MEMBERS - 1).wait_for()
    timing = await page.evaluate("""() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const resources = performance.getEntriesByType("resource");
      const files = resources.filter((r) => r.name.includes("/dashboard/"));
      const api = resources.filter((r) => r.name.includes("/api/symbol-mgmt/"));
      const sum = (list, key) => list.reduce((s, r) => s + r[key], 0);
      return {
        dom_content_loaded_ms: nav.domContentLoadedEventEnd,
        load_event_ms: nav.loadEventEnd,
        first_view_rendered_ms: performance.getEntriesByName("dashboard:rendered")[0].startTime,
        requests: 1 + resources.length,
        page_files_bytes: nav.transferSize + sum(files, "transferSize"),
        api_bytes: sum(api, "transferSize"),
        transferred_bytes: nav.transferSize + sum(resources, "transferSize"),
      };
    }""")
    await context.close()
    assert timing["requests"] > 5 and timing["transferred_bytes"] > timing["page_files_bytes"] > 0
    (output / "load.json").write_text(json.dumps(timing, indent=1))
    shots = sorted(p.name for p in output.glob("*.png"))  # noqa: ASYNC240
    SUMMARY.append(f"screenshots ({len(shots)}): {', '.join(shots)}")
    SUMMARY.append(f"page load on the simulator: {json.dumps(timing)}")


async def test_the_console_shows_no_errors(session: tuple[Any, Console]) -> None:
    _, console = session
    assert console.errors == []
