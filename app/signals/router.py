"""Trading signals: post, evaluate now, list, one, statistics."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response, status

from app.callers.dependencies import AnswerOnceDep
from app.platform.http.auth import ReaderDep, TraderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.platform.http.sessions import SessionDep, app_state
from app.platform.schemas.common import (
    RowId,
    StorableText,
    SymbolText,
    idempotent_responses,
    problem_responses,
)
from app.signals.models import SETTLED
from app.signals.schemas import SignalCreate, SignalRead, SignalStatistics, SignalSummary
from app.signals.service import SignalService, signal_service

router = resource_router("/signals", "signals")


async def get_signal_service(request: Request, session: SessionDep) -> SignalService:
    """The request's signal service, in the request's one transaction."""
    return signal_service(session, app_state(request).gateway)


SignalsDep = Annotated[SignalService, Depends(get_signal_service)]


@router.post(
    "",
    response_model=SignalRead,
    status_code=status.HTTP_201_CREATED,
    summary="Post a trading signal (pending until evaluated); honours Idempotency-Key",
    responses=idempotent_responses(404),
)
async def create_signal(
    body: SignalCreate,
    principal: TraderDep,
    signals: SignalsDep,
    once: AnswerOnceDep,
) -> Response:
    """A signal on a contract (any symbol form) from `source`, with its kind, strength, confidence,
    expiry and a free-form `payload` (at most 4 096 bytes as compact JSON). It stays `pending` until
    the `signal_processing` job, or `POST /signals/process`, evaluates it. A retry with the same
    `Idempotency-Key` replays the first answer. 404 for no such contract. Role: trade."""

    async def produce() -> SignalRead:
        return SignalRead.model_validate(await signals.create(body))

    return await once.answer(principal, produce, status_code=status.HTTP_201_CREATED)


@router.post(
    "/process",
    response_model=list[SignalSummary],
    summary="Evaluate pending signals now (the scheduler does it too)",
)
async def process_signals(
    _: TraderDep, signals: SignalsDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[SignalSummary]:
    """Evaluates up to `limit` pending signals now, as the `signal_processing` job does: each agent
    votes, the consensus approves or rejects, and a signal past its expiry is marked expired.
    Answers the signals it evaluated. Role: trade."""
    return [SignalSummary.model_validate(s) for s in await signals.process_pending(limit)]


@router.get(
    "/pending",
    dependencies=[CachedRead],
    response_model=list[SignalSummary],
    summary="Signals not evaluated yet (without payloads: the single read gives one)",
)
async def list_pending_signals(
    _: ReaderDep, signals: SignalsDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[SignalSummary]:
    """Signals waiting for their evaluation (`pending`, `processing`), newest first. Role: read."""
    rows = await signals.listing(
        statuses=("pending", "processing"), source=None, symbol=None, limit=limit
    )
    return [SignalSummary.model_validate(s) for s in rows]


@router.get(
    "/processed",
    dependencies=[CachedRead],
    response_model=list[SignalSummary],
    summary="Evaluated or expired signals (without payloads: the single read gives one)",
    responses=problem_responses(404, 422),
)
async def list_processed_signals(
    _: ReaderDep,
    signals: SignalsDep,
    status_: Annotated[
        Literal["approved", "rejected", "expired"] | None, Query(alias="status")
    ] = None,
    source: Annotated[StorableText | None, Query(max_length=80)] = None,
    symbol: Annotated[SymbolText | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[SignalSummary]:
    """Approved, rejected and expired signals, newest first; `status`, `source` and `symbol` narrow
    them. 404 for a symbol naming no contract. Role: read."""
    statuses = (status_,) if status_ else SETTLED
    rows = await signals.listing(statuses=statuses, source=source, symbol=symbol, limit=limit)
    return [SignalSummary.model_validate(s) for s in rows]


@router.get(
    "/statistics",
    dependencies=[CachedRead],
    response_model=SignalStatistics,
    summary="Counts, approval rate, agents",
)
async def get_signal_statistics(_: ReaderDep, signals: SignalsDep) -> SignalStatistics:
    """Counts by status, source and type; the approval rate; each agent's votes, hit rate, Brier
    score and weight in the consensus. Role: read."""
    return await signals.statistics()


@router.get(
    "/{signal_id:id}",
    dependencies=[CachedRead],
    response_model=SignalRead,
    summary="One signal with each agent's vote and the consensus",
    responses=problem_responses(404),
)
async def get_signal(signal_id: RowId, _: ReaderDep, signals: SignalsDep) -> SignalRead:
    """With its payload, each agent's vote (approve or reject, confidence, reason) and the
    consensus. 404 for no such signal. Role: read."""
    return SignalRead.model_validate(await signals.get(signal_id))
