"""The baseline of bench_api: a bare FastAPI app, served by uvicorn exactly like MySymbols.

`/hello` answers 17 bytes; `/bytes/N` a JSON document of N bytes made once and kept, as a
cached answer is: the same bytes through the same server, without the service's work."""

from __future__ import annotations

from functools import cache

from fastapi import FastAPI, Response

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


@app.get("/bytes/{size}")
async def sized(size: int) -> Response:
    return Response(_document(size), media_type="application/json")


@cache
def _document(size: int) -> bytes:
    """A JSON string of exactly `size` bytes (at least 2)."""
    return b'"' + b"x" * max(size - 2, 0) + b'"'
