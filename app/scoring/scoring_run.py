"""A scoring run: stage-1 shortlist, stage-2 market data, gate, score (in the worker process),
persist.

Everything the scorer read besides stored candles is kept in `scoring_run.inputs`; candles are
read point-in-time (`fetched_at <= as_of`), so `rescore(run_id)` reproduces a run exactly.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin import spend
from app.kucoin.exchange_errors import ExchangeError
from app.kucoin.gateway import KucoinGateway
from app.market.candles import CandleRefresh, CandleService, last_closed_open_time
from app.market.category_verdicts import CategoryVerdictService
from app.market.funding import FundingStore
from app.market.models import Symbol
from app.market.repository.candles import CandleRepository
from app.market.repository.symbols import SymbolRepository
from app.market.service import Holdings, UniverseService
from app.market.snapshot import SnapshotResult, collect
from app.platform.core.clock import utcnow
from app.platform.core.errors import ConflictError, NotFoundError
from app.platform.core.units import HOUR, HOUR_MIN, HOUR_MS, from_epoch_ms, to_epoch_ms
from app.platform.db.repositories.outbox import EventRepository
from app.platform.db.sqlite_writer import end_write_turn
from app.platform.observability.prometheus import observe_scoring_run
from app.platform.runtime.offload import in_worker, prestart
from app.platform.runtime.progress import checkpoint, within
from app.scoring.config_in_force import load_run_config
from app.scoring.fetch_plan import FetchPlan, FetchPlanner
from app.scoring.models import ScoringRun
from app.scoring.repository import ScoringRepository
from app.scoring.run_config import RunConfig
from app.scoring.run_scores import CandleGrid, RunScores, score_candles, score_run
from app.scoring.scorers import portable
from app.scoring.scorers.assemble import SymbolValues
from app.scoring.scorers.composite import ScoringOutcome
from app.scoring.scorers.shortlist import shortlist

logger = logging.getLogger(__name__)


class ScoringInProgress(ConflictError):
    slug, title = "scoring-in-progress", "A scoring run is already in progress"


class ScoringRunService:
    """Runs a scoring pass: sync, shortlist, fetch inputs, score, store the run and its inputs."""

    def __init__(
        self,
        session: AsyncSession,
        gateway: KucoinGateway,
        run_lock: asyncio.Lock,
        holdings: Holdings,
    ) -> None:
        self.session = session
        self.gateway = gateway
        self.run_lock = run_lock
        self.holdings = holdings  # kept on the shortlist, alerted as critical when delisted
        self.runs = ScoringRepository(session)
        self.symbols = SymbolRepository(session)
        self.candles = CandleRepository(session)

    async def calculate(self, *, triggered_by: str, now: datetime | None = None) -> ScoringRun:
        """Run now; 409 while another run is in progress here or on another replica."""
        if self.run_lock.locked():
            raise ScoringInProgress("a scoring run is in progress in this process")
        async with self.run_lock:
            if not await self.runs.try_lock_runs():
                raise ScoringInProgress("a scoring run is in progress on another replica")
            return await self._run(triggered_by, now or utcnow())

    async def rescore(self, run_id: int) -> ScoringOutcome:
        """Score a stored run's inputs again with its stored configuration."""
        run = await self.runs.get_run(run_id, with_inputs=True)
        if run is None or run.inputs is None:
            raise NotFoundError(f"scoring run {run_id} has no stored inputs")
        config = RunConfig.from_json(run.config)
        values, grid = await self._stored_inputs(run.inputs)
        state = portable.current(config.parameters)
        return await in_worker(score_candles, state, values, grid, config)

    async def _run(self, triggered_by: str, as_of: datetime) -> ScoringRun:
        """Fetch and store the market data, score, then record the run and its scores.

        The run's own rows are written last, after the fetches and the worker's scoring: on
        SQLite the market data is committed step by step as it arrives, and the run's record
        holds the one writer for its writes alone, not for the whole run (a person's write
        waits that long). On PostgreSQL it all stays one transaction."""
        started = time.perf_counter()
        config = await load_run_config(self.session)
        notes: dict[str, str] = {}  # slugs of what went wrong, spread into its exclusions
        prestart(score_run.__module__)  # its start beside the fetches
        with spend.recording() as spent:
            symbols, plan, candles, snapshot, grid = await self._fetch(config, as_of, notes)
        rows = await self.symbols.all_by_kucoin_symbol()
        shortlisted = len(symbols) - len(plan.rotation)
        previous_oi = await self.runs.previous_open_interest()
        inputs = build_inputs_record(symbols, snapshot, previous_oi, config, as_of)
        scored = await self._score(inputs, config, grid)
        checkpoint(0.9)
        await end_write_turn(self.session)  # SQLite: the writes below start afresh
        run = await self.runs.add_run(
            ScoringRun(
                status="running",
                started_at=as_of,
                data_source=self.gateway.source,
                config=config.to_json(),
                config_hash=config.hash,
                triggered_by=triggered_by,
            )
        )
        if "universe_sync" in notes:
            await EventRepository(self.session).append(
                "data_stale",
                {
                    "source": self.gateway.source,
                    "error": notes["universe_sync"],
                    "scoring_run_id": run.id,
                },
            )
        for row in scored.rows:
            row["run_id"] = run.id
        await self.runs.add_scores(scored.rows)
        run.scored_count, run.excluded_count = scored.scored, len(scored.excluded)
        run.inputs = inputs
        run.universe_size = len(rows)
        run.status, run.finished_at = "completed", utcnow()
        run.duration_ms = round((time.perf_counter() - started) * 1000, 3)
        run.spend = {"planned": plan.to_json(), "spent": spent.to_json()}
        run.exclusions = {
            "by_reason": dict(Counter(scored.excluded.values())),
            "symbols": scored.excluded,
            "stage1": {
                "universe": len(rows),
                "eligible": sum(r.is_eligible for r in rows.values()),
                "shortlisted": shortlisted,
                "rotation": len(plan.rotation),
            },
            "fetch_failures": {**candles.failures, **snapshot.failures},
            **notes,
        }
        await EventRepository(self.session).append(
            "score_run_completed",
            {
                "run_id": run.id,
                "scored": run.scored_count,
                "excluded": run.excluded_count,
                "duration_ms": run.duration_ms,
            },
        )
        await self.session.flush()
        observe_scoring_run(run.duration_ms / 1000, run.scored_count, run.exclusions["by_reason"])
        logger.info(
            "scoring run %d: %d scored, %d excluded in %.0f ms",
            run.id,
            run.scored_count,
            run.excluded_count,
            run.duration_ms,
        )
        return run

    async def _fetch(
        self, config: RunConfig, as_of: datetime, notes: dict[str, str]
    ) -> tuple[list[Symbol], FetchPlan, CandleRefresh, SnapshotResult, CandleGrid]:
        """Sync, shortlist, plan the weight, then candles, books and new funding settlements;
        the stored candle window is read while the books and the funding wait on the limiter.
        A failed universe sync is noted (`universe_sync`: its slug) for the run's event."""
        try:
            with within(0.0, 0.05):
                await UniverseService(self.session, self.gateway).sync(self.holdings)
        except ExchangeError as exc:  # score from the stored universe; the gate sees staleness
            notes["universe_sync"] = exc.slug
            logger.warning("scoring run: universe sync failed (%s)", exc.slug)
        await end_write_turn(self.session)
        rows = list((await self.symbols.all_by_kucoin_symbol()).values())
        members = await self.holdings.symbol_ids(self.session)
        shortlist = shortlist_symbols(rows, members, config, as_of)
        acceptable = shortlist_symbols(rows, members, config, as_of, size=len(rows))
        plan, funding_from = await FetchPlanner(self.session, self.gateway).plan(
            shortlist, acceptable, lookback=config.candles, now=as_of
        )
        symbols = plan.symbols
        checkpoint(0.05)
        with within(0.05, 0.45):
            candles = await CandleService(self.session, self.gateway).refresh(
                symbols, lookback=config.candles, now=as_of
            )
        checkpoint(0.45)
        with within(0.45, 0.8):
            collecting = asyncio.ensure_future(
                collect(
                    self.gateway,
                    {s.symbol: float(s.multiplier) for s in symbols},
                    funding_from=funding_from,
                    now=as_of,
                )
            )
            try:  # `collect` uses no session: the window is read meanwhile
                ids = {s.symbol: s.id for s in symbols}
                grid = await self._candle_grid(ids, grid_end_ms(as_of), config.candles, as_of)
                snapshot = await collecting
            finally:
                collecting.cancel()  # nothing once it is done
        funding = FundingStore(self.session)
        await funding.store(symbols, snapshot.settlements, asked_until=as_of)
        await CategoryVerdictService(self.session).refresh(symbols, as_of)  # once a UTC day
        await end_write_turn(self.session)
        snapshot = snapshot.with_funding(await funding.history(symbols, as_of))
        checkpoint(0.8)
        return symbols, plan, candles, snapshot, grid

    async def _score(
        self, inputs: dict[str, Any], config: RunConfig, grid: CandleGrid
    ) -> RunScores:
        """Score a run's inputs over its candle window (in the worker), with its rows."""
        state = portable.current(config.parameters)
        return await in_worker(score_run, state, symbol_values(inputs), grid, config)

    async def _stored_inputs(self, inputs: dict[str, Any]) -> tuple[list[SymbolValues], CandleGrid]:
        """A stored run's inputs, and its candle window as it was known then."""
        grid = await self._candle_grid(
            inputs["symbol_ids"],
            int(inputs["grid_end_ms"]),
            int(inputs["candles"]),
            datetime.fromisoformat(inputs["as_of"]),
        )
        return symbol_values(inputs), grid

    async def _candle_grid(
        self, ids: dict[str, int], end_ms: int, length: int, known_at: datetime
    ) -> CandleGrid:
        """The stored hourly window ending at `end_ms`, as it was known at `known_at`: read
        slice by slice into one table (a single allocation, given back whole once the run is
        over, not hundreds of small ones scattered through the heap)."""
        start = from_epoch_ms(end_ms) - (length - 1) * HOUR
        table = np.empty((len(ids) * length, 7))  # at most one row a symbol and hour (the key)
        filled = 0
        async for part in self.candles.candle_slices(
            list(ids.values()), HOUR_MIN, start, from_epoch_ms(end_ms), known_at
        ):
            table[filled : filled + len(part)] = part
            filled += len(part)
        return CandleGrid(table[:filled], ids, end_ms, length)


