"""The forward rule on a constructed record (both databases): a challenger whose skill IC leads
the default's by far qualifies only once it has the required daily decisions; then one
`challenger_qualified` alert, and one webhook event carrying its evidence, however often the
rule runs; a challenger that does not lead never qualifies; the alert resolves when the
challenger stops qualifying."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.models import Alert
from app.platform.db.models import EventOutbox
from app.records.forward_read import ForwardEvidenceService
from app.records.forward_service import QUALIFIED, ForwardService
from app.records.keeping.challengers import CHALLENGERS
from app.records.keeping.forward import POLICY, challenger_book
from app.records.keeping.forward_rule import MIN_DECISIONS
from app.records.models import ForwardDay

START = datetime(2027, 1, 1, tzinfo=UTC)
BETTER, SAME = (replace(CHALLENGERS[1], name="better"), replace(CHALLENGERS[2], name="same"))


def day_rows(days: range) -> list[ForwardDay]:
    """Daily decisions: the default's skill IC noise around 0, `better`'s 0.2 higher with the
    same noise, `same`'s the default's; book returns the universe's plus small noise."""
    rng = np.random.default_rng(7)
    rows = []
    for d in days:
        universe = float(rng.normal(0, 0.02))
        noise = float(rng.normal(0, 0.05))
        at = START + timedelta(days=d)
        for book, ic, edge in (
            (POLICY, noise, 0.0),
            (challenger_book("better"), noise + 0.2 + float(rng.normal(0, 0.01)), 0.001),
            (challenger_book("same"), noise + float(rng.normal(0, 0.05)), 0.0),
        ):
            rows.append(
                ForwardDay(
                    book=book,
                    decided_at=at,
                    entry_at=at + timedelta(hours=1),
                    following_at=at + timedelta(days=1, hours=1),
                    book_return=universe + edge + float(rng.normal(0, 0.001)),
                    skill_ic=ic,
                    universe_return=universe,
                    config_hash="x" * 64,
                    fee_bps=6.0,
                    slippage_bps=0.0,
                )
            )
    return rows


async def qualified_events(session: AsyncSession) -> list[EventOutbox]:
    events = (await session.scalars(select(EventOutbox).where(EventOutbox.kind == "alert"))).all()
    return [e for e in events if e.payload["kind"] == QUALIFIED]


class TestForwardRuleAlert:
    async def test_a_better_challenger_qualifies_after_the_required_decisions_once(
        self, session: AsyncSession
    ) -> None:
        service = ForwardService(session, challengers=(BETTER, SAME))
        session.add_all(day_rows(range(MIN_DECISIONS - 1)))
        await session.flush()
        assert await service.judge() == []  # one decision short
        assert await qualified_events(session) == []

        session.add_all(day_rows(range(MIN_DECISIONS - 1, MIN_DECISIONS + 10)))
        await session.flush()
        assert await service.judge() == ["better"]
        assert await service.judge() == ["better"]  # the rule runs again the next day
        events = await qualified_events(session)
        assert len(events) == 1
        details = events[0].payload["details"]
        assert details["challenger"] == "better" and details["qualifies"] is True
        assert details["decisions"] == MIN_DECISIONS + 10 and details["would_adopt"] is True
        assert details["ic_lead"] > 0.15 and details["ic_lead_t"] > 2.0
        alert = (await session.scalars(select(Alert).where(Alert.kind == QUALIFIED))).one()
        assert (alert.status, alert.occurrences) == ("open", 2)

        # The challenger's lead is gone (its days replaced by the default's): resolved.
        await session.execute(
            delete(ForwardDay).where(ForwardDay.book == challenger_book("better"))
        )
        await session.flush()
        assert await service.judge() == []
        await session.refresh(alert)
        assert alert.status == "resolved"

    async def test_the_challengers_table_shows_every_verdict(self, session: AsyncSession) -> None:
        session.add_all(day_rows(range(20)))
        await session.flush()
        table = await ForwardEvidenceService(session).challengers()
        assert table.decisions == 20 and table.adopt is None
        names = [row.name for row in table.verdicts]
        assert names == [c.name for c in CHALLENGERS]
        for row in table.verdicts:
            assert row.qualifies is False
            assert any("forward decisions of the 90 required" in r for r in row.reasons)
