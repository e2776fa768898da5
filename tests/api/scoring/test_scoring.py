"""Scoring over HTTP against the simulator: run, rankings, history, runs, editable weights."""

from __future__ import annotations

import os
import signal
from typing import Any

import httpx
import pytest

from tests.conftest import ADMIN_KEY, READ_KEY, TRADE_KEY, TRADE_NAME
from tests.helpers import assert_problem, run_ended
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import live_clock_ms

BASE = "/api/symbol-mgmt/scoring"
JOBS = "/api/symbol-mgmt/jobs/runs"
TRADE = {"X-API-Key": TRADE_KEY}
READ = {"X-API-Key": READ_KEY}
ADMIN = {"X-API-Key": ADMIN_KEY}
COMPONENTS = {"technical", "fundamental", "market_structure", "risk"}
UNIVERSE = 12


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": UNIVERSE, "start_time_ms": live_clock_ms()}


def killed_in_the_worker(*args: object) -> None:
    """Scoring that takes its worker down (an out-of-memory kill, say), every time."""
    os.kill(os.getpid(), signal.SIGKILL)


async def calculate(api: httpx.AsyncClient) -> dict[str, object]:
    response = await api.post(f"{BASE}/calculate", params={"wait": 60}, headers=TRADE)
    assert response.status_code == 200, response.text
    return dict(response.json())


