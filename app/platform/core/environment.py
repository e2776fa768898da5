"""The service's environment: variables with the `MYSYMBOLS_` prefix, nested groups with `__`
(the groups' models: `app.platform.core.environment_sections`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.platform.core.environment_sections import (
    ApiContactEnvironment,
    AuthEnvironment,
    CorsEnvironment,
    DatabaseEnvironment,
    EventsEnvironment,
    KucoinEnvironment,
    LimitsEnvironment,
    MetricsEnvironment,
    PortfolioEnvironment,
    ReadsEnvironment,
    ReplayEnvironment,
    SchedulerEnvironment,
    WebhookEnvironment,
)

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./mysymbols.db"


class Role(StrEnum):
    """API-key roles, each including the ones below it."""

    READ = "read"
    TRADE = "trade"
    ADMIN = "admin"

    @property
    def level(self) -> int:
        return _ROLE_LEVELS[self]

    def allows(self, required: Role) -> bool:
        return self.level >= required.level


_ROLE_LEVELS = {Role.READ: 1, Role.TRADE: 2, Role.ADMIN: 3}


class BootstrapKey(BaseModel):
    """An API key given in the environment rather than created through the admin API."""

    role: Role
    """The key's role: `read`, `trade` or `admin`."""
    key: SecretStr = Field(min_length=16)
    """The key itself, at least 16 characters."""


class Environment(BaseSettings):
    """Everything the service reads from its environment."""

    # hide_input_in_errors: a refused variable stops the service with an error that is logged;
    # it must not carry the secrets given beside it (API keys, the webhook secret).
    model_config = SettingsConfigDict(
        env_prefix="MYSYMBOLS_",
        env_nested_delimiter="__",
        extra="ignore",
        hide_input_in_errors=True,
    )

    database_url: str = Field(default=DEFAULT_DATABASE_URL, repr=False)
    """The database: a SQLite file (the embedded default) or
    `postgresql+asyncpg://user@host:5432/db`. It may carry the password: kept out of the repr."""
    migration_database_url: str | None = Field(default=None, repr=False)
    """The schema owner's URL, for migrations only (`python -m app.cli migrate`, alembic); unset:
    `database_url`. With it, `database_url` names the DML-only role the app connects as."""
    migrate: Literal["upgrade", "check"] = "upgrade"
    """What the start command (`python -m app.cli migrate`) does with a database behind this
    release: upgrade it, or only check and log (replicas whose migration Job upgrades as the
    owner). A database ahead is never upgraded (code N runs on schema N+1)."""
    log_level: str = "INFO"
    """`DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`."""
    log_format: Literal["json", "text"] | None = None
    """JSON lines or plain text; unset: text when stderr is a terminal, JSON otherwise."""
    api_keys: Annotated[list[BootstrapKey], NoDecode] = Field(default_factory=list)
    """Bootstrap keys, comma-separated `role:key` pairs (roles `read`, `trade`, `admin`; keys of
    at least 16 characters); more are created through `POST /api-keys`."""
    kucoin: KucoinEnvironment = Field(default_factory=KucoinEnvironment)
    scheduler: SchedulerEnvironment = Field(default_factory=SchedulerEnvironment)
    portfolio: PortfolioEnvironment = Field(default_factory=PortfolioEnvironment)
    reads: ReadsEnvironment = Field(default_factory=ReadsEnvironment)
    events: EventsEnvironment = Field(default_factory=EventsEnvironment)
    webhooks: WebhookEnvironment = Field(default_factory=WebhookEnvironment)
    auth: AuthEnvironment = Field(default_factory=AuthEnvironment)
    cors: CorsEnvironment = Field(default_factory=CorsEnvironment)
    database: DatabaseEnvironment = Field(default_factory=DatabaseEnvironment)
    metrics: MetricsEnvironment = Field(default_factory=MetricsEnvironment)
    replays: ReplayEnvironment = Field(default_factory=ReplayEnvironment)
    limits: LimitsEnvironment = Field(default_factory=LimitsEnvironment)
    api_contact: ApiContactEnvironment = Field(default_factory=ApiContactEnvironment)

    @field_validator("api_keys", mode="before")
    @classmethod
    def parse_api_keys(cls, value: object) -> object:
        """Accept `role:key,role:key` as the environment gives it."""
        if not isinstance(value, str):
            return value
        keys = []
        for pair in filter(None, (part.strip() for part in value.split(","))):
            role, sep, key = pair.partition(":")
            if not sep:
                raise ValueError("each API key must be given as role:key")
            keys.append({"role": role.strip(), "key": key.strip()})
        return keys

    @field_validator("log_level")
    @classmethod
    def normalise_log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"unknown log level {value!r}")
        return level

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