def symbol_values(inputs: dict[str, Any]) -> list[SymbolValues]:
    """The per-symbol values of a run's inputs record (`build_inputs_record`)."""
    return [SymbolValues(**v) for v in inputs["symbols"]]


def shortlist_symbols(
    rows: Sequence[Symbol],
    members: set[int],
    config: RunConfig,
    now: datetime,
    *,
    size: int | None = None,
) -> list[Symbol]:
    """Stage 1 (`app.scoring.scorers.shortlist`) over the stored contract list (`size`: instead
    of the configured shortlist size)."""
    places = np.empty(len(rows), dtype=np.int64)
    places[sorted(range(len(rows)), key=lambda k: rows[k].symbol)] = np.arange(len(rows))
    chosen = shortlist(
        places,
        np.array([r.is_eligible and r.delisted_at is None for r in rows], dtype=bool),
        _floats(None if r.listed_at is None else (now - r.listed_at) / HOUR for r in rows),
        _floats(r.funding_rate for r in rows),
        _floats(r.turnover_24h for r in rows),
        np.array([r.id in members or r.symbol == config.benchmark for r in rows], dtype=bool),
        size=config.shortlist if size is None else size,
        min_listing_days=config.min_listing_days,
        max_abs_funding=config.max_abs_funding,
    )
    return [rows[k] for k in chosen.tolist()]