class TestCalculateAndRank:
    async def test_rankings_are_ordered_bounded_and_traceable(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        run = await calculate(api)
        assert run["status"] == "completed" and run["scored_count"] == UNIVERSE
        assert run["data_source"] == sim.base_url
        body = (await api.get(f"{BASE}/rankings", params={"limit": 10}, headers=READ)).json()
        items = body["items"]
        assert body["run_id"] == run["id"] and body["stale"] is False and len(items) == 10
        assert [i["rank"] for i in items] == list(range(1, 11))
        composites = [i["composite"] for i in items]
        assert composites == sorted(composites, reverse=True)
        for item in items:
            assert 0 <= item["composite"] <= 100 and 0 < item["confidence"] <= 1
            assert set(item["components"]) == COMPONENTS
            assert all(0 <= v <= 100 for v in item["components"].values())
            # The default (risk only, migration 0024): the others are scored but weigh nothing.
            assert item["components"]["risk"] == pytest.approx(item["composite"], abs=1e-3)
        top = items[0]["symbol"]
        history = (await api.get(f"{BASE}/symbol/{top}/scores", headers=READ)).json()
        [entry] = history["history"]
        assert entry["run_id"] == run["id"]
        by_component = {s["component"]: s for s in entry["scores"]}
        assert float(by_component["composite"]["score"]) == items[0]["composite"]
        for name in COMPONENTS:
            metrics = by_component[name]["breakdown"]["metrics"]
            assert sum(m["contribution"] for m in metrics) == pytest.approx(
                float(by_component[name]["score"]), abs=1e-3
            )
        detail = (await api.get(f"{BASE}/runs/{run['id']}", headers=READ)).json()
        assert detail["config"]["weights"] == {
            "technical": 0.0,
            "fundamental": 0.0,
            "market_structure": 0.0,
            "risk": 1.0,
        }
        assert detail["exclusions"]["by_reason"] == {}

    async def test_the_run_shows_the_kucoin_weight_it_planned_and_spent(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        run = await calculate(api)
        charged = sum(r.weight for r in sim.requests)
        detail = (await api.get(f"{BASE}/runs/{run['id']}", headers=READ)).json()
        spent = detail["spend"]["spent"]
        assert spent["weight"] == charged and spent["limiter_wait_s"] >= 0
        assert spent["weight_by_endpoint"] == {
            "contracts": 3,
            "book_snapshot": UNIVERSE * 3,
            "funding_history": UNIVERSE * 5,
            "klines": UNIVERSE * 2 * 3,
        }
        planned = detail["spend"]["planned"]
        assert planned["weight_by_endpoint"] == spent["weight_by_endpoint"]
        assert planned["weight_by_symbol"]["BTCUSDT"] == 3 + 5 + 2 * 3

    async def test_rankings_by_one_component(self, api: httpx.AsyncClient) -> None:
        await calculate(api)
        body = (
            await api.get(f"{BASE}/rankings", params={"component": "risk"}, headers=READ)
        ).json()
        risk = [i["components"]["risk"] for i in body["items"]]
        assert body["component"] == "risk" and risk == sorted(risk, reverse=True)

    async def test_symbol_history_accepts_any_form(self, api: httpx.AsyncClient) -> None:
        await calculate(api)
        body = (await api.get(f"{BASE}/symbol/XBTUSDTM/scores", headers=READ)).json()
        assert body["symbol"] == "BTCUSDT" and len(body["history"]) == 1

    async def test_a_run_is_a_job_whose_location_gives_its_result(
        self, api: httpx.AsyncClient
    ) -> None:
        started = await api.post(f"{BASE}/calculate", headers=TRADE)
        assert started.status_code == 202, started.text
        run = started.json()
        location = started.headers["location"]
        assert location == f"{JOBS}/{run['id']}"
        assert (run["job"], run["status"], run["requested_by"]) == (
            "score_refresh",
            "running",
            TRADE_NAME,
        )
        assert run["scheduled_tick"] is None and run["result"] is None and run["problem"] is None
        ended = await run_ended(api, location, READ)
        assert (ended["status"], ended["progress"], ended["problem"]) == ("succeeded", 1.0, None)
        scoring_run = await api.get(f"{BASE}/runs/{ended['result']['run_id']}", headers=READ)
        assert scoring_run.json()["status"] == "completed"
        assert scoring_run.json()["triggered_by"] == TRADE_NAME  # the key, as the ledger
        assert scoring_run.json()["scored_count"] == ended["result"]["scored"] == UNIVERSE
        listed = (await api.get(JOBS, params={"job": "score_refresh"}, headers=READ)).json()
        assert [r["id"] for r in listed] == [run["id"]]

    async def test_a_second_run_while_one_runs_is_409_pointing_at_it(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        sim.faults.set("slow", seconds=1.0, path="/api/v1/contracts/active", count=1)
        first = await api.post(f"{BASE}/calculate", headers=TRADE)
        assert first.status_code == 202
        second = await api.post(f"{BASE}/calculate", params={"wait": 60}, headers=TRADE)
        body = assert_problem(second, 409, "run-in-progress")
        assert body["run_id"] == first.json()["id"]
        assert second.headers["location"] == body["run_url"] == first.headers["location"]
        assert (await run_ended(api, first.headers["location"], READ))["status"] == "succeeded"
        # Once it has ended, the next one runs.
        assert (
            await api.post(f"{BASE}/calculate", params={"wait": 60}, headers=TRADE)
        ).status_code == 200

    async def test_a_worker_that_dies_twice_is_a_503_on_the_run_and_the_next_run_scores(
        self, api: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        with monkeypatch.context() as patched:
            patched.setattr("app.scoring.scoring_run.score_run", killed_in_the_worker)
            failed = await api.post(f"{BASE}/calculate", params={"wait": 60}, headers=TRADE)
        body = assert_problem(failed, 503, "worker-unavailable")
        assert failed.headers["retry-after"] == "2" and body["retry_after_s"] == 2
        ended = (await api.get(body["run_url"], headers=READ)).json()
        assert ended["status"] == "failed" and ended["problem"]["status"] == 503
        assert ended["problem"]["type"] == "urn:mysymbols:problem:worker-unavailable"
        # Nothing of the failed run was kept: no scores to rank.
        assert_problem(await api.get(f"{BASE}/rankings", headers=READ), 404, "not-found")
        assert (await calculate(api))["scored_count"] == UNIVERSE  # in a new worker

    async def test_wait_beyond_a_minute_is_422(self, api: httpx.AsyncClient) -> None:
        response = await api.post(f"{BASE}/calculate", params={"wait": 61}, headers=TRADE)
        assert_problem(response, 422, "validation-error")
        assert (await api.get(JOBS, headers=READ)).json() == []  # nothing started

    async def test_reading_needs_a_key_and_running_needs_trade(
        self, api: httpx.AsyncClient
    ) -> None:
        assert_problem(await api.post(f"{BASE}/calculate", headers=READ), 403, "forbidden")
        assert_problem(await api.get(f"{BASE}/rankings"), 401, "unauthenticated")


class TestNotFoundAndValidation:
    async def test_rankings_before_any_run_is_404(self, api: httpx.AsyncClient) -> None:
        assert_problem(await api.get(f"{BASE}/rankings", headers=READ), 404, "not-found")

    async def test_unknown_component_is_422(self, api: httpx.AsyncClient) -> None:
        response = await api.get(f"{BASE}/rankings", params={"component": "vibes"}, headers=READ)
        body = assert_problem(response, 422, "validation-error")
        assert body["errors"][0]["field"] == "component"

    async def test_unknown_run_is_404(self, api: httpx.AsyncClient) -> None:
        assert_problem(await api.get(f"{BASE}/runs/999999", headers=READ), 404, "not-found")

    async def test_unknown_symbol_is_404(self, api: httpx.AsyncClient) -> None:
        await calculate(api)
        response = await api.get(f"{BASE}/symbol/NOPEUSDT/scores", headers=READ)
        assert_problem(response, 404, "unknown-symbol")


class TestAlgorithms:
    async def test_weights_not_summing_to_one_are_refused_and_change_nothing(
        self, api: httpx.AsyncClient
    ) -> None:
        before = (await api.get(f"{BASE}/algorithms", headers=ADMIN)).json()
        response = await api.put(
            f"{BASE}/algorithms",
            json={"algorithms": [{"name": "technical", "weight": 0.5}]},
            headers=ADMIN,
        )
        body = assert_problem(response, 422, "validation-error")
        assert "sum to 1" in str(body["detail"])
        assert body["weights"] == {  # the active weights it would have given, as JSON numbers
            "technical": 0.5,
            "fundamental": 0.0,
            "market_structure": 0.0,
            "risk": 1.0,
        }
        assert (await api.get(f"{BASE}/algorithms", headers=ADMIN)).json() == before

    async def test_unknown_component_and_bad_weight_are_422(self, api: httpx.AsyncClient) -> None:
        unknown = {"algorithms": [{"name": "astrology", "weight": 0.1}]}
        assert_problem(
            await api.put(f"{BASE}/algorithms", json=unknown, headers=ADMIN),
            422,
            "validation-error",
        )
        too_big = {"algorithms": [{"name": "risk", "weight": 1.5}]}
        assert_problem(
            await api.put(f"{BASE}/algorithms", json=too_big, headers=ADMIN),
            422,
            "validation-error",
        )

    async def test_the_risk_led_default_is_in_force_with_its_evidence(
        self, api: httpx.AsyncClient
    ) -> None:
        body = (await api.get(f"{BASE}/algorithms", headers=ADMIN)).json()
        assert body["preset"] == "risk_only"
        weights = {a["name"]: a["weight"] for a in body["algorithms"]}
        assert weights == {
            "technical": 0.0,
            "fundamental": 0.0,
            "market_structure": 0.0,
            "risk": 1.0,
        }
        adopted = body["adopted_by"]
        assert adopted["actor"] == "migration" and adopted["evidence"]["candidate"] == "G"
        assert adopted["evidence"]["cited_as"] == "held-out confirmation, 2026-11-25"
        presets = (await api.get(f"{BASE}/algorithms/presets", headers=ADMIN)).json()
        assert {p["name"]: (p["candidate"], p["is_default"]) for p in presets} == {
            "seed": ("A", False),
            "risk_only": ("G", True),
        }

    async def test_the_seed_preset_restores_the_seeded_weights_in_one_call(
        self, api: httpx.AsyncClient
    ) -> None:
        response = await api.put(f"{BASE}/algorithms/presets/seed", headers=ADMIN)
        assert response.status_code == 200, response.text
        change = response.json()
        assert change["applied"] is True
        body = (await api.get(f"{BASE}/algorithms", headers=ADMIN)).json()
        assert body["preset"] == "seed" and body["adopted_by"]["id"] == change["change_id"]
        assert body["adopted_by"]["actor"] != "migration"
        rows = {a["name"]: a for a in body["algorithms"]}
        assert {n: a["weight"] for n, a in rows.items()} == {
            "technical": 0.3,
            "fundamental": 0.25,
            "market_structure": 0.25,
            "risk": 0.2,
        }
        assert rows["technical"]["parameters"] == {  # the seed's, technical version 1
            "rsi_period": 14,
            "macd": [12, 26, 9],
            "bollinger": [20, 2.0],
            "volume_window": 20,
        }
        back = await api.put(f"{BASE}/algorithms/presets/risk_only", headers=ADMIN)
        assert back.status_code == 200, back.text
        body = (await api.get(f"{BASE}/algorithms", headers=ADMIN)).json()
        assert body["preset"] == "risk_only"
        technical = next(a for a in body["algorithms"] if a["name"] == "technical")
        assert technical["parameters"]["version"] == 2

    async def test_an_unknown_preset_is_404_and_changes_nothing(
        self, api: httpx.AsyncClient
    ) -> None:
        before = (await api.get(f"{BASE}/algorithms", headers=ADMIN)).json()
        body = assert_problem(
            await api.put(f"{BASE}/algorithms/presets/astrology", headers=ADMIN), 404, "not-found"
        )
        assert body["known"] == ["risk_only", "seed"]
        assert (await api.get(f"{BASE}/algorithms", headers=ADMIN)).json() == before
        assert_problem(
            await api.put(f"{BASE}/algorithms/presets/seed", headers=TRADE), 403, "forbidden"
        )

    async def test_only_admins_edit(self, api: httpx.AsyncClient) -> None:
        response = await api.put(
            f"{BASE}/algorithms",
            json={"algorithms": [{"name": "risk", "weight": 0.2}]},
            headers=TRADE,
        )
        assert_problem(response, 403, "forbidden")

    async def test_new_weights_change_the_next_run_and_not_the_stored_one(
        self, api: httpx.AsyncClient
    ) -> None:
        first = await calculate(api)
        ranked_before = (await api.get(f"{BASE}/rankings", headers=READ)).json()["items"]
        response = await api.put(
            f"{BASE}/algorithms",
            json={
                "algorithms": [
                    {"name": "technical", "weight": 0.1},
                    {"name": "fundamental", "weight": 0.25},
                    {"name": "market_structure", "weight": 0.25},
                    {"name": "risk", "weight": 0.4},
                ]
            },
            headers=ADMIN,
        )
        assert response.status_code == 200, response.text
        change = response.json()
        assert change["applied"] is True and change["change_id"] >= 1
        # Judged on the stored history when it replays, else saying why not.
        assert (change["evidence"] is None) != (change["evidence_unavailable"] is None)
        weights = {a["name"]: a["weight"] for a in change["algorithms"]}
        assert weights["technical"] == 0.1 and weights["risk"] == 0.4  # as stored
        second = await calculate(api)
        assert second["config_hash"] != first["config_hash"]
        ranked_after = (await api.get(f"{BASE}/rankings", headers=READ)).json()["items"]
        for item in ranked_after:
            c = item["components"]
            expected = (
                0.1 * c["technical"]
                + 0.25 * c["fundamental"]
                + 0.25 * c["market_structure"]
                + 0.4 * c["risk"]
            )
            assert item["composite"] == pytest.approx(expected, abs=1e-3)
        symbol = ranked_before[0]["symbol"]
        history = (await api.get(f"{BASE}/symbol/{symbol}/scores", headers=READ)).json()
        old = next(e for e in history["history"] if e["run_id"] == first["id"])
        old_composite = next(s for s in old["scores"] if s["component"] == "composite")
        assert old_composite["score"] == ranked_before[0]["composite"]
