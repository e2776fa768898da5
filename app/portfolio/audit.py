"""The one writer of portfolio changes: the audit row and its events, in the changing transaction.

Every change (add, remove, replace, rebalance) records the resulting portfolio as a snapshot on
its `portfolio_history` row (members ranked by the latest scores), the weights before, and how
the new weights were computed; then it announces `portfolio_changed` (membership changes only)
and `weights_updated` on the outbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.platform.db.repositories.outbox import EventRepository
from app.portfolio.decision_inputs import latest_scores
from app.portfolio.models import PortfolioHistory
from app.portfolio.policy.ranks import by_score
from app.portfolio.repository import MemberRow, PortfolioRepository, snapshot
from app.portfolio.schemas.allocation import WeightsRead

MEMBERSHIP_ACTIONS = frozenset({"add", "remove", "replace"})


def weights_of(rows: list[MemberRow]) -> dict[str, float]:
    """The members' weights as the audit trail and the events show them (JSON numbers)."""
    return {r.symbol.symbol: float(r.member.weight) for r in rows}


async def ranks_of(session: AsyncSession, rows: list[MemberRow]) -> dict[int, int]:
    """Symbol id -> rank by the latest scoring run's composites (`app.portfolio.policy.ranks`)."""
    scores = await latest_scores(session, [r.symbol.id for r in rows])
    return by_score({r.symbol.id: r.member.seat for r in rows}, scores.composite)


async def record_rebalance(
    session: AsyncSession,
    rows: list[MemberRow],
    targets: WeightsRead,
    *,
    actor: Actor,
    reason: str,
    now: datetime,
    details: dict[str, Any] | None = None,
) -> PortfolioHistory:
    """Move `rows` to `targets`' weights and write the rebalance's audit row."""
    before = weights_of(rows)
    for r in rows:
        r.member.weight = targets.weights[r.symbol.symbol]
    await session.flush()
    return await record_change(
        session,
        "rebalance",
        after=rows,
        before=before,
        targets=targets,
        actor=actor,
        reason=reason,
        now=now,
        details=details,
    )


async def record_change(
    session: AsyncSession,
    action: str,
    *,
    after: list[MemberRow],
    before: dict[str, float],
    targets: WeightsRead,
    actor: Actor,
    reason: str | None,
    now: datetime,
    details: dict[str, Any] | None = None,
    ranks: dict[int, int] | None = None,
    **columns: Any,
) -> PortfolioHistory:
    """Write the audit row of `action` (with `columns` such as symbol and ranks) and its events;
    `ranks`: `ranks_of(session, after)` when the caller has it already."""
    ranks = ranks if ranks is not None else await ranks_of(session, after)
    after = sorted(after, key=lambda r: ranks[r.symbol.id])
    entry = await PortfolioRepository(session).record(
        PortfolioHistory(
            occurred_at=now,
            action=action,
            reason=reason,
            actor=actor.name,
            request_id=actor.request_id,
            details={
                "portfolio": snapshot(after, ranks),
                "weights_before": before,
                "weighting": {
                    "method": targets.method,
                    "relaxed_caps": targets.relaxed_caps,
                    **targets.inputs,
                },
                **(details or {}),
            },
            **columns,
        )
    )
    events = EventRepository(session)
    if action in MEMBERSHIP_ACTIONS:
        await events.append(
            "portfolio_changed",
            {
                "action": action,
                "history_id": entry.id,
                "symbol": columns.get("symbol"),
                "replaced_symbol": columns.get("replaced_symbol"),
                "reason": reason,
                "members": [r.symbol.symbol for r in after],
            },
        )
    await events.append(
        "weights_updated",
        {
            "history_id": entry.id,
            "method": targets.method,
            "weights": weights_of(after),
            "reason": action,
        },
    )
    return entry
