"""The demo's steps against the API's documented answers: the service's first start followed
through `/status` without requesting a run, any answer but ready or bootstrapping (a 500, a 503
for another reason, none at all) waited through; a scoring run already going (a scheduled one) is
followed, and the demo answers with that run's own numbers; its port said with why; and a line
at least every few seconds while a step waits."""

from __future__ import annotations

import itertools
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from scripts import demo, demo_jobs, demo_logs
from scripts.demo_jobs import API, first_start, run_job, scoring_run
from scripts.demo_progress import Progress

JOB_RUN = f"{API}/jobs/runs/3"
BUSY = {
    "type": "urn:mysymbols:problem:run-in-progress",
    "title": "A run of this job is already in progress",
    "status": 409,
    "detail": "score_refresh run 3 is in progress",
    "run_id": 3,
    "run_url": JOB_RUN,
}
PROBLEM = "application/problem+json"
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
    monkeypatch.setattr(demo_jobs, "PROGRESS_EVERY_S", 0.0)
    monkeypatch.setattr(demo_jobs.time, "sleep", lambda _: None)
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


def status(
    step: str | None, fraction: float = 0.0, run_id: int | None = None, **extra: Any
) -> dict[str, Any]:
    """A `/status` answer: bootstrapping at `step` (None: ready), with the last runs `extra`."""
    boot = None
    if step is not None:
        boot = {
            "step": step,
            "step_progress": fraction,
            "progress": 0.0,
            "run_id": run_id,
            "problem": None,
        }
    jobs = [
        {"job": name, "status": "succeeded", "result": result} for name, result in extra.items()
    ]
    return {"status": "ready" if step is None else "bootstrapping", "bootstrap": boot, "jobs": jobs}


def first_start_answers(
    statuses: Iterator[dict[str, Any] | httpx.Response | Exception], asked: list[str]
) -> httpx.MockTransport:
    """`/status` answers `statuses` in turn (a document: 200 when ready, else 503, as the service
    does; a response as it is; an error raised as the network would), the rankings and the
    scoring run 7; anything else, a POST included, is a 404."""

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.method} {request.url.path}")
        if request.url.path == f"{API}/status":
            said = next(statuses)
            if isinstance(said, Exception):
                raise said
            if isinstance(said, httpx.Response):
                return said
            return httpx.Response(200 if said["status"] == "ready" else 503, json=said)
        if request.url.path == f"{API}/scoring/rankings":
            return httpx.Response(200, json={"run_id": 7, "items": []})
        if request.url.path == f"{API}/scoring/runs/7":
            return httpx.Response(200, json=SCORING_RUN)
        return httpx.Response(404, json={"status": 404})

    return httpx.MockTransport(answer)


