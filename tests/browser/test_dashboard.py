"""The dashboard in real Chromium against the deployed service on the simulator: every view with
the right data, live updates without a reload, the key flow, accessibility, a clean console.
Screenshots of every view at 1280 x 800 and 390 x 844 go to `tests/browser/output/`."""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.db.models import PortfolioHistory, TrackRecord, TrackRecordDecision, TrackRecordHour
from app.trackrecord.tracker import STRATEGIES
from tests.browser.conftest import ADMIN_KEY, MEMBERS, READ_KEY, SUMMARY, TRADE_KEY, Deployment
from tests.deployed import API, process, uvicorn, wait_for
from tests.sim_fixtures import free_port
from tests.tcp_proxy import TcpProxy

SIZES = [(1280, 800), (390, 844)]
KEY_ITEM = "mysymbols.apiKey"
LIVE_LIMIT_MS = 2000  # the bound for a change to reach an open page


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
    await page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})


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
                    session.add(PortfolioHistory(
                        occurred_at=inception + timedelta(minutes=30), action="replace",
                        symbol=newcomer, replaced_symbol=replaced, actor="browser-test",
                        reason="live record seed", details={},
                    ))  # fmt: skip
                session.add(TrackRecord(
                    id=1, inception_at=inception, last_hour=marked_to, last_audit_id=1,
                    state={}, updated_at=marked_to + timedelta(minutes=7),
                ))  # fmt: skip
                session.add_all(
                    TrackRecordHour(strategy=name, at=inception + timedelta(hours=t),
                                    equity=live_equity(k, t), gap=t in GAPS)
                    for k, name in enumerate(STRATEGIES)
                    for t in range(hours)
                )  # fmt: skip
                session.add_all(
                    TrackRecordDecision(
                        at=inception + timedelta(hours=t),
                        audit_id=1,
                        reason="test",
                        config_hash=config,
                        weights={newcomer: 0.5, replaced: 0.5},
                        turnover=dict.fromkeys(STRATEGIES, 0.5),
                        fees=dict.fromkeys(STRATEGIES, 3e-4),
                    )
                    for t, config in ((0, SEGMENTS[0]), (72, SEGMENTS[0]), (120, SEGMENTS[1]))
                )
            await session.commit()
    finally:
        await engine.dispose()


async def live_answer(deployment: Deployment, status: int) -> Any:
    """`/evidence/live` once it answers `status` (a cached answer lives up to 1 s)."""
    deadline = time.monotonic() + 10
    async with api(deployment, READ_KEY) as client:
        while True:
            response = await client.get("/evidence/live")
            if response.status_code == status or time.monotonic() > deadline:
                assert response.status_code == status, response.text
                return response.json()
            await asyncio.sleep(0.2)


async def reopen(page: Any, deployment: Deployment, view: str, ready: str) -> None:
    """The page reloaded on `view` (a view already read is not read again until touched)."""
    await page.goto(f"{deployment.origin}/dashboard/#{view}")
    await page.reload()
    await page.locator(f"#view-{view} {ready}").first.wait_for()


@pytest.fixture
async def live_record(deployment: Deployment) -> Any:
    """The live track record stored, as `/evidence/live` answers it."""
    await write_live_record(deployment, start=True)
    return await live_answer(deployment, 200)


@pytest.fixture
async def no_live_record(deployment: Deployment) -> None:
    await write_live_record(deployment, start=False)
    await live_answer(deployment, 404)


