"""Scoring reads and the editable algorithm: rankings, per-symbol history, runs, weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import ScoringAlgorithm, ScoringRun, SymbolScore
from app.db.repositories.scoring import COMPOSITE, ScoringRepository
from app.db.repositories.symbols import SymbolRepository
from app.db.types import utcnow
from app.errors import NotFoundError, ValidationFailedError
from app.exchange.gateway import KucoinGateway
from app.scoring.metrics import COMPONENTS
from app.scoring.plugins import components
from app.services.system.runtime_settings import read_setting


@dataclass(frozen=True)
class RankedSymbol:
    rank: int
    symbol: str
    kucoin_symbol: str
    composite: float
    confidence: float
    components: dict[str, float | None]


@dataclass(frozen=True)
class Rankings:
    run: ScoringRun
    component: str
    data_age_s: float
    stale: bool
    items: list[RankedSymbol]


@dataclass(frozen=True)
class ScoreHistoryEntry:
    run: ScoringRun
    rows: list[SymbolScore]


@dataclass(frozen=True)
class AlgorithmChange:
    name: str
    weight: Decimal | None = None  # at most 4 decimals, as stored
    parameters: dict[str, Any] | None = None
    is_active: bool | None = None


class ScoringService:
    """Reads of scoring runs (rankings, per-symbol history) and the editable algorithm."""

    def __init__(self, session: AsyncSession, gateway: KucoinGateway) -> None:
        self.session = session
        self.gateway = gateway
        self.runs = ScoringRepository(session)
        self.symbols = SymbolRepository(session)

    async def rankings(self, *, limit: int, component: str = COMPOSITE) -> Rankings:
        """The latest run that scored anything, ordered by `component`, with its data age."""
        run = await self.runs.latest_run(with_scores=True)
        if run is None:
            raise NotFoundError("no scoring run has scored any symbol yet; run one first")
        ordered = await self.runs.run_scores(run.id, component, limit)
        ids = [symbol.id for _, symbol in ordered]
        by_symbol: dict[int, dict[str, SymbolScore]] = {}
        for row in await self.runs.scores_of(run.id, ids):
            by_symbol.setdefault(row.symbol_id, {})[row.component] = row
        items = []
        for rank, (_, symbol) in enumerate(ordered, start=1):
            rows = by_symbol[symbol.id]
            items.append(
                RankedSymbol(
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
                )
            )
        limit_s = float(await read_setting(self.session, "stale_data_limit_s"))
        age = (utcnow() - run.started_at).total_seconds()
        return Rankings(run, component, round(age, 3), age > limit_s, items)

    async def symbol_scores(
        self, symbol: str, *, limit: int
    ) -> tuple[str, list[ScoreHistoryEntry]]:
        """A symbol's scores (all components, with breakdowns) over its newest runs."""
        canonical = await self.gateway.canonical(symbol)
        row = await self.symbols.get_by_symbol(canonical)
        if row is None:
            raise NotFoundError(f"{canonical} is not in the synced universe")
        history = await self.runs.symbol_history(row.id, limit)
        return canonical, [ScoreHistoryEntry(run, rows) for run, rows in history]

    async def get_run(self, run_id: int) -> ScoringRun:
        run = await self.runs.get_run(run_id)
        if run is None:
            raise NotFoundError(f"scoring run {run_id} does not exist")
        return run

    async def list_algorithms(self) -> Sequence[ScoringAlgorithm]:
        return await self.runs.algorithms()

    async def update_algorithms(
        self, changes: Sequence[AlgorithmChange], *, actor: str
    ) -> Sequence[ScoringAlgorithm]:
        """Apply weight/parameter changes; the active weights must then sum to 1."""
        algorithms = {a.name: a for a in await self.runs.algorithms()}
        unknown = sorted({c.name for c in changes} - set(algorithms))
        if unknown:
            raise ValidationFailedError(
                f"unknown scoring component(s): {', '.join(unknown)}",
                extra={"known": sorted(algorithms)},
            )
        proposed = {name: (a.weight, a.is_active) for name, a in algorithms.items()}
        for change in changes:
            weight, active = proposed[change.name]
            proposed[change.name] = (
                change.weight if change.weight is not None else weight,
                change.is_active if change.is_active is not None else active,
            )
        total = sum((weight for weight, active in proposed.values() if active), Decimal(0))
        if total != 1:
            raise ValidationFailedError(
                f"active component weights must sum to 1; they would sum to {total}",
                extra={"weights": {n: str(w) for n, (w, a) in proposed.items() if a}},
            )
        now = utcnow()
        for change in changes:
            algorithm = algorithms[change.name]
            if change.weight is not None:
                algorithm.weight = change.weight
            if change.parameters is not None:
                algorithm.parameters = change.parameters
            if change.is_active is not None:
                algorithm.is_active = change.is_active
            algorithm.updated_at, algorithm.updated_by = now, actor
        await self.session.flush()
        return list(algorithms.values())
