"""The baseline of bench_api: a bare FastAPI app, served by uvicorn exactly like MySymbols."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}