class TestFirstStart:
    @pytest.fixture(autouse=True)
    def no_waiting(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(demo_jobs, "PROGRESS_EVERY_S", 0.0)
        monkeypatch.setattr(demo_jobs.time, "sleep", lambda _: None)

    def test_it_is_followed_to_its_scoring_run_without_requesting_one(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        synced = {"universe_sync": {"contracts": 4}}
        statuses = iter(
            [
                status("universe_sync", 0.5, 1),
                status("score_refresh", 0.4, 2, **synced),
                status(None, **synced, score_refresh={"run_id": 7}),
            ]
        )
        asked: list[str] = []
        transport = first_start_answers(statuses, asked)
        with httpx.Client(transport=transport, base_url="http://d.test") as client:
            scored = first_start(client, time.monotonic() + 30, Progress())
        assert scored == SCORING_RUN
        assert not [call for call in asked if call.startswith("POST")]
        assert capsys.readouterr().out.splitlines() == [
            "  syncing    50% (job run 1)",
            "  synced     4 contracts",
            "  scoring    40% (job run 2)",
        ]

    def test_a_database_scored_before_is_left_to_the_requests(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        asked: list[str] = []
        transport = first_start_answers(iter([status(None)]), asked)
        with httpx.Client(transport=transport, base_url="http://d.test") as client:
            assert first_start(client, time.monotonic() + 30, Progress()) is None
        assert asked == [f"GET {API}/status"]
        assert capsys.readouterr().out == ""

    def test_a_failed_step_is_said_and_left_to_the_requests(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        failed = status("universe_sync", 0.0, None)
        failed["bootstrap"]["problem"] = {
            "title": "Exchange unavailable",
            "detail": "KuCoin answered 503",
        }
        transport = first_start_answers(iter([failed]), [])
        with httpx.Client(transport=transport, base_url="http://d.test") as client:
            assert first_start(client, time.monotonic() + 30, Progress()) is None
        assert capsys.readouterr().out == (
            "  first start: universe_sync failed (KuCoin answered 503); requesting it\n"
        )

    def test_a_500_is_not_ready_yet_and_requests_no_second_sync(self) -> None:
        """A 500 during the first start (uvicorn's plain one, or a problem+json) is waited
        through: the demo follows the first start to its scoring run and requests nothing."""
        synced = {"universe_sync": {"contracts": 4}}
        internal = {
            "type": "urn:mysymbols:problem:internal-error",
            "title": "Internal error",
            "status": 500,
        }
        statuses = iter(
            [
                status("universe_sync", 0.5, 1),
                httpx.Response(500, json=internal, headers={"Content-Type": PROBLEM}),
                httpx.Response(500, text="Internal Server Error"),
                status("score_refresh", 0.4, 2, **synced),
                status(None, **synced, score_refresh={"run_id": 7}),
            ]
        )
        asked: list[str] = []
        transport = first_start_answers(statuses, asked)
        with httpx.Client(transport=transport, base_url="http://d.test") as client:
            scored = demo.score(client, time.monotonic() + 30, Progress())
        assert scored == SCORING_RUN
        assert not [call for call in asked if call.startswith("POST")]
        assert asked.count(f"GET {API}/status") == 5

    def test_a_503_not_bootstrapping_is_not_ready_yet_and_requests_no_second_sync(self) -> None:
        """A 503 that is not the first start's progress (the database slow to answer the probe,
        or a problem+json saying it is busy) is waited through too."""
        synced = {"universe_sync": {"contracts": 4}}
        busy = {"type": "urn:mysymbols:problem:busy", "title": "The database is busy"}
        statuses = iter(
            [
                httpx.Response(503, json={"status": "degraded", "ready": False}),
                status("universe_sync", 0.5, 1),
                httpx.Response(503, json={**busy, "status": 503}, headers={"Retry-After": "5"}),
                httpx.Response(503, json={"status": "degraded", "ready": False}),
                status(None, **synced, score_refresh={"run_id": 7}),
            ]
        )
        asked: list[str] = []
        transport = first_start_answers(statuses, asked)
        with httpx.Client(transport=transport, base_url="http://d.test") as client:
            scored = demo.score(client, time.monotonic() + 30, Progress())
        assert scored == SCORING_RUN
        assert not [call for call in asked if call.startswith("POST")]
        assert asked.count(f"GET {API}/status") == 5

    def test_no_answer_while_the_service_starts_is_waited_through(self) -> None:
        statuses = iter(
            [
                httpx.ConnectError("connection refused"),
                httpx.ReadTimeout("timed out"),
                status("score_refresh", 0.4, 2, universe_sync={"contracts": 4}),
                status(None, score_refresh={"run_id": 7}),
            ]
        )
        asked: list[str] = []
        transport = first_start_answers(statuses, asked)
        with httpx.Client(transport=transport, base_url="http://d.test") as client:
            assert first_start(client, time.monotonic() + 30, Progress()) == SCORING_RUN
        assert not [call for call in asked if call.startswith("POST")]

    def test_not_ready_until_the_deadline_fails_naming_the_last_answer(self) -> None:
        asked: list[str] = []
        errors = (httpx.Response(500, text="Internal Server Error") for _ in itertools.count())
        transport = first_start_answers(errors, asked)
        client = httpx.Client(transport=transport, base_url="http://d.test")
        with client, pytest.raises(demo_jobs.DemoFailed) as failed:
            first_start(client, time.monotonic() + 0.2, Progress())
        assert str(failed.value) == (
            "the service's first start did not end in time (/status last answered 500)"
        )
        assert not [call for call in asked if call.startswith("POST")]


class TestPort:
    @pytest.fixture
    def taken(self) -> Iterator[int]:
        with socket.socket() as holder:
            holder.bind(("127.0.0.1", 0))
            holder.listen()
            yield int(holder.getsockname()[1])

    def test_a_taken_port_is_said_with_why(self, taken: int) -> None:
        port, why = demo.port_for("127.0.0.1", taken, "--port")
        assert port not in (taken, 0)
        assert why == (
            f"{taken} (from --port) is in use by another process, so a free one; --port N picks one"
        )

    def test_a_free_port_is_kept_and_said_where_it_came_from(self) -> None:
        free = demo.free_port("127.0.0.1", 0)
        assert free is not None
        assert demo.port_for("127.0.0.1", free, "$PORT") == (
            free,
            "from $PORT; --port N picks another",
        )
        assert demo.port_for("127.0.0.1", free)[1] == "the default; --port N picks another"

    def test_zero_asks_for_any(self) -> None:
        port, why = demo.port_for("127.0.0.1", 0)
        assert port > 0 and why == "any free one, as --port 0 asks"

    def test_the_environments_port_is_named_as_its_source(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PORT", "8123")
        args = demo.parse_args([])
        assert (args.port, args.port_from) == (8123, "$PORT")
        args = demo.parse_args(["--port", "8124"])
        assert (args.port, args.port_from) == (8124, "--port")
        monkeypatch.delenv("PORT")
        args = demo.parse_args([])
        assert (args.port, args.port_from) == (demo.DEFAULT_PORT, "")


class TestLogs:
    """Each start writes its logs in a folder of its own, beside the last starts', never over
    them; the newest `KEPT` are kept."""

    def test_a_start_writes_beside_the_last_one(self, tmp_path: Path) -> None:
        at = time.strptime("2026-01-05 10:15:00", "%Y-%m-%d %H:%M:%S")
        first = demo_logs.new_start(tmp_path, at)
        (first / "service.log").write_text("the failed start's log\n")
        second = demo_logs.new_start(tmp_path, at)  # within the same second
        assert (first.name, second.name) == ("20260105-101500", "20260105-101500-2")
        assert (first / "service.log").read_text() == "the failed start's log\n"
        assert list(second.iterdir()) == []

    def test_only_the_newest_starts_are_kept(self, tmp_path: Path) -> None:
        (tmp_path / "logs" / "mine").mkdir(parents=True)  # not a start's: left alone
        made = [
            demo_logs.new_start(tmp_path, time.localtime(1_767_000_000 + minute * 60))
            for minute in range(demo_logs.KEPT + 2)
        ]
        assert demo_logs.starts(tmp_path / "logs") == made[2:]
        assert (tmp_path / "logs" / "mine").is_dir()


class TestHeartbeat:
    def test_a_silent_wait_is_said_with_its_step_and_time(self) -> None:
        now = [100.0]
        progress = Progress(every_s=3.5, clock=lambda: now[0])
        now[0] += 4
        assert progress.heartbeat() is None  # nothing is waited for
        progress.waiting("scoring", "77% (job run 2)")
        now[0] += 12
        assert progress.heartbeat() == "  scoring    77% (job run 2) (12 s)"

    def test_a_line_said_resets_the_silence(self, capsys: pytest.CaptureFixture[str]) -> None:
        now = [100.0]
        progress = Progress(every_s=3.5, clock=lambda: now[0])
        progress.waiting("scoring", "77%")
        now[0] += 4
        progress.say("  scored     run 1")
        now[0] += 3
        assert progress.heartbeat() is None
        now[0] += 1
        assert progress.heartbeat() == "  scoring    77% (8 s)"
        assert capsys.readouterr().out == "  scored     run 1\n"

    def test_idle_is_quiet(self) -> None:
        progress = Progress(every_s=0.0)
        progress.waiting("simulator", "starting")
        progress.idle()
        assert progress.heartbeat() is None

    def test_the_thread_prints_while_a_step_waits(self, capsys: pytest.CaptureFixture[str]) -> None:
        lines: list[str] = []
        with Progress(every_s=0.1) as progress:
            progress.waiting("simulator", "starting (pid 7)")
            deadline = time.monotonic() + 30
            while len(lines) < 2 and time.monotonic() < deadline:  # its wakes, 0.2 s apart
                time.sleep(0.05)
                lines += capsys.readouterr().out.splitlines()
        assert len(lines) >= 2
        assert all(line.startswith("  simulator  starting (pid 7) (") for line in lines)
