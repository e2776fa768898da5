"""Where a request's time goes, layer by layer, from a py-spy profile of the service under load.

`python -m tests.bench.profile_layers PROFILE.txt [...]`: each PROFILE is py-spy's raw output
(`py-spy record -f raw`, as `bench_api --py-spy` records it). Each sample of the event loop's
thread goes to the innermost frame of the service's own code in its stack (its module, named
below), else to the framework (FastAPI, Starlette), uvicorn's protocol, or the event loop itself
(uvloop: the sockets, the scheduling); samples of other threads (the log writer) are counted
apart. Beside them, a few leaf costs wherever they are called from: the request id's `uuid4`,
prometheus_client, logging on the loop's thread, `urllib.parse`, uvicorn's `send`. Shares of the
loop thread's samples; a profile shows shares, the throughput is bench_api's.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

# The service's modules on the read path, by what they do (the first that matches names it).
MODULES = {
    "app/platform/http/protection.py": "the protection layer",
    "app/platform/http/middleware.py": "request id, last-resort 500, market source",
    "app/platform/http/request_id.py": "request id",
    "app/platform/observability/http.py": "metrics and access log",
    "app/platform/observability/prometheus.py": "metrics and access log",
    "app/platform/core/log.py": "metrics and access log",
    "app/platform/http/body_limit.py": "body limit",
    "app/platform/http/rate_limit.py": "caller limit",
    "app/platform/http/caller.py": "caller limit",
    "app/platform/http/response_cache.py": "response cache",
    "app/platform/http/cache_keys.py": "response cache",
    "app/platform/http/cache_entries.py": "response cache",
    "app/platform/http/cache_capture.py": "response cache",
    "app/platform/http/query_params.py": "query rules",
    "app/platform/http/route_guard.py": "query rules",
}
SHARED = (
    "app/platform/core/security.py",
)  # key hashing: its caller's cost (the limiter, the cache)
LEAVES = {
    "uuid4": "uuid.py",
    "prometheus_client": "prometheus_client/",
    "logging on the loop": "logging/__init__.py",
    "urllib.parse": "urllib/parse.py",
    "uvicorn's send": "RequestResponseCycle.send",
}
FRAME_FILE = re.compile(r"\((.*?):\d+\)$")
OTHER_THREAD = ("threading.py", "_bootstrap")


def owner(frames: list[str]) -> str:
    """What a sample of the loop thread is spent on: its innermost frame that says."""
    for frame in reversed(frames):
        match = FRAME_FILE.search(frame)
        path = match.group(1) if match else ""
        if path.endswith(SHARED):
            continue
        for module, name in MODULES.items():
            if path.endswith(module):
                return name
        if "/app/" in f"/{path}" and "/site-packages/" not in path:
            return "the route and the services"
        if "fastapi/" in path or "starlette/" in path:
            return "FastAPI and Starlette"
        if "uvicorn/protocols/" in path or "uvicorn/middleware/" in path:
            return "uvicorn's protocol"
    return "the event loop (uvloop: sockets, scheduling)"


def summarise(path: Path) -> str:
    layers: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    loop = other = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames, n = stack.split(";"), int(count)
        if any(all(part in frame for part in OTHER_THREAD) for frame in frames):
            other += n
            continue
        loop += n
        layers[owner(frames)] += n
        for leaf, marker in LEAVES.items():
            if any(marker in frame for frame in frames):
                leaves[leaf] += n
    if not loop:
        return f"{path.name}: no samples of the event loop's thread"
    lines = [f"{path.name}: {loop} samples of the event loop's thread, {other} of others"]
    lines += [f"  {100 * n / loop:5.1f} %  {name}" for name, n in layers.most_common()]
    lines.append("  leaves, wherever called from:")
    lines += [f"  {100 * n / loop:5.1f} %  {name}" for name, n in leaves.most_common()]
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print("\n\n".join(summarise(Path(arg)) for arg in sys.argv[1:]))


if __name__ == "__main__":
    main()
