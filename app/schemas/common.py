"""Shared contracts: the problem document every error uses, and the bounds of ids and offsets
(a number past its column's range is a 422 here, never an error of the database)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

INT32_MAX = 2**31 - 1  # the id columns are 32-bit integers
RowId = Annotated[int, Path(ge=1, le=INT32_MAX, description="A row's id.")]
Offset = Annotated[int, Query(ge=0, le=INT32_MAX, description="Rows to skip.")]


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of this API is rendered."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:mysymbols:problem:forbidden",
                    "title": "Insufficient role",
                    "status": 403,
                    "detail": "This action needs the 'admin' role; the key has 'read'.",
                    "instance": "/api/symbol-mgmt/api-keys",
                    "request_id": "4f1c2a9e0b7d4c3e8a6f5d2b1c0e9f8a",
                }
            ]
        },
    )

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Per-field validation errors (422 only)."
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries so /docs shows the problem+json shape for each error status."""
    return {
        status: {"model": Problem, "content": {"application/problem+json": {}}}
        for status in statuses
    }
