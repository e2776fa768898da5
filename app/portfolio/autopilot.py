"""Autopilot (the runtime setting `autopilot`): the real portfolio follows the forward record's
`policy` book, so that the as-run record equals the policy's.

Each time the `forward_record` job marks an hour, the policy book has decided at that hour (the
replay's own `step` on the stored history: exits, replacements with hysteresis, vacancies, the
rebalance threshold) and trades at the next hour's close. Right after, in the same transaction,
this pass moves the real portfolio to the book's members and target weights. Its audit rows are
written within the hour after the decision, so the as-run record trades them at that same next
close (`app.records.as_run_update`), with the same weights: the two books are one.

Each change goes through `MySymbolsService` under the portfolio's lock, audited with actor
`autopilot`. A leaving member and a joining symbol are one replacement (the newcomer takes the
rank); what remains leaves or joins; then the target weights, when they still differ, are one
rebalance row. The book's scores vouch for a newcomer (the latest live scoring run need not have
scored it), but it must be tradable now: open, eligible and of a category not excluded. The
pass is one savepoint: when any step is refused, none of it is kept, the record stands, and the
next hour tries again. A pass catching up several hours at once follows the last one only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, TypedDict

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.market.models import Symbol
from app.platform.core.clock import utcnow
from app.platform.core.errors import ConflictError
from app.portfolio.audit import record_rebalance
from app.portfolio.membership import tradable_symbol
from app.portfolio.policy.weight_rules import STEP, to_percent
from app.portfolio.repository import PortfolioRepository
from app.portfolio.schemas.allocation import WeightsRead
from app.portfolio.service import MySymbolsService
from app.portfolio.settings import PortfolioConfig, load_portfolio_config
from app.portfolio.target_weights import caps_for

AUTOPILOT = Actor("autopilot")
METHOD = "policy book"  # the audit's weighting method of the book's own targets
INTERIM = "equal (interim)"  # a member set on the way to the book's, inside one pass


@dataclass(frozen=True)
class PolicyTarget:
    """The policy book's holdings after its decision at `decided_at`."""

    decided_at: datetime
    members: list[str]  # by seat (the book keeps the portfolio's own seats)
    weights: dict[str, Decimal]  # percent, summing to 100

    @classmethod
    def of(cls, stored: Mapping[str, Any], decided_at: datetime) -> PolicyTarget | None:
        """The book's stored policy state (`app.records.keeping.shadow.encode`) as a target; None
        when its members and its applied weights disagree (a member its window lost, which its
        next decision exits)."""
        by_seat = sorted(stored["members"], key=lambda m: int(m[1]))
        members = [str(m[0]) for m in by_seat]
        weights = {s: Decimal(w) for s, w in stored["weights"].items()}
        if set(members) != set(weights):
            return None
        return cls(decided_at, members, weights)


class Replaced(TypedDict):
    """A member the pass replaced, and the audit row of it."""

    member: str
    outsider: str
    history_id: int


class Removed(TypedDict):
    symbol: str
    history_id: int


class Added(TypedDict):
    symbol: str
    rank: int | None
    history_id: int


@dataclass(frozen=True)
class AutopilotPass:
    """What one pass did to follow the book's decision at `decided_at`."""

    decided_at: str
    replaced: list[Replaced] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    added: list[Added] = field(default_factory=list)
    rebalance_history_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class _Following(MySymbolsService):
    """Membership changes towards a target: a newcomer need only be tradable (the book's scores
    vouch for it), and the weights are the book's once the members are, equal before."""

    def __init__(self, session: AsyncSession, base: MySymbolsService, target: PolicyTarget) -> None:
        super().__init__(session, base.gateway, base.prices)
        self.target = target

    async def _eligible_symbol(self, symbol: str) -> Symbol:
        return await tradable_symbol(self.session, await self.gateway.canonical(symbol))

    async def _targets(self, symbols: list[Symbol], config: PortfolioConfig) -> WeightsRead:
        names = [s.symbol for s in symbols]
        if set(names) == set(self.target.weights):
            return book_weights(self.target)
        equal = to_percent(np.full(len(names), 100.0 / len(names))) if names else []
        weights = dict(zip(names, equal, strict=True))
        return WeightsRead(method=INTERIM, weights=weights, inputs={}, relaxed_caps=[])


