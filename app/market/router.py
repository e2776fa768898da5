"""The KuCoin contract universe: list stored symbols, sync from KuCoin."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, status
from fastapi.responses import JSONResponse

from app.callers.actor import Actor
from app.kucoin.symbols import listing_ccxt_symbol
from app.market.jobs import UNIVERSE_SYNC, SyncState
from app.market.repository.symbols import SymbolFilter
from app.market.schemas import SymbolCategoryUpdate, SymbolPage, SymbolRead, SyncResultRead
from app.market.service import SymbolView, UniverseService, symbol_category
from app.platform.core.patterns import worded
from app.platform.db.models import JobRun
from app.platform.http.auth import AdminDep, ReaderDep, TraderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.platform.http.sessions import SessionDep, StateDep, app_state
from app.platform.scheduler.on_request import Wait, run_job
from app.platform.scheduler.schedule import RunsJobs
from app.platform.scheduler.schemas import JobRunRead
from app.platform.schemas.common import Offset, StorableText, SymbolPath, problem_responses

router = resource_router("/symbols", "symbols")
QUOTE_PATTERN = worded(r"^[A-Za-z]{2,10}$", "must be a currency code of 2 to 10 letters, as USDT")


async def get_universe_service(request: Request, session: SessionDep) -> UniverseService:
    """The request's contract universe, in the request's one transaction."""
    return UniverseService(session, app_state(request).gateway)


UniverseDep = Annotated[UniverseService, Depends(get_universe_service)]


_DERIVED = {"data_age_s", "stale", "ccxt_symbol", "category", "category_source"}
_ROW_FIELDS = [name for name in SymbolRead.model_fields if name not in _DERIVED]


def _read(view: SymbolView) -> SymbolRead:
    row = view.row
    row_values = {name: getattr(row, name) for name in _ROW_FIELDS}
    ccxt = listing_ccxt_symbol(
        row.symbol, row.base_currency, row.quote_currency, row.settle_currency
    )
    decision = symbol_category(row)
    return SymbolRead(
        **row_values,
        ccxt_symbol=ccxt,
        category=decision.category,
        category_source=decision.source,
        data_age_s=view.data_age_s,
        stale=view.stale,
    )


@router.get(
    "",
    dependencies=[CachedRead],
    response_model=SymbolPage,
    summary="List synced symbols (last good data)",
)
async def list_symbols(
    _: ReaderDep,
    universe: UniverseDep,
    status: Annotated[
        StorableText | None, Query(max_length=20, description="e.g. Open, Delisted")
    ] = None,
    eligible: Annotated[bool | None, Query()] = None,
    quote: Annotated[str | None, Query(pattern=QUOTE_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> SymbolPage:
    """The contracts as the last universe sync stored them (the last good data): each with its
    symbol forms, category, eligibility and market data, and how old that data is (`stale` past
    `stale_data_limit_s`). Filter by `status`, `eligible` and `quote`; page with `limit` and
    `offset` (`total` counts every match). Role: read."""
    filters = SymbolFilter(status=status, eligible=eligible, quote=quote.upper() if quote else None)
    views, total = await universe.list_symbols(filters, limit=limit, offset=offset)
    return SymbolPage(items=[_read(v) for v in views], total=total, limit=limit, offset=offset)


@router.get(
    "/{symbol:path}",
    dependencies=[CachedRead],
    response_model=SymbolRead,
    summary="One symbol, given in any form (BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt)",
    responses=problem_responses(404, 422),
)
async def get_symbol(symbol: SymbolPath, _: ReaderDep, universe: UniverseDep) -> SymbolRead:
    """The contract as last synced, with its category, the evidence that decided it
    (`category_source`) and any override an admin set. 404 for a well-formed symbol naming no
    contract; 422 for a malformed one (the problem lists the accepted forms). Role: read."""
    return _read(await universe.get_symbol(symbol))


@router.put(
    "/{symbol:path}/category",
    response_model=SymbolRead,
    summary="Hold a symbol to a category (crypto, stablecoin, commodity, equity), or with null "
    "let the table and the peg rule decide again; audited as a configuration change",
    responses=problem_responses(404, 422),
)
async def set_symbol_category(
    symbol: SymbolPath,
    body: SymbolCategoryUpdate,
    principal: AdminDep,
    universe: UniverseDep,
    request: Request,
) -> SymbolRead:
    """A category holds the contract to it whatever the exchange or the data say; `null` lets them
    decide again. Recorded in `GET /config/changes` as `symbol_category:<SYMBOL>`; a category the
    runtime setting `excluded_categories` excludes keeps the contract out of the portfolio. 404 for
    no such contract. Role: admin."""
    actor = Actor(principal.name, getattr(request.state, "request_id", None))
    return _read(await universe.set_category(symbol, body.category, actor=actor))


@router.post(
    "/sync",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobRunRead,
    summary="Sync the contract universe from KuCoin now (a `universe_sync` job run: 202 with its "
    "Location); with ?wait=, the sync's report once it ends in time",
    responses={
        200: {"model": SyncResultRead, "description": "With ?wait=: the sync ended in time."},
        **problem_responses(409, 502, 503),
    },
)
async def sync_symbols(
    principal: TraderDep, state: StateDep[RunsJobs[SyncState]], request: Request, wait: Wait = None
) -> JSONResponse:
    """Reads KuCoin's contract list into the stored universe, as the scheduled `universe_sync` job
    does, through its runner: 202 with the run and its `Location` (`/jobs/runs/{id}`); with `?wait=`
    (seconds, at most 60) the sync's report once it ends in time. A contract that left the list
    raises a delisting alert. 409 `run-in-progress` while a sync runs anywhere; 429 with
    `Retry-After` within `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S` of the end of the last requested
    one; 502 or 503 when KuCoin could not be read. Role: trade."""

    async def sync_report(run: JobRun) -> SyncResultRead:
        return SyncResultRead.model_validate(run.result)

    return await run_job(request, state, UNIVERSE_SYNC, principal, wait, sync_report)
