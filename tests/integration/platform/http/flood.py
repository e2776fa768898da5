"""A misbehaving client, as a process of its own:
`python -m tests.integration.platform.http.flood BASE KEY SECONDS CONCURRENCY` loops
cache-busting analytics reads (an ignored `&_=N`, then a new `window` each time) and prints the
statuses it got as JSON, `computed` being the 200s that were not served from the response
cache."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter

import httpx

API = "/api/symbol-mgmt"


def busting(n: int) -> str:
    """The n-th read: every other one an ignored parameter, the rest a window not asked yet."""
    route = ("correlation", "metrics")[n // 2 % 2]
    if n % 2:
        return f"{API}/portfolio/{route}?window=2000&_={n}"
    return f"{API}/portfolio/{route}?window={24 + n % 1977}"


async def flood(base: str, key: str, seconds: float, concurrency: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    sent = iter(range(10**9))

    async def loop(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            response = await client.get(busting(next(sent)))
            counts[str(response.status_code)] += 1
            if response.status_code == 200 and response.headers.get("x-cache") != "hit":
                counts["computed"] += 1

    headers = {"X-API-Key": key}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        await asyncio.gather(*(loop(client) for _ in range(concurrency)))
    return counts


if __name__ == "__main__":
    base, key, seconds, concurrency = sys.argv[1:5]
    result = asyncio.run(flood(base, key, float(seconds), int(concurrency)))
    print(json.dumps(dict(result)))
