"""Queries on scoring runs, symbol scores and the editable scoring algorithm; flushes only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import defer, undefer

from app.market.models import Symbol
from app.platform.db.session_flags import mark_portfolio_changed
from app.scoring.models import (
    ScoringAlgorithm,
    ScoringConfigChange,
    ScoringRun,
    SymbolScore,
)
from app.scoring.run_scores import ScoreRow
from app.scoring.scorers.composite import COMPOSITE

# Serialises scoring runs across replicas (PostgreSQL; SQLite runs one process).
SCORING_LOCK_KEY = 0x4D5953434F52  # "MYSCOR"
SCORE_SLICE = 250  # score rows (with their breakdown JSON) per insert


# The newest completed run's open interest by symbol, read out of its stored inputs by the
# database: a run reads nothing else of the run before (its books and funding histories, some
# 50 000 objects once parsed). PostgreSQL gives each number as its JSON text; SQLite's JSON1
# (no `->`: that needs 3.38) parses it to the same double (300 000 random values, 3.40.1).
_NEWEST_COMPLETED = "r.id = (SELECT max(id) FROM scoring_run WHERE status = 'completed')"
PREVIOUS_OPEN_INTEREST = {
    "postgresql": text(
        "SELECT s->>'symbol', s->>'open_interest_usdt' FROM scoring_run AS r, "
        f"jsonb_array_elements(r.inputs->'symbols') AS s WHERE {_NEWEST_COMPLETED} "
        "AND jsonb_typeof(s->'open_interest_usdt') = 'number'"
    ),
    "sqlite": text(
        "SELECT json_extract(s.value, '$.symbol'), json_extract(s.value, '$.open_interest_usdt') "
        f"FROM scoring_run AS r, json_each(r.inputs, '$.symbols') AS s WHERE {_NEWEST_COMPLETED} "
        "AND json_type(s.value, '$.open_interest_usdt') IN ('integer', 'real')"
    ),
}


class ScoringRepository:
    """Scoring runs, their scores and the scoring algorithm rows."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def try_lock_runs(self) -> bool:
        """Take the cross-replica scoring lock for this transaction, without waiting."""
        if self.session.get_bind().dialect.name != "postgresql":
            return True
        locked = await self.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": SCORING_LOCK_KEY}
        )
        return bool(locked)

    async def algorithms(self, *, for_update: bool = False) -> Sequence[ScoringAlgorithm]:
        """The algorithm's rows; `for_update` locks them to the end of the transaction, so a
        concurrent change waits and then sees this one (SQLite serialises writers anyway)."""
        query = select(ScoringAlgorithm).order_by(ScoringAlgorithm.id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.scalars(query)).all()

    async def record_change(self, change: ScoringConfigChange) -> ScoringConfigChange:
        self.session.add(change)
        await self.session.flush()
        return change

    async def changes(self, limit: int) -> Sequence[ScoringConfigChange]:
        """The newest changes of the scoring algorithm first."""
        query = select(ScoringConfigChange).order_by(ScoringConfigChange.id.desc()).limit(limit)
        return (await self.session.scalars(query)).all()

    async def add_run(self, run: ScoringRun) -> ScoringRun:
        mark_portfolio_changed(self.session)  # new scores: members' composites change
        self.session.add(run)
        await self.session.flush()
        return run

    async def get_run(self, run_id: int, *, with_inputs: bool = False) -> ScoringRun | None:
        options = [undefer(ScoringRun.inputs)] if with_inputs else []
        return await self.session.get(ScoringRun, run_id, options=options)

    async def latest_run(self, *, with_scores: bool = False) -> ScoringRun | None:
        """The newest completed run (that scored anything)."""
        query = select(ScoringRun).where(ScoringRun.status == "completed")
        if with_scores:
            query = query.where(ScoringRun.scored_count > 0)
        return await self.session.scalar(query.order_by(ScoringRun.id.desc()).limit(1))

    async def previous_open_interest(self) -> dict[str, float]:
        """The open interest (USDT) each symbol had in the newest completed run's inputs."""
        query = PREVIOUS_OPEN_INTEREST[self.session.get_bind().dialect.name]
        return {symbol: float(value) for symbol, value in await self.session.execute(query)}

    async def runs_spanning(self, span: timedelta) -> list[ScoringRun]:
        """The completed runs that scored anything, newest first, back through the first one
        started at least `span` before the newest (all of them when none is that old): the
        runs the replacement hysteresis reads (`span`: its hours less the slack)."""
        scored = (ScoringRun.status == "completed", ScoringRun.scored_count > 0)
        newest = await self.session.scalar(select(func.max(ScoringRun.started_at)).where(*scored))
        if newest is None:
            return []
        boundary = newest - span
        newest_first = (ScoringRun.started_at.desc(), ScoringRun.id.desc())
        inside = await self.session.scalars(
            select(ScoringRun)
            .where(*scored, ScoringRun.started_at > boundary)
            .order_by(*newest_first)
        )
        edge = await self.session.scalars(
            select(ScoringRun)
            .where(*scored, ScoringRun.started_at <= boundary)
            .order_by(*newest_first)
            .limit(1)
        )
        return [*inside.all(), *edge.all()]

    async def protected_runs(self, span: timedelta) -> set[int]:
        """The runs current reads stand on: the newest completed run, and the completed runs
        that scored anything back through the first one `span` before the newest (rankings,
        members' composites, the replacement hysteresis: `runs_spanning`)."""
        scored = await self.runs_spanning(span)
        newest = await self.session.scalar(
            select(func.max(ScoringRun.id)).where(ScoringRun.status == "completed")
        )
        return {*(r.id for r in scored), *([newest] if newest is not None else [])}

    async def component_scores(
        self, run_ids: Sequence[int], component: str, symbol_ids: Sequence[int] | None = None
    ) -> dict[int, dict[int, SymbolScore]]:
        """run id -> symbol id -> that component's score row."""
        query = select(SymbolScore).where(
            SymbolScore.run_id.in_(run_ids), SymbolScore.component == component
        )
        if symbol_ids is not None:
            query = query.where(SymbolScore.symbol_id.in_(symbol_ids))
        out: dict[int, dict[int, SymbolScore]] = {run_id: {} for run_id in run_ids}
        for row in (await self.session.scalars(query)).all():
            out[row.run_id][row.symbol_id] = row
        return out

    async def last_scored_at(self, since: datetime) -> dict[int, datetime]:
        """Symbol id -> start of the newest completed run since `since` that scored it."""
        query = (
            select(SymbolScore.symbol_id, func.max(ScoringRun.started_at))
            .join(ScoringRun, ScoringRun.id == SymbolScore.run_id)
            .where(
                ScoringRun.started_at >= since,
                ScoringRun.status == "completed",
                SymbolScore.component == COMPOSITE,
            )
            .group_by(SymbolScore.symbol_id)
        )
        return {symbol_id: at for symbol_id, at in (await self.session.execute(query)).all()}

    async def best_symbol_ids(self, run_id: int, limit: int) -> list[int]:
        """A run's best `limit` symbols by composite."""
        query = (
            select(SymbolScore.symbol_id)
            .where(SymbolScore.run_id == run_id, SymbolScore.component == COMPOSITE)
            .order_by(SymbolScore.score.desc(), SymbolScore.symbol_id)
            .limit(limit)
        )
        return list((await self.session.scalars(query)).all())

    async def add_scores(self, rows: Iterable[ScoreRow]) -> None:
        """Insert in slices, so the event loop serves other requests between them."""
        rows = list(rows)
        for start in range(0, len(rows), SCORE_SLICE):
            await self.session.execute(insert(SymbolScore), rows[start : start + SCORE_SLICE])

    async def run_scores(
        self, run_id: int, component: str, limit: int
    ) -> Sequence[tuple[SymbolScore, Symbol]]:
        """A run's scores of one component, best first."""
        query = (
            select(SymbolScore, Symbol)
            .join(Symbol, Symbol.id == SymbolScore.symbol_id)
            .where(SymbolScore.run_id == run_id, SymbolScore.component == component)
            .order_by(SymbolScore.score.desc(), Symbol.symbol)
            .limit(limit)
        )
        return list((await self.session.execute(query)).all())

    async def scores_of(
        self, run_id: int, symbol_ids: Sequence[int], *, with_breakdown: bool = True
    ) -> Sequence[SymbolScore]:
        query = select(SymbolScore).where(
            SymbolScore.run_id == run_id, SymbolScore.symbol_id.in_(symbol_ids)
        )
        if not with_breakdown:
            query = query.options(defer(SymbolScore.breakdown, raiseload=True))
        return (await self.session.scalars(query)).all()

    async def symbol_history(
        self, symbol_id: int, limit: int
    ) -> Sequence[tuple[ScoringRun, list[SymbolScore]]]:
        """The newest `limit` runs that scored this symbol, each with its rows."""
        run_ids = (
            await self.session.scalars(
                select(SymbolScore.run_id)
                .where(SymbolScore.symbol_id == symbol_id, SymbolScore.component == COMPOSITE)
                .order_by(SymbolScore.run_id.desc())
                .limit(limit)
            )
        ).all()
        if not run_ids:
            return []
        runs = {
            r.id: r
            for r in (
                await self.session.scalars(select(ScoringRun).where(ScoringRun.id.in_(run_ids)))
            ).all()
        }
        rows = (
            await self.session.scalars(
                select(SymbolScore).where(
                    SymbolScore.symbol_id == symbol_id, SymbolScore.run_id.in_(run_ids)
                )
            )
        ).all()
        by_run: dict[int, list[SymbolScore]] = {}
        for row in rows:
            by_run.setdefault(row.run_id, []).append(row)
        return [(runs[run_id], by_run[run_id]) for run_id in run_ids]


class ScoringRunReads:
    """Whether scoring ever scored, on a bare connection (the first start's progress)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def has_scored_run(self) -> bool:
        """Whether some scoring run has scored any symbol."""
        scored = select(ScoringRun.id).where(
            ScoringRun.status == "completed", ScoringRun.scored_count > 0
        )
        return bool(await self.connection.scalar(select(scored.exists())))