class TestLiveRecord:
    async def test_evidence_says_plainly_that_the_record_starts_at_the_first_decision(
        self, session: tuple[Any, Console], deployment: Deployment, no_live_record: None
    ) -> None:
        page, _ = session
        await reopen(page, deployment, "evidence", "#figures")
        assert await page.inner_text("#live-since") == "Live track record: not started yet"
        assert "starts at the portfolio's first decision" in await page.inner_text("#live-none")
        assert await page.locator("#live-figures, #live-equity").count() == 0
        assert not await page.locator("#notice").is_visible()  # not an error

    async def test_operations_say_the_record_has_not_started(
        self, session: tuple[Any, Console], deployment: Deployment, no_live_record: None
    ) -> None:
        page, _ = session
        await reopen(page, deployment, "operations", "#job-runs")
        assert (await page.inner_text("#track-record")).startswith("Not started.")
        assert not await page.locator("#notice").is_visible()

    async def test_evidence_shows_the_live_record_apart_from_the_replay(
        self, session: tuple[Any, Console], deployment: Deployment, live_record: Any
    ) -> None:
        page, _ = session
        await reopen(page, deployment, "evidence", "#live-figures")
        inception = datetime.fromisoformat(live_record["inception"])
        assert await page.inner_text("#live-since") == f"Live since {when(inception)}"
        assert await page.locator("#replay-evidence #live-figures").count() == 0
        assert await page.locator(".record #figures, .record #replay-equity").count() == 0
        strategies = list(live_record["windows"]["since_inception"]["strategies"])
        assert strategies == list(STRATEGIES)
        rows = page.locator("#live-figures tbody tr")
        assert await rows.count() == len(strategies)
        for name in ("policy", "btc_hold"):
            cells = await texts(page, f"#live-figures tr[data-strategy='{name}'] td")
            for k, window in enumerate(("since_inception", "last_90d", "last_30d")):
                figures = live_record["windows"][window]["strategies"][name]
                total = figures["total_return"] * 100
                assert cells[2 * k] == f"{'+' if total > 0 else ''}{total:.1f} %"
                assert cells[2 * k + 1] == f"{figures['sharpe']:.2f}"
        assert not live_record["windows"]["last_90d"]["complete"]  # 8 days: partial, marked
        assert "Return 90 d *" in await page.inner_text("#live-figures thead")
        skill = live_record["windows"]["since_inception"]["against_universe"]
        alpha = await texts(page, "#live-alpha tr[data-window='since_inception'] td")
        assert alpha[0] == str(skill["n"]) and alpha[4] == f"{skill['beta']:.2f}"
        hits = live_record["replacements"]
        assert hits["n"] == 1 and hits["horizon_days"] == 7
        low, high = (x * 100 + 0.0 for x in hits["hit_interval"])  # no "-0.0"
        hit_text = await page.inner_text("#live-hit-rate")
        assert f"{hits['hit_rate'] * 100:.1f} %" in hit_text
        assert f"95 % Wilson interval {low:.1f} to {high:.1f} %" in hit_text
        assert live_record["gap_hours"] == len(GAPS)
        assert f"Gap hours\n{len(GAPS)}" in await page.inner_text("#view-evidence .record .cards")
        segments = await texts(page, "#live-segments tbody td:first-child")
        assert segments == [c[:12] for c in SEGMENTS]
        drawn = await page.locator("#live-equity path.series").evaluate_all(
            "paths => paths.map(p => p.dataset.series)"
        )
        assert drawn == [s.replace("_", " ") for s in STRATEGIES]

    async def test_operations_show_the_records_last_update_and_its_age(
        self, session: tuple[Any, Console], deployment: Deployment, live_record: Any
    ) -> None:
        page, _ = session
        await reopen(page, deployment, "operations", "#track-record dl")
        shown = await page.inner_text("#track-record")
        marked_to = datetime.fromisoformat(live_record["marked_to"])
        updated_at = datetime.fromisoformat(live_record["updated_at"])
        assert f"Marked to\n{when(marked_to)}" in shown
        assert f"Updated\n{when(updated_at)}" in shown
        shown_age = re.search(r"Record age\n([\d.]+) (min|h)", shown)
        assert shown_age, shown
        seconds = float(shown_age[1]) * (60 if shown_age[2] == "min" else 3600)
        assert abs(seconds - (datetime.now(UTC) - marked_to).total_seconds()) < 0.06 * 3600


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
        bars = page.locator("#view-portfolio .bars .bar")
        drawn = await bars.evaluate_all("bars => bars.map(b => Number(b.dataset.value))")
        assert drawn == weights
        history = await read(deployment, "/portfolio/history?limit=8")
        assert await page.locator("#changes tbody tr").count() == len(history)
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
        assert "No symbol was excluded" in await page.inner_text("#exclusions")
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
        assert await page.locator("#clusters li").count() == len(correlation["clusters"])
        assert await page.locator("#betas tbody tr").count() == MEMBERS
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

NAMELESS = """() => [...document.querySelectorAll("a, button, input, select, [role=img]")]
  .filter((el) => el.checkVisibility())
  .filter((el) => !((el.getAttribute("aria-label") || "").trim() || (el.labels && el.labels.length)
    || el.textContent.trim()))
  .map((el) => el.outerHTML.slice(0, 80))"""


async def test_controls_are_named_text_has_contrast_and_views_are_reachable_by_keyboard(
    session: tuple[Any, Console],
) -> None:
    page, _ = session
    for view, ready in [("portfolio", "#members"), ("rankings", "#score-card"),
                        ("risk", "svg.heatmap"), ("evidence", "#figures"),
                        ("operations", "#job-runs")]:  # fmt: skip
        await show(page, view, ready)
        shown = await page.inner_text(f"#view-{view}")
        assert not re.search(r"\b(null|undefined|NaN|Infinity)\b", shown), view
        assert await page.evaluate(NAMELESS) == [], view
        assert await page.evaluate(CONTRAST) == [], view
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
