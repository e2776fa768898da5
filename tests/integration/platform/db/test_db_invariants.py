"""The database itself (indexes, CHECKs, triggers from the migration) keeps the invariants.

Rows are written directly, bypassing every Python check; each refusal runs in a savepoint, so
the test goes on afterwards and shows the refused write left nothing behind.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.models import Alert
from app.platform.core.clock import utcnow
from app.platform.db.models import JobRun
from app.portfolio.models import PortfolioHistory, PortfolioMember
from app.scoring.models import ScoringAlgorithm, SymbolScore
from app.signals.models import Signal
from tests.factories import add, make_member, make_run, make_symbol
from tests.helpers import set_config

# What each backend names in its error: PostgreSQL the constraint/index, SQLite the columns.
RANK_TAKEN = ("uq_portfolio_member_active_rank", "portfolio_member.rank")
SYMBOL_TAKEN = ("uq_portfolio_member_active_symbol", "portfolio_member.symbol_id")
OVER_MAX = ("exceeds max_portfolio_symbols",)
APPEND_ONLY = ("portfolio_history is append-only",)
SCORE_TAKEN = ("uq_symbol_score_run_id_symbol_id_component", "symbol_score.run_id")
STATUS_CHECKS = ("ck_portfolio_member_status_known", "removed_at_matches_status")


@asynccontextmanager
async def refused(session: AsyncSession, *names: str) -> AsyncIterator[None]:
    """Expect the database to refuse the writes inside, naming one of `names`; roll them back."""
    with pytest.raises(IntegrityError, match="|".join(re.escape(name) for name in names)):
        async with session.begin_nested():
            yield


async def active_ranks(session: AsyncSession) -> list[int]:
    active = select(PortfolioMember.seat).where(PortfolioMember.status == "active")
    return list(await session.scalars(active.order_by(PortfolioMember.seat)))


async def count(session: AsyncSession, model: Any) -> int | None:
    return await session.scalar(select(func.count()).select_from(model))


async def set_values(session: AsyncSession, model: Any, row_id: int, **values: Any) -> None:
    await session.execute(update(model).where(model.id == row_id).values(**values))


class TestActiveRankUniqueness:
    async def test_refuses_second_active_member_with_same_rank(self, session: AsyncSession) -> None:
        await make_member(session, 3)
        async with refused(session, *RANK_TAKEN):
            await make_member(session, 3)
        assert await active_ranks(session) == [3]

    async def test_allows_same_rank_when_one_member_is_removed(self, session: AsyncSession) -> None:
        await make_member(session, 3, status="removed", removed_at=utcnow())
        await make_member(session, 3)
        assert await active_ranks(session) == [3]


class TestActiveSymbolUniqueness:
    async def test_refuses_same_symbol_active_twice(self, session: AsyncSession) -> None:
        symbol = await make_symbol(session)
        await make_member(session, 1, symbol=symbol)
        async with refused(session, *SYMBOL_TAKEN):
            await make_member(session, 2, symbol=symbol)
        assert await active_ranks(session) == [1]

    async def test_allows_symbol_again_after_it_was_removed(self, session: AsyncSession) -> None:
        symbol = await make_symbol(session)
        first = await make_member(session, 1, symbol=symbol)
        await set_values(session, PortfolioMember, first.id, status="removed", removed_at=utcnow())
        await make_member(session, 2, symbol=symbol)
        assert await active_ranks(session) == [2]


class TestMemberValueChecks:
    async def test_refuses_rank_zero(self, session: AsyncSession) -> None:
        async with refused(session, "ck_portfolio_member_rank_positive"):
            await make_member(session, 0)
        assert await active_ranks(session) == []

    @pytest.mark.parametrize("weight", ["-0.01", "100.01"])
    async def test_refuses_weight_outside_percent(self, session: AsyncSession, weight: str) -> None:
        async with refused(session, "ck_portfolio_member_weight_percent"):
            await make_member(session, 1, weight=weight)
        assert await active_ranks(session) == []

    @pytest.mark.parametrize("weight", ["0", "100"])
    async def test_accepts_weight_at_bounds(self, session: AsyncSession, weight: str) -> None:
        member = await make_member(session, 1, weight=weight)
        stored = select(PortfolioMember.weight).where(PortfolioMember.id == member.id)
        assert await session.scalar(stored) == Decimal(weight)


class TestRankWithinConfiguredMax:
    async def test_refuses_active_rank_above_max_on_insert(self, session: AsyncSession) -> None:
        async with refused(session, *OVER_MAX):
            await make_member(session, 11)
        assert await active_ranks(session) == []

    async def test_refuses_update_of_member_to_rank_above_max(self, session: AsyncSession) -> None:
        member = await make_member(session, 5)
        async with refused(session, *OVER_MAX):
            await set_values(session, PortfolioMember, member.id, seat=11)
        assert await active_ranks(session) == [5]

    async def test_follows_configured_max_in_same_transaction(self, session: AsyncSession) -> None:
        async with refused(session, *OVER_MAX):
            await make_member(session, 11)
        await set_config(session, "max_portfolio_symbols", 12)
        await make_member(session, 11)
        assert await active_ranks(session) == [11]

    @pytest.mark.parametrize("stored", [12, 12.0, 12.7, "12"], ids=["int", "float", "frac", "str"])
    async def test_reads_the_max_the_same_way_on_both_engines(
        self, session: AsyncSession, stored: object
    ) -> None:
        await set_config(session, "max_portfolio_symbols", stored)
        await make_member(session, 12)
        async with refused(session, *OVER_MAX):
            await make_member(session, 13)
        assert await active_ranks(session) == [12]

    async def test_refuses_eleventh_active_member_at_any_rank(self, session: AsyncSession) -> None:
        for rank in range(1, 11):
            await make_member(session, rank)
        for rank in (1, 5, 10, 11, 12):
            async with refused(session, *(OVER_MAX if rank > 10 else RANK_TAKEN)):
                await make_member(session, rank)
        assert await active_ranks(session) == list(range(1, 11))


class TestMemberStatus:
    async def test_refuses_active_member_with_removed_at(self, session: AsyncSession) -> None:
        async with refused(session, "ck_portfolio_member_removed_at_matches_status"):
            await make_member(session, 1, removed_at=utcnow())
        assert await active_ranks(session) == []

    async def test_refuses_removed_member_without_removed_at(self, session: AsyncSession) -> None:
        async with refused(session, "ck_portfolio_member_removed_at_matches_status"):
            await make_member(session, 1, status="removed")
        assert await count(session, PortfolioMember) == 0

    async def test_refuses_unknown_status(self, session: AsyncSession) -> None:
        # Either CHECK refuses it: removed_at_matches_status only admits 'active' and 'removed'.
        async with refused(session, *STATUS_CHECKS):
            await make_member(session, 1, status="paused")
        assert await count(session, PortfolioMember) == 0


async def history_row(session: AsyncSession, action: str = "add") -> PortfolioHistory:
    return await add(session, PortfolioHistory(action=action, symbol="XBTUSDT", actor="test"))


class TestHistoryAppendOnly:
    async def test_refuses_update(self, session: AsyncSession) -> None:
        row = await history_row(session)
        async with refused(session, *APPEND_ONLY):
            await set_values(session, PortfolioHistory, row.id, reason="rewritten")
        stored = select(PortfolioHistory.reason).where(PortfolioHistory.id == row.id)
        assert await session.scalar(stored) is None

    async def test_refuses_delete(self, session: AsyncSession) -> None:
        row = await history_row(session)
        async with refused(session, *APPEND_ONLY):
            await session.execute(delete(PortfolioHistory).where(PortfolioHistory.id == row.id))
        remaining = select(func.count()).where(PortfolioHistory.id == row.id)
        assert await session.scalar(remaining) == 1

    async def test_refuses_unknown_action(self, session: AsyncSession) -> None:
        async with refused(session, "ck_portfolio_history_action_known"):
            await history_row(session, action="rewrite")
        assert await count(session, PortfolioHistory) == 0


class TestSymbolScoreChecks:
    @staticmethod
    async def score(
        session: AsyncSession, score: str = "50", confidence: str = "0.5"
    ) -> SymbolScore:
        symbol = await make_symbol(session)
        scores = {"technical": {symbol: score}}
        run = await make_run(session, components=scores, confidence=confidence)
        row = await session.scalar(select(SymbolScore).where(SymbolScore.run_id == run.id))
        assert row is not None
        return row

    async def test_refuses_score_above_100(self, session: AsyncSession) -> None:
        async with refused(session, "ck_symbol_score_score_range"):
            await self.score(session, score="100.5")
        assert await count(session, SymbolScore) == 0

    async def test_refuses_confidence_above_1(self, session: AsyncSession) -> None:
        async with refused(session, "ck_symbol_score_confidence_range"):
            await self.score(session, confidence="1.5")
        assert await count(session, SymbolScore) == 0

    async def test_refuses_duplicate_run_symbol_component(self, session: AsyncSession) -> None:
        first = await self.score(session)
        key = {"run_id": first.run_id, "symbol_id": first.symbol_id, "component": first.component}
        duplicate = SymbolScore(**key, score=Decimal("60"), confidence=Decimal("0.6"))
        async with refused(session, *SCORE_TAKEN):
            await add(session, duplicate)
        assert await count(session, SymbolScore) == 1


class TestJobRunLedger:
    async def test_refuses_duplicate_job_tick(self, session: AsyncSession) -> None:
        tick = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
        await add(session, JobRun(job="score_refresh", scheduled_tick=tick, replica="a"))
        async with refused(session, "uq_job_run_job_scheduled_tick", "job_run.job"):
            await add(session, JobRun(job="score_refresh", scheduled_tick=tick, replica="b"))
        assert await count(session, JobRun) == 1


class TestAlertDeduplication:
    @staticmethod
    def alert() -> Alert:
        return Alert(kind="stale_data", fingerprint="stale_data:XBTUSDT", message="stale")

    async def test_refuses_duplicate_unresolved_fingerprint(self, session: AsyncSession) -> None:
        await add(session, self.alert())
        async with refused(session, "uq_alert_unresolved_fingerprint", "alert.fingerprint"):
            await add(session, self.alert())
        assert await count(session, Alert) == 1

    async def test_allows_fingerprint_again_once_resolved(self, session: AsyncSession) -> None:
        first = await add(session, self.alert())
        await set_values(session, Alert, first.id, status="resolved", resolved_at=utcnow())
        await add(session, self.alert())
        statuses = await session.scalars(select(Alert.status).order_by(Alert.id))
        assert list(statuses) == ["resolved", "open"]


class TestSignalChecks:
    @staticmethod
    def signal(direction: str = "BUY", confidence: str = "0.8") -> Signal:
        values = {"direction": direction, "confidence": Decimal(confidence)}
        return Signal(source="test", signal_type="momentum", strength=Decimal("0.5"), **values)

    async def test_refuses_confidence_above_1(self, session: AsyncSession) -> None:
        async with refused(session, "ck_signal_confidence_unit"):
            await add(session, self.signal(confidence="1.2"))
        assert await count(session, Signal) == 0

    async def test_refuses_unknown_direction(self, session: AsyncSession) -> None:
        async with refused(session, "ck_signal_direction_known"):
            await add(session, self.signal(direction="UP"))
        assert await count(session, Signal) == 0


class TestSeeds:
    async def test_scoring_weights_are_seeded_and_sum_to_one(self, session: AsyncSession) -> None:
        rows = await session.execute(select(ScoringAlgorithm.name, ScoringAlgorithm.weight))
        weights = dict(rows.all())
        # Migration 0001 seeded 0.30/0.25/0.25/0.20; migration 0024 put candidate G in force.
        assert weights == {
            "technical": Decimal("0"),
            "fundamental": Decimal("0"),
            "market_structure": Decimal("0"),
            "risk": Decimal("1"),
        }
        assert sum(weights.values()) == Decimal(1)
