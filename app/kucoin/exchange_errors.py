"""Exchange failures as typed errors; each renders as problem+json if it reaches the API."""

from __future__ import annotations

from datetime import datetime

from app.platform.core.errors import AppError


class ExchangeError(AppError):
    """KuCoin could not give us what we asked for."""

    status, slug, title = 502, "exchange-error", "Exchange error"

    def __init__(self, detail: str, *, endpoint: str | None = None, code: str | None = None):
        extra = {k: v for k, v in (("endpoint", endpoint), ("exchange_code", code)) if v}
        super().__init__(detail, extra=extra)
        self.endpoint = endpoint
        self.code = code


class RateLimited(ExchangeError):
    """HTTP 429 / `429000`: nothing may be sent to that pool before `reset_at`."""

    status, slug, title = 503, "exchange-rate-limited", "Exchange rate limit reached"

    def __init__(self, detail: str, *, reset_at: datetime, endpoint: str | None = None) -> None:
        super().__init__(detail, endpoint=endpoint, code="429000")
        self.reset_at = reset_at


class Unavailable(ExchangeError):
    """5xx, timeouts, connection failures, maintenance: worth retrying later."""

    status, slug, title = 503, "exchange-unavailable", "Exchange unavailable"


class CircuitOpen(Unavailable):
    """Calls are short-circuited after repeated failures until the breaker's probe succeeds."""

    slug, title = "exchange-circuit-open", "Exchange calls suspended"


class BadResponse(ExchangeError):
    """A payload that is not of the expected shape (a missing field is an error, never a zero)."""

    slug, title = "exchange-bad-response", "Malformed exchange response"


class RequestRejected(ExchangeError):
    """A 4xx-class business error (bad parameter, unknown path): retrying will not help."""

    slug, title = "exchange-request-rejected", "Exchange rejected the request"


class UnknownSymbol(ExchangeError):
    """The symbol is well formed but not a listed contract."""

    status, slug, title = 404, "unknown-symbol", "Unknown symbol"


class MalformedSymbol(ExchangeError):
    """Input that is no symbol in any accepted form."""

    status, slug, title = 422, "malformed-symbol", "Malformed symbol"
