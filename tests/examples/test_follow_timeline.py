"""GET /replays/{id}/timeline, and `examples/follow_timeline.py` following it on the replay's
own candles: the example's equity is the replay report's policy equity (no costs; and with fees
and funding, since the example charges them as the replay does)."""

from __future__ import annotations

import csv
import io
import itertools
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.books.replay_config import policy_config
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_params import ReplayParams
from app.configuration.registry import DEFAULTS
from app.lab.models import ReplayRun
from app.lab.replay.replaying import replay
from app.platform.core.units import HOUR_MS
from tests.conftest import READ_KEY
from tests.factories import add
from tests.helpers import assert_problem
from tests.replay_data import START_MS, generated_run_config, random_walks, write_csv_folder

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "follow_timeline.py"
REPLAYS = "/api/symbol-mgmt/replays"
READ = {"X-API-Key": READ_KEY}
POLICY = policy_config(
    generated_run_config(),
    DEFAULTS,
    {
        "policy": {
            "scoring_candles": 200,
            "replacement_margin": 1,
            "replacement_confirmation_hours": 0,
            "min_holding_hours": 0,
        }
    },
    top=4,
)


def params(fee_bps: float) -> ReplayParams:
    return ReplayParams(
        start_ms=START_MS + 240 * HOUR_MS,
        end_ms=START_MS + 24 * 30 * HOUR_MS,
        every_h=12,
        fee_bps=fee_bps,
        random_draws=2,
    )


def moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


async def finished(session: AsyncSession, history: MarketHistory, fee_bps: float) -> ReplayRun:
    """A succeeded replay run of `history`, as the runner would have stored it."""
    p = params(fee_bps)
    report = replay(history, POLICY, p)
    return await add(
        session,
        ReplayRun(
            kind="replay",
            status="succeeded",
            requested_by="test",
            params={"every": "12h"},
            config_hash=report["config_hash"],
            data_from=moment(p.start_ms),
            data_to=moment(p.end_ms),
            progress=1.0,
            report=report,
        ),
    )


def follow(timeline: Path, candles: Path, out: Path, *extra: str) -> dict[str, float]:
    subprocess.run(
        [sys.executable, str(EXAMPLE), str(timeline), str(candles), "--out", str(out), *extra],
        check=True,
        cwd=ROOT,
    )
    with out.open() as table:
        return {row["time"]: float(row["equity"]) for row in csv.DictReader(table)}


def iso_ms(ms: int) -> str:
    return moment(ms).strftime("%Y-%m-%dT%H:%M:%SZ")


class TestReplayTimeline:
    @pytest.mark.parametrize(
        ("funding", "fee_bps"), [(False, 0.0), (True, 6.0)], ids=["no-costs", "fees-and-funding"]
    )
    async def test_following_it_gives_the_replays_own_equity(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        tmp_path: Path,
        funding: bool,
        fee_bps: float,
    ) -> None:
        history = random_walks(12, 24 * 30, seed=5, funding=funding)
        run = await finished(session, history, fee_bps)
        answer = await client.get(f"{REPLAYS}/{run.id}/timeline", headers=READ)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        # Held from each trade, an hour after its decision, to the books' valuation end.
        assert body["source"] == "replay" and body["to"] == run.report["data"]["valued_to"]
        assert_tiles(body["rows"])
        decided = [d for d in run.report["decisions"] if d["traded"]]
        assert len({r["from"] for r in body["rows"]}) == len(decided) >= 2
        assert {r["reason"] for r in body["rows"]} >= {"added", "replaced"}
        assert all(
            not r["listed"] and r["ccxt_symbol"].endswith("/USDT:USDT") for r in body["rows"]
        )  # the universe never held these

        as_csv = await client.get(
            f"{REPLAYS}/{run.id}/timeline", headers={**READ, "Accept": "text/csv"}
        )
        assert as_csv.headers["content-type"].startswith("text/csv")
        lines = list(csv.DictReader(io.StringIO(as_csv.text)))
        assert [line["symbol"] for line in lines] == [r["symbol"] for r in body["rows"]]
        timeline = tmp_path / "timeline.csv"
        timeline.write_bytes(as_csv.content)
        candles = write_csv_folder(history, tmp_path / "candles")

        equity = follow(timeline, candles, tmp_path / "equity.csv", "--cost-bps", str(fee_bps))
        curve = run.report["strategies"]["policy"]["equity"]
        assert len(curve) > 10
        for at_ms, value in curve:
            assert equity[iso_ms(at_ms)] == pytest.approx(value, abs=1e-9, rel=0)

    async def test_unknown_is_404_and_unfinished_is_409(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        assert_problem(
            await client.get(f"{REPLAYS}/99999/timeline", headers=READ), 404, "not-found"
        )
        queued = await add(
            session,
            ReplayRun(
                kind="replay",
                status="queued",
                requested_by="test",
                params={},
                data_from=moment(START_MS),
                data_to=moment(START_MS + HOUR_MS),
            ),
        )
        problem = assert_problem(
            await client.get(f"{REPLAYS}/{queued.id}/timeline", headers=READ), 409, "conflict"
        )
        assert problem["status"] == 409 and "queued" in problem["detail"]


def assert_tiles(rows: list[dict[str, Any]]) -> None:
    """Intervals follow each other without gap or overlap; each one's weights sum to 100."""
    spans = sorted({(r["from"], r["to"]) for r in rows})
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end == start
    for span in spans:
        weights = [r["weight"] for r in rows if (r["from"], r["to"]) == span]
        assert sum(weights) == pytest.approx(100.0, abs=1e-9)
