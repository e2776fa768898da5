"""Content negotiation of the documents served as JSON or CSV (`Accept: text/csv`), and stored
JSON documents served as the database keeps them."""

from __future__ import annotations

from typing import Any, Protocol

from fastapi import Request, Response
from pydantic import BaseModel

from app.platform.http.accept import CSV, JSON, prefers

VARY_ACCEPT = {"Vary": "Accept"}  # a shared cache on the way keeps the two media types apart


class Tabular(Protocol):
    """A document of rows served as JSON or as CSV (the portfolio's or a replay's timeline)."""

    def json(self) -> bytes: ...

    def csv(self) -> bytes: ...


def timeline_response(request: Request, timeline: Tabular) -> Response:
    """The timeline as JSON, or as CSV (a header line, then the same rows in the same order)."""
    if prefers(request.headers.getlist("accept"), CSV):
        return Response(timeline.csv(), media_type="text/csv; charset=utf-8", headers=VARY_ACCEPT)
    return Response(timeline.json(), media_type=JSON, headers=VARY_ACCEPT)


def with_stored_json(head: BaseModel, **documents: str) -> Response:
    """`head` as JSON, with each of `documents` (a member's JSON text as stored) appended as is:
    a stored report is never parsed and written again to be served."""
    body = head.model_dump_json()
    members = "".join(f',"{name}":{text}' for name, text in documents.items())
    return Response(body[:-1] + members + "}", media_type=JSON)


def timeline_content(csv_example: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a timeline route: both media types of its 200 (the CSV's example)."""
    return {
        200: {
            "description": "The rows as JSON, or as CSV with `Accept: text/csv`.",
            "content": {CSV: {"schema": {"type": "string"}, "example": csv_example}},
        }
    }