def _floats(values: Iterable[float | Decimal | None]) -> np.ndarray:
    """None as NaN (unknown)."""
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def build_inputs_record(
    shortlist: Sequence[Symbol],
    snapshot: SnapshotResult,
    previous_oi: dict[str, float],
    config: RunConfig,
    as_of: datetime,
) -> dict[str, Any]:
    """The JSON kept on the run: every non-candle input and the candle window (`previous_oi`:
    each symbol's open interest in the run before)."""
    values = []
    for row in shortlist:
        market = snapshot.symbols.get(row.symbol)
        multiplier = float(row.multiplier)
        oi = None
        if row.open_interest_lots is not None and row.mark_price is not None:
            oi = row.open_interest_lots * multiplier * row.mark_price
        age = None
        if market is not None and market.book_at is not None:
            age = (as_of - market.book_at).total_seconds()
        values.append(
            SymbolValues(
                symbol=row.symbol,
                is_open=row.status == "Open" and row.is_eligible,
                turnover_24h=row.turnover_24h,
                open_interest_usdt=oi,
                previous_open_interest_usdt=previous_oi.get(row.symbol),
                funding_rate=row.funding_rate,
                funding_interval_h=(row.funding_interval_ms or 8 * HOUR_MS) / HOUR_MS,
                funding_history=market.funding_history if market else [],
                ticker_age_s=age,
                bids=market.bids if market else [],
                asks=market.asks if market else [],
                multiplier=multiplier,
                category=row.category_override,
                exchange_class=row.asset_class,
                data_category=row.category_data,
            )
        )
    return {
        "as_of": as_of.isoformat(),
        "grid_end_ms": grid_end_ms(as_of),
        "candles": config.candles,
        "symbol_ids": {row.symbol: row.id for row in shortlist},
        "symbols": [dict(vars(v)) for v in values],  # shallow: the lists are the run's own
    }


def grid_end_ms(as_of: datetime) -> int:
    """The open time (epoch ms) of the last hour closed at `as_of`: the candle window's end."""
    return to_epoch_ms(last_closed_open_time(as_of, HOUR))
