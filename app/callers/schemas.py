"""API-key administration contracts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.platform.core.environment import Role
from app.platform.core.patterns import worded
from app.platform.core.security import KEY_NAME_MAX_LENGTH
from app.platform.schemas.common import RequestBody
from app.platform.schemas.recorded import recorded_example

KEY_NAME_PATTERN = worded(r"^[\w .:@-]+$", "must be letters, digits, spaces and . : @ - _ only")


class ApiKeyCreate(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "trading-engine", "role": "trade"}]},
    )

    name: str = Field(
        min_length=1,
        max_length=KEY_NAME_MAX_LENGTH,
        pattern=KEY_NAME_PATTERN,
        description=f"At most {KEY_NAME_MAX_LENGTH} characters: the audit trail records the "
        "key as `key-<id>:<name>` in 80 characters.",
    )
    role: Role = Field(strict=False)  # its JSON text, read into the enum


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("ApiKeyRead")
    )

    id: int
    name: str
    role: Role
    prefix: str = Field(description="Public id of the key (its first characters); not secret.")
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    model_config = ConfigDict(json_schema_extra=recorded_example("ApiKeyCreated"))

    key: str = Field(description="The full key. Shown once; only its hash is stored.")
