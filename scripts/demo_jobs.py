"""The demo's steps through the API: the service's first start followed to its scored universe
(or, on a database that has had one, a sync and a scoring run requested), then the portfolio
filled from the ranking, each step's progress printed as it goes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from scripts.demo_progress import Progress

API = "/api/symbol-mgmt"
JOB_WAIT_S = 2  # a job's POST waits this long, then the demo follows the run and its progress
PROGRESS_EVERY_S = 3.0  # a run's progress, printed as it moves; the heartbeat fills silences
FIRST_START = {"universe_sync": "syncing", "score_refresh": "scoring"}  # /status's steps


class DemoFailed(Exception):
    """A step did not work; the message says which, the logs say why."""


class Shown:
    """A run's progress as printed: again when it moved, at most every `PROGRESS_EVERY_S`; the
    heartbeat repeats it while it stands still."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.label, self.fraction, self.at = "", -1.0, 0.0

    def update(self, label: str, fraction: float, run_id: int | None) -> None:
        detail = f"{fraction:.0%}" + (f" (job run {run_id})" if run_id is not None else "")
        self.progress.waiting(label, detail)
        moved = label != self.label or fraction > self.fraction
        if moved and time.monotonic() - self.at >= PROGRESS_EVERY_S:
            self.progress.say(f"  {label:<10} {detail}")
            self.label, self.fraction, self.at = label, fraction, time.monotonic()


def first_start(client: httpx.Client, deadline: float, progress: Progress) -> dict[str, Any] | None:
    """Follow the service's first start to its end, as `/status` shows it (`bootstrapping`,
    the step and how far it is): the service syncs and scores by itself, so the demo requests
    no run, and the README's first request of each job is not held back by the gap between
    requested runs. Its scoring run; None when it is not starting for the first time (ready,
    no first start seen: a database scored before) or a step failed: the demo then requests the
    runs. Any other answer is not ready yet, and waited through until `deadline`: the first
    start may be running behind it, and a run requested then would race its own."""
    shown, seen, synced, last = Shown(progress), False, False, "no answer"
    while time.monotonic() < deadline:
        status, last = read_status(client)
        if status is None:
            progress.waiting("service", f"not ready yet: {last}")
            time.sleep(0.5)
            continue
        boot = status.get("bootstrap")
        seen = seen or boot is not None
        if seen and not synced and (boot is None or boot["step"] != "universe_sync"):
            synced = said_synced(status, progress)
        if boot is None:  # ready: the first start, if there was one, has scored
            progress.idle()
            return first_scoring_run(client) if seen else None
        if boot["problem"] is not None:
            detail = boot["problem"].get("detail") or boot["problem"].get("title")
            progress.say(f"  first start: {boot['step']} failed ({detail}); requesting it")
            return None
        shown.update(FIRST_START[boot["step"]], float(boot["step_progress"]), boot["run_id"])
        time.sleep(0.5)
    raise DemoFailed(f"the service's first start did not end in time ({last})")


def read_status(client: httpx.Client) -> tuple[dict[str, Any] | None, str]:
    """`/status`'s document when it says ready, or bootstrapping with its step; else None: no
    answer, an error (a 500, a body that is no JSON) or not ready for another reason (a 503
    `degraded`: the database slow to answer the probe while the service starts). With it, what
    was said, in a few words."""
    try:
        response = client.get(f"{API}/status")
    except httpx.TransportError as exc:
        return None, f"/status did not answer ({type(exc).__name__})"
    try:
        body = response.json()
    except ValueError:  # a plain-text 500, a proxy's page
        body = None
    said = f"/status last answered {response.status_code}"
    if not isinstance(body, dict):
        return None, said
    state = body.get("status")
    if isinstance(state, str):  # the readiness's word (a problem's `status` is its code)
        said = f"{said} {state}"
    if state == "ready" or (state == "bootstrapping" and body.get("bootstrap") is not None):
        return body, said
    return None, said


def said_synced(status: dict[str, Any], progress: Progress) -> bool:
    """Print what the first start's sync stored, from `/status`'s last run of each job."""
    runs = {job["job"]: job for job in status.get("jobs") or []}
    sync = runs.get("universe_sync")
    if sync is None or sync["status"] != "succeeded":
        return False
    progress.say(f"  synced     {sync['result']['contracts']} contracts")
    return True


