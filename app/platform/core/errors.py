"""The error tree: what went wrong, as a problem type (`PROBLEM_TYPE_PREFIX` + slug), a title
and an HTTP status; `app.platform.http.problems` renders it as RFC 9457
`application/problem+json`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.platform.core.headers import API_KEY

PROBLEM_TYPE_PREFIX = "urn:mysymbols:problem:"


class AppError(Exception):
    """Base of every error the API answers on purpose; subclasses fix status, type and title."""

    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal error"

    def __init__(
        self,
        detail: str,
        *,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    @property
    def type(self) -> str:
        return PROBLEM_TYPE_PREFIX + self.slug

    def problem(self) -> dict[str, Any]:
        """The RFC 9457 document of this error (its extra members first, then the standard
        ones; a Retry-After header as `retry_after_s`)."""
        retry = self.headers.get("Retry-After")
        return {
            **self.extra,
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **({"retry_after_s": int(retry)} if retry else {}),
        }


class AuthenticationError(AppError):
    status, slug, title = 401, "unauthenticated", "Authentication required"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": f'ApiKey header="{API_KEY}"'})


class PermissionDeniedError(AppError):
    status, slug, title = 403, "forbidden", "Insufficient role"


class ConflictingCredentialsError(AppError):
    """A request presenting different API keys (in `X-API-Key` twice, or there and as a Bearer
    token): who is calling is not the service's to guess."""

    status, slug, title = 400, "conflicting-credentials", "Different API keys presented"

    def __init__(self, detail: str, *, sent_in: tuple[str, ...]) -> None:
        super().__init__(detail, extra={"sent_in": list(sent_in)})


class NotAcceptableError(AppError):
    """A request whose `Accept` takes none of the media types its route answers in."""

    status, slug, title = 406, "not-acceptable", "Not acceptable"

    def __init__(self, detail: str, *, acceptable: tuple[str, ...]) -> None:
        super().__init__(detail, extra={"acceptable": list(acceptable)})


class NotFoundError(AppError):
    status, slug, title = 404, "not-found", "Not found"


class ConflictError(AppError):
    status, slug, title = 409, "conflict", "Conflict with the current state"


class InsufficientHistoryError(ConflictError):
    """The request is well formed, but the stored history cannot answer it (yet)."""

    slug, title = "insufficient-history", "The stored history is too short"


class ContentTooLargeError(AppError):
    status, slug, title = 413, "content-too-large", "Request body too large"


class ValidationFailedError(AppError):
    status, slug, title = 422, "validation-error", "Invalid input"


class ServiceUnavailableError(AppError):
    status, slug, title = 503, "service-unavailable", "Service unavailable"

    def __init__(self, detail: str, *, retry_after_s: int, **kwargs: Any) -> None:
        headers = {"Retry-After": str(retry_after_s), **kwargs.pop("headers", {})}
        super().__init__(detail, headers=headers, **kwargs)


class DatabaseUnavailableError(ServiceUnavailableError):
    slug, title = "database-unavailable", "Database unavailable"


class DatabaseBusyError(ServiceUnavailableError):
    slug, title = "busy", "The database is busy"


class ShuttingDownError(ServiceUnavailableError):
    slug, title = "shutting-down", "The service is shutting down"


class WorkerUnavailableError(ServiceUnavailableError):
    """A worker process (`app.platform.runtime.offload`) died under a call, and its replacement
    too."""

    slug, title = "worker-unavailable", "A worker process is unavailable"


# A run its stopping process cut short, and one whose process died (found without heartbeat).
RUN_ABORTED: dict[str, Any] = {
    "type": PROBLEM_TYPE_PREFIX + "run-aborted",
    "title": "Run aborted",
    "status": 503,
    "detail": "the service stopped during the run; nothing of it was kept, and the job's next "
    "tick runs it again",
}
RUN_ABANDONED: dict[str, Any] = {
    **RUN_ABORTED,
    "detail": "the process running it stopped; nothing of it was kept",
}


def problem_summary(problem: Mapping[str, Any], run_id: int) -> str:
    """A run's problem in one line for the job ledger's `error` and `/status`: its title, type
    and the run's id (the log has the cause under it); never its free text."""
    return f"{problem.get('title', 'Run failed')} ({problem.get('type', 'unknown')}), run {run_id}"


class TooManyRequestsError(AppError):
    """A caller spent one of its token buckets (or holds all the streams it may): 429, with
    `Retry-After` in whole seconds."""

    status, slug, title = 429, "rate-limited", "Too many requests"

    def __init__(self, detail: str, *, retry_after_s: int, **kwargs: Any) -> None:
        headers = {"Retry-After": str(retry_after_s), **kwargs.pop("headers", {})}
        super().__init__(detail, headers=headers, **kwargs)
