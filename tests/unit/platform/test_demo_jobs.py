"""The demo's job steps against the API's documented answers: a scoring run already going (a
first start's) is followed, and the demo answers with that run's own numbers."""

from __future__ import annotations

import sys
import time
from typing import Any

import httpx
import pytest

from scripts import demo
from scripts.demo import API, run_job, scoring_run

JOB_RUN = f"{API}/jobs/runs/3"
BUSY = {
    "type": "urn:mysymbols:problem:run-in-progress",
    "title": "A run of this job is already in progress",
    "status": 409,
    "detail": "score_refresh run 3 is in progress",
    "run_id": 3,
    "run_url": JOB_RUN,
}
SCORING_RUN = {"id": 7, "status": "completed", "scored_count": 25, "universe_size": 30}


def test_a_409_follows_the_run_going_and_answers_with_its_scoring_run() -> None:
    polls = iter(
        [
            {"id": 3, "status": "running", "result": None},
            {"id": 3, "status": "succeeded", "result": {"run_id": 7, "scored": 25}},
        ]
    )
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            return httpx.Response(409, json=BUSY, headers={"Location": JOB_RUN})
        if request.url.path == JOB_RUN:
            return httpx.Response(200, json=next(polls))
        if request.url.path == f"{API}/scoring/runs/7":
            return httpx.Response(200, json=SCORING_RUN)
        return httpx.Response(404, json={"status": 404})

    transport = httpx.MockTransport(answer)
    with httpx.Client(transport=transport, base_url="http://demo.test") as client:
        scored = run_job(
            client,
            f"{API}/scoring/calculate",
            time.monotonic() + 30,
            lambda result: scoring_run(client, result),
        )
    assert scored == SCORING_RUN
    assert asked == [
        f"POST {API}/scoring/calculate",  # once: the run going is ours to wait for
        f"GET {JOB_RUN}",
        f"GET {JOB_RUN}",
        f"GET {API}/scoring/runs/7",
    ]


def test_an_answer_within_the_wait_is_the_scoring_run_itself() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=SCORING_RUN, headers={"Location": JOB_RUN})

    def not_followed(result: dict[str, Any]) -> dict[str, Any]:
        raise AssertionError(f"nothing to follow after a 200, got {result}")

    with httpx.Client(transport=httpx.MockTransport(answer), base_url="http://d.test") as client:
        scored = run_job(client, f"{API}/scoring/calculate", time.monotonic() + 30, not_followed)
    assert scored == SCORING_RUN


def test_a_followed_run_prints_its_progress_as_it_moves(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "PROGRESS_EVERY_S", 0.0)
    monkeypatch.setattr(demo.time, "sleep", lambda _: None)
    polls = iter(
        [
            {"id": 3, "status": "running", "progress": 0.3},
            {"id": 3, "status": "running", "progress": 0.3},
            {"id": 3, "status": "running", "progress": 0.62},
            {"id": 3, "status": "succeeded", "progress": 1.0, "result": {"contracts": 4}},
        ]
    )

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(202, json={"id": 3}, headers={"Location": JOB_RUN})
        return httpx.Response(200, json=next(polls))

    with httpx.Client(transport=httpx.MockTransport(answer), base_url="http://d.test") as client:
        synced = run_job(client, f"{API}/symbols/sync", time.monotonic() + 30, label="syncing")
    assert synced == {"contracts": 4}
    assert capsys.readouterr().out.splitlines() == [
        "  syncing    30% (job run 3)",
        "  syncing    62% (job run 3)",
    ]


def test_the_cli_line_names_the_venvs_python() -> None:
    assert demo.venv_python() in (".venv/bin/python", sys.executable)