def first_scoring_run(client: httpx.Client) -> dict[str, Any]:
    """The scoring run the rankings come from: the first start's."""
    run_id = client.get(f"{API}/scoring/rankings", params={"limit": 1}).json()["run_id"]
    return scoring_run(client, {"run_id": run_id})


def run_job(
    client: httpx.Client,
    path: str,
    deadline: float,
    answer: Callable[[dict[str, Any]], dict[str, Any]] = dict,
    label: str = "",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """POST a job (sync, scoring) and follow it to its end: the operation's answer. The job run
    followed (ours still running after a short wait, or the one already going that a 409 points
    at, such as a scheduled one) gives its result, which `answer` turns into that answer; its
    progress is printed as it goes, under `label`."""
    progress = progress or Progress()
    while time.monotonic() < deadline:
        response = client.post(path, params={"wait": JOB_WAIT_S})
        if response.status_code == 200:
            return dict(response.json())
        if response.status_code not in (202, 409):
            raise DemoFailed(f"POST {path}: {response.status_code} {response.text[:300]}")
        run = follow(client, response.headers["Location"], deadline, label, progress)
        if run["status"] == "succeeded":
            return answer(dict(run.get("result") or {}))
        if response.status_code == 202:  # ours failed; a scheduled one that failed: try ours
            raise DemoFailed(f"POST {path}: the run ended {run['status']}: {run.get('problem')}")
    raise DemoFailed(f"POST {path}: not done in time")


def follow(
    client: httpx.Client, location: str, deadline: float, label: str, progress: Progress
) -> dict[str, Any]:
    """The job run at `location` once it has ended, its progress printed as it moves on."""
    shown = Shown(progress)
    while time.monotonic() < deadline:
        run = dict(client.get(location).json())
        if run["status"] != "running":
            progress.idle()
            return run
        if label:
            shown.update(label, float(run.get("progress") or 0.0), run["id"])
        time.sleep(0.5)
    raise DemoFailed(f"{location}: still running")


def scoring_run(client: httpx.Client, result: dict[str, Any]) -> dict[str, Any]:
    """The scoring run a `score_refresh` job run's result names: what POST /scoring/calculate
    answers when it ends within its wait."""
    response = client.get(f"{API}/scoring/runs/{result['run_id']}")
    if response.status_code != 200:
        raise DemoFailed(f"scoring run {result['run_id']}: {response.status_code}")
    return dict(response.json())


def add_symbol(client: httpx.Client, body: dict[str, Any], attempts: int = 3) -> httpx.Response:
    """POST add-symbol as a client should: a 503 (the database busy beside the scheduler's
    work) is retried after its `Retry-After`, a few times."""
    for _ in range(attempts - 1):
        answer = client.post(f"{API}/portfolio/add-symbol", json=body)
        if answer.status_code != 503:
            return answer
        time.sleep(min(float(answer.headers.get("retry-after", "1")), 5.0))
    return client.post(f"{API}/portfolio/add-symbol", json=body)


def build_portfolio(client: httpx.Client, members: int, progress: Progress) -> dict[str, Any]:
    """Add the top-ranked symbols one by one until `members` are held (there is no selection
    endpoint); a symbol the service refuses is skipped with its reason."""
    held = {m["symbol"] for m in client.get(f"{API}/portfolio").json()["members"]}
    ranked = client.get(f"{API}/scoring/rankings", params={"limit": 100}).json()["items"]
    for item in ranked:
        if len(held) >= members:
            break
        if item["symbol"] in held:
            continue
        progress.waiting("portfolio", f"{len(held)} of {members} members")
        body = {"symbol": item["symbol"], "reason": "demo: top ranked"}
        answer = add_symbol(client, body)
        if answer.status_code == 200:
            held.add(item["symbol"])
        else:
            progress.say(f"    skipped {item['symbol']}: {answer.json().get('detail')}")
    progress.idle()
    return dict(client.get(f"{API}/portfolio").json())


def replacement_advice(client: httpx.Client) -> dict[str, Any] | None:
    """The replacement candidates' answer, whose wording the portfolio's table shows for each
    candidate (None if the service would not say: the table then says `candidate`)."""
    answer = client.get(f"{API}/portfolio/replacement-candidates")
    return dict(answer.json()) if answer.status_code == 200 else None
