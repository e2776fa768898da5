"""A universe sync, then a scoring run, over HTTP, for the check-*.sh scripts.

`API=<origin>/api/symbol-mgmt ADMIN_KEY=<key> CHECK=<prefix> python3 scripts/lib/jobs_over_http.py`

POSTs each job with ?wait= and the admin key; a 409 (a scheduled run of it going) is followed to
its end and the POST tried again. Fails (exit status 1) unless both succeed and the scoring run
scored symbols. Standard library only: it runs with any Python 3.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request

API, KEY = os.environ["API"], os.environ["ADMIN_KEY"]
FAILED = f"{os.environ.get('CHECK', 'jobs_over_http')}: FAILED:"


def call(method: str, url: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, method=method, headers={"X-API-Key": KEY})
    try:
        with urllib.request.urlopen(request, timeout=90) as answer:
            return answer.status, dict(answer.headers), json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def run(job: str) -> dict:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        t0 = time.monotonic()
        code, headers, body = call("POST", f"{API}/jobs/{job}/run?wait=60")
        if code == 200 and body.get("status") == "succeeded":
            print(f"  {job}: run {body['id']} succeeded in {time.monotonic() - t0:.1f} s")
            return body
        if code not in (202, 409):
            sys.exit(f"{FAILED} POST jobs/{job}/run: {code} {body}")
        location = headers.get("Location") or headers.get("location")
        while True:  # ours still running (202), or a scheduled one (409): follow it
            run_id = location.rstrip("/").rsplit("/", 1)[-1]
            _, _, followed = call("GET", f"{API}/jobs/runs/{run_id}")
            if followed.get("status") != "running":
                break
            time.sleep(0.5)
        if code == 202:
            if followed.get("status") != "succeeded":
                sys.exit(f"{FAILED} {job}: {followed}")
            print(f"  {job}: run {followed['id']} succeeded in {time.monotonic() - t0:.1f} s")
            return followed
        print(f"  {job}: a run was going ({code}); followed it, trying again")
    sys.exit(f"{FAILED} {job}: not done in time")


synced = run("universe_sync")
print(f"  universe_sync result: {json.dumps(synced.get('result'))[:200]}")
scored = run("score_refresh")
result = scored.get("result") or {}
code, _, scoring = call("GET", f"{API}/scoring/runs/{result.get('run_id')}")
if code != 200 or not scoring.get("scored_count"):
    sys.exit(f"{FAILED} scoring run {result.get('run_id')}: {code} {scoring}")
print(
    f"  scoring run {scoring['id']}: {scoring['scored_count']} of "
    f"{scoring['universe_size']} symbols scored"
)
