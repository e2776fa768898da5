"""Scoring reads: rankings, per-symbol history, runs (the editable algorithm is
`app.lab.algorithms_in_force`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.gateway import KucoinGateway
from app.market.contracts.categories import (
    CRYPTO,
    EXCLUDED_CATEGORIES,
    FROM_DATA,
    STABLECOIN,
    UNKNOWN,
    exclusion_code,
    is_excluded,
)
from app.market.repository.symbols import SymbolRepository
from app.market.schemas import MarketDataRead
from app.market.service import market_data_between, symbol_category
from app.market.settings import STALE_DATA_LIMIT_S
from app.platform.core.clock import utcnow
from app.platform.core.errors import NotFoundError
from app.platform.settings_store.reader import read_setting
from app.scoring.models import ScoringRun, SymbolScore
from app.scoring.repository import ScoringRepository
from app.scoring.schemas import (
    ComponentScoreRead,
    RankingItem,
    RankingsRead,
    SymbolScoresEntry,
    SymbolScoresRead,
)
from app.scoring.scorers.component_registry import components
from app.scoring.scorers.components import COMPONENTS
from app.scoring.scorers.composite import COMPOSITE


class ScoringService:
    """Reads of scoring runs: rankings, per-symbol history, a run."""

    def __init__(self, session: AsyncSession, gateway: KucoinGateway) -> None:
        self.session = session
        self.gateway = gateway
        self.runs = ScoringRepository(session)
        self.symbols = SymbolRepository(session)

    async def rankings(self, *, limit: int, component: str = COMPOSITE) -> RankingsRead:
        """The latest run that scored anything, ordered by `component`, with its data age."""
        run = await self.runs.latest_run(with_scores=True)
        if run is None:
            raise NotFoundError("no scoring run has scored any symbol yet; run one first")
        ordered = await self.runs.run_scores(run.id, component, limit)
        ids = [symbol.id for _, symbol in ordered]
        by_symbol: dict[int, dict[str, SymbolScore]] = {}
        for row in await self.runs.scores_of(run.id, ids, with_breakdown=False):
            by_symbol.setdefault(row.symbol_id, {})[row.component] = row
        items = []
        for rank, (_, symbol) in enumerate(ordered, start=1):
            rows = by_symbol[symbol.id]
            items.append(
                RankingItem(
                    rank=rank,
                    symbol=symbol.symbol,
                    kucoin_symbol=symbol.kucoin_symbol,
                    composite=float(rows[COMPOSITE].score),
                    confidence=float(rows[COMPOSITE].confidence),
                    components={
                        name: float(rows[name].score) if name in rows else None
                        for name in components()
                        if name in COMPONENTS or name in rows  # plug-ins': when scored
                    },
                    category=(decision := symbol_category(symbol)).category,
                    category_source=decision.source,
                    category_figures=symbol.category_figures,
                )
            )
        limit_s = await read_setting(self.session, STALE_DATA_LIMIT_S, float)
        age = (utcnow() - run.started_at).total_seconds()
        reasons: list[str] = []
        if age > limit_s:
            reasons.append(f"its data is {age:.0f} s old, past stale_data_limit_s ({limit_s:g} s)")
        newest = await self.runs.latest_run()
        if newest is not None and newest.id != run.id:  # a newer run scored nothing
            reasons.insert(0, nothing_scored(newest))
        return RankingsRead(
            run_id=run.id,
            scored_at=run.started_at,
            component=component,
            data_age_s=round(age, 3),
            stale=bool(reasons),
            stale_reason="; ".join(reasons) or None,
            items=items,
            market_data=await self.market_data([run]),
        )

    async def market_data(self, runs: Sequence[ScoringRun]) -> MarketDataRead | None:
        """Where the candles `runs` scored from came from: each run's candle window, up to its
        start (None: no run)."""
        if not runs:
            return None
        since = min(r.started_at - timedelta(hours=int(r.config.get("candles", 0))) for r in runs)
        until = max(r.started_at for r in runs)
        return await market_data_between(self.session, since, until)

    async def symbol_scores(self, symbol: str, *, limit: int) -> SymbolScoresRead:
        """A symbol's category, why it has no score now, and its scores (all components, with
        breakdowns) over its newest runs."""
        canonical = await self.gateway.canonical(symbol)
        row = await self.symbols.get_by_symbol(canonical)
        if row is None:
            raise NotFoundError(f"{canonical} is not in the synced universe")
        history = await self.runs.symbol_history(row.id, limit)
        latest = await self.runs.latest_run()
        code = latest.exclusions.get("symbols", {}).get(canonical) if latest else None
        decision = symbol_category(row)
        category, source = decision.category, decision.source
        if code == exclusion_code(STABLECOIN) and category in (CRYPTO, UNKNOWN):
            category, source = STABLECOIN, FROM_DATA  # the newest run's peg rule
        if is_excluded(category, await read_setting(self.session, EXCLUDED_CATEGORIES, tuple)):
            code = exclusion_code(category)
        return SymbolScoresRead(
            symbol=canonical,
            category=category,
            category_source=source,
            category_figures=row.category_figures,
            excluded=code,
            history=[
                SymbolScoresEntry(
                    run_id=run.id,
                    scored_at=run.started_at,
                    scores=[
                        ComponentScoreRead.model_validate(score)
                        for score in sorted(rows, key=lambda r: r.component)
                    ],
                )
                for run, rows in history
            ],
            market_data=await self.market_data([run for run, _ in history]),
        )

    async def get_run(self, run_id: int) -> ScoringRun:
        run = await self.runs.get_run(run_id)
        if run is None:
            raise NotFoundError(f"scoring run {run_id} does not exist")
        return run


def nothing_scored(run: ScoringRun) -> str:
    """Why rankings read from an older run: `run`, newer, scored nothing, and what it says kept
    it from scoring (its universe sync's error, its failed fetches, its exclusions)."""
    exclusions = run.exclusions or {}
    why = [f"universe sync: {exclusions['universe_sync']}"] if "universe_sync" in exclusions else []
    failures = exclusions.get("fetch_failures") or {}
    if failures:
        why.append(f"{len(failures)} market-data fetches failed")
    by_reason = exclusions.get("by_reason") or {}
    if by_reason:
        why.append("excluded: " + ", ".join(f"{n} {code}" for code, n in sorted(by_reason.items())))
    said = f" ({'; '.join(why)})" if why else ""
    started = run.started_at.isoformat().replace("+00:00", "Z")
    return (
        f"scoring run {run.id}, started {started}, scored nothing{said}: these are an older run's"
    )