def book_weights(target: PolicyTarget) -> WeightsRead:
    return WeightsRead(
        method=METHOD,
        weights=dict(target.weights),
        inputs={"decided_at": target.decided_at.isoformat()},
        relaxed_caps=[],
    )


class AutopilotService:
    """Moves the real portfolio to the policy book's holdings."""

    def __init__(self, session: AsyncSession, membership: MySymbolsService) -> None:
        self.session = session
        self.membership = membership
        self.portfolio = PortfolioRepository(session)

    async def follow(self, target: PolicyTarget) -> AutopilotPass:
        """One pass to `target`, all of it or nothing of it."""
        async with self.session.begin_nested():
            return await self._follow(target)

    async def _follow(self, target: PolicyTarget) -> AutopilotPass:
        await self.portfolio.lock()
        await self._check_fits(target)
        moving = _Following(self.session, self.membership, target)
        decided = target.decided_at.isoformat()
        reason = f"autopilot: the policy book's decision at {decided}"
        current = [r.symbol.symbol for r in await self.portfolio.active()]
        leaving = [s for s in current if s not in target.weights]
        joining = [s for s in target.members if s not in current]
        replaced: list[Replaced] = []
        removed: list[Removed] = []
        added: list[Added] = []
        for old, new in zip(leaving, joining, strict=False):
            change = await moving.replace_symbol(old, new, reason=reason, actor=AUTOPILOT)
            replaced.append({"member": old, "outsider": new, "history_id": change.history.id})
        for symbol in leaving[len(joining) :]:
            change = await moving.remove_symbol(symbol, reason=reason, actor=AUTOPILOT)
            removed.append({"symbol": symbol, "history_id": change.history.id})
        for symbol in joining[len(leaving) :]:
            change = await moving.add_symbol(symbol, reason=reason, actor=AUTOPILOT)
            added.append(
                {"symbol": symbol, "rank": change.history.new_rank, "history_id": change.history.id}
            )
        rebalanced = await self._weights(target, reason)
        return AutopilotPass(decided, replaced, removed, added, rebalanced)

    async def _check_fits(self, target: PolicyTarget) -> None:
        """The book's holdings as the portfolio's rules stand now (an admin may have changed
        them since the decision): at most `max_portfolio_symbols`, weights summing to 100 and
        each within the caps its member count can meet; else nothing of the pass is made."""
        config = await load_portfolio_config(self.session)
        low, high, _ = caps_for(len(target.weights), config)
        floor, cap = Decimal(repr(low)) - STEP, Decimal(repr(high)) + STEP
        outside = sorted(s for s, w in target.weights.items() if not floor <= w <= cap)
        total = sum(target.weights.values(), Decimal(0))
        if len(target.members) > config.policy.max_symbols or total != 100 or outside:
            raise ConflictError(
                "the policy book's holdings do not fit the portfolio's rules as they stand",
                extra={
                    "members": len(target.members),
                    "max_symbols": config.policy.max_symbols,
                    "weights_total": float(total),
                    "outside_caps": outside,
                    "caps": [low, high],
                },
            )

    async def _weights(self, target: PolicyTarget, reason: str) -> int | None:
        """The book's target weights, as one rebalance row when the members' differ."""
        rows = await self.portfolio.active()
        if all(r.member.weight == target.weights[r.symbol.symbol] for r in rows):
            return None
        entry = await record_rebalance(
            self.session, rows, book_weights(target), actor=AUTOPILOT, reason=reason, now=utcnow()
        )
        return entry.id
