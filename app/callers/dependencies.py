"""The callers' request dependency: a POST run under `Idempotency-Key`
(`app.callers.idempotency`), and answered."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.idempotency import IdempotencyGuard, request_fingerprint
from app.platform.core.headers import (
    IDEMPOTENCY_KEY,
    IDEMPOTENCY_KEY_HELP,
    IDEMPOTENCY_KEY_PATTERN,
    IDEMPOTENT_REPLAYED,
)
from app.platform.core.security import Principal
from app.platform.http.sessions import SessionDep, StateDep, WithSessions, rollback_quietly

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_KEY,
        min_length=1,
        max_length=200,
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description="Makes this write safe to retry: a retry with the same key and body replays "
        f"the first answer; the key {IDEMPOTENCY_KEY_HELP}.",
    ),
]
"""A POST's optional `Idempotency-Key`."""


@dataclass(frozen=True)
class AnswerOnce:
    """A write's answer, at most once per `Idempotency-Key`: the route's one call (`answer`)."""

    request: Request
    key: str | None
    state: WithSessions
    session: AsyncSession

    async def answer(
        self,
        principal: Principal,
        produce: Callable[[], Awaitable[BaseModel]],
        *,
        status_code: int = 200,
    ) -> Response:
        """`produce()`'s model as JSON with `status_code`, which the route returns as is (it
        declares `-> Response`, and its model in `response_model=`). With a key, a retry
        replays the stored answer byte for byte, and the answer is stored in the request's
        transaction beside its effect.

        With a key, that transaction commits here, inside the guard: a commit that fails (a lock
        wait given up, a broken connection) releases the claim like any other failure, so a
        retry runs afresh instead of meeting `idempotency-key-in-progress` until the claim's
        lease ends."""
        request, session = self.request, self.session
        guard = None
        if self.key is not None:
            path = request.url.path
            guard = IdempotencyGuard(
                self.state.sessionmaker,
                key=self.key,
                principal=principal.name,
                method=request.method,
                path=path,
                fingerprint=request_fingerprint(request.method, path, await request.body()),
            )
            stored = await guard.claim()
            if stored is not None:
                headers = {**stored.headers, IDEMPOTENT_REPLAYED: "true"}
                return Response(stored.body, status_code=stored.status, headers=headers)
        try:
            body = (await produce()).model_dump_json().encode()
            if guard is not None:
                await guard.complete(
                    session, status_code, {"content-type": "application/json"}, body
                )
                await session.commit()
        except BaseException:
            if guard is not None:
                # The request's work is undone first: on SQLite its transaction may hold the one
                # writer (the portfolio's lock takes it), which the release would wait behind.
                await rollback_quietly(session)
                await guard.release()
            raise
        return Response(body, status_code=status_code, media_type="application/json")


async def answer_once(
    request: Request,
    session: SessionDep,
    state: StateDep[WithSessions],
    idempotency_key: IdempotencyKeyHeader = None,
) -> AnswerOnce:
    """The request's `AnswerOnce`: its `Idempotency-Key`, its one transaction."""
    return AnswerOnce(request, idempotency_key, state, session)


AnswerOnceDep = Annotated[AnswerOnce, Depends(answer_once)]
"""A POST that honours `Idempotency-Key` takes it and answers `await once.answer(...)`."""
