"""`MySymbolsService`, the portfolio's door: its membership (add, remove, replace, each under the
portfolio lock with its audit row) and the target weights every change recomputes, async, on the
caller's session; `my_symbols_service` builds it from the app's state. The portfolio's other use
cases have services named for them: the rebalance and position sizes (`app.portfolio.rebalance`),
the replacement advice, the analytics, the audit trail, the hot reads (`app.portfolio.reader`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any, Protocol

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.kucoin.gateway import KucoinGateway
from app.market.models import Symbol
from app.market.prices import PriceCache
from app.market.service import market_data_between
from app.platform.core.clock import utcnow
from app.platform.core.errors import ValidationFailedError
from app.portfolio.audit import ranks_of, record_change, weights_of
from app.portfolio.decision_inputs import latest_scores
from app.portfolio.maths.weighting import (
    METHODS,
    NEEDS_RETURNS,
    SCORE_METHODS,
    InfeasibleWeights,
    calculate_weights,
    liquidity_upper_bounds,
)
from app.portfolio.membership import (
    AlreadyMember,
    Change,
    NotMember,
    PortfolioFull,
    eligible_symbol,
    entry_price,
)
from app.portfolio.models import PortfolioMember
from app.portfolio.policy.weight_rules import to_percent
from app.portfolio.reader import PortfolioReadCache, PortfolioReader
from app.portfolio.repository import MemberRow, PortfolioRepository
from app.portfolio.schemas.allocation import WeightsRead
from app.portfolio.schemas.members import ChangeRead, HistoryRead, PortfolioRead
from app.portfolio.settings import PortfolioConfig, load_portfolio_config
from app.portfolio.target_weights import (
    WeightInputs,
    WeightsInfeasible,
    caps_for,
    weights_from_returns,
)


class PortfolioState(Protocol):
    """What the portfolio's services take from the app's state."""

    @property
    def gateway(self) -> KucoinGateway: ...

    @property
    def prices(self) -> PriceCache: ...

    @property
    def portfolio_cache(self) -> PortfolioReadCache | None: ...


class MySymbolsService:
    """Adds, removes and replaces members under the portfolio lock, each change audited, and
    weights them."""

    def __init__(self, session: AsyncSession, gateway: KucoinGateway, prices: PriceCache) -> None:
        self.session = session
        self.gateway = gateway
        self.prices = prices
        self.portfolio = PortfolioRepository(session)

    # -- membership ----------------------------------------------------------------------------

    async def add_symbol(self, symbol: str, *, reason: str | None, actor: Actor) -> Change:
        """Add an open, eligible, scored symbol in the next seat; weights recomputed."""
        config, rows, before = await self._locked()
        row = await self._outsider(rows, symbol)
        if len(rows) >= config.policy.max_symbols:
            raise PortfolioFull(
                f"the portfolio holds {len(rows)} of {config.policy.max_symbols} symbols; "
                "replace one instead",
                extra={"max_portfolio_symbols": config.policy.max_symbols},
            )
        targets = await self._targets([*(r.symbol for r in rows), row], config)
        await self._join(row, seat=len(rows) + 1, weight=targets.weights[row.symbol])
        return await self._audited("add", targets, before, actor, reason, joining=row)

    async def remove_symbol(self, symbol: str, *, reason: str | None, actor: Actor) -> Change:
        """Remove a member; the seats after it move up, weights recomputed."""
        config, rows, before = await self._locked()
        leaving = await self._find_member(rows, symbol)
        old_rank = await self._rank_of(rows, leaving.symbol)
        old_seat, old_weight = leaving.member.seat, leaving.member.weight
        await self._leave(leaving.member)
        remaining = [r for r in rows if r is not leaving]
        for r in remaining:
            if r.member.seat > old_seat:  # ascending: each target seat is already free
                await self.portfolio.set_seat(r.member, r.member.seat - 1)
        targets = await self._targets([r.symbol for r in remaining], config)
        return await self._audited(
            "remove",
            targets,
            before,
            actor,
            reason,
            symbol=leaving.symbol.symbol,
            old_rank=old_rank,
            old_weight=old_weight,
        )

    async def replace_symbol(
        self, old: str, new: str, *, reason: str | None, actor: Actor
    ) -> Change:
        """Swap a member for an outsider atomically; the newcomer takes the member's seat."""
        config, rows, before = await self._locked()
        leaving = await self._find_member(rows, old)
        row = await self._outsider(rows, new)
        old_rank = await self._rank_of(rows, leaving.symbol)
        seat, old_weight = leaving.member.seat, leaving.member.weight
        await self._leave(leaving.member)
        kept = [r.symbol for r in rows if r is not leaving]
        targets = await self._targets([*kept, row], config)
        await self._join(row, seat=seat, weight=targets.weights[row.symbol])
        return await self._audited(
            "replace",
            targets,
            before,
            actor,
            reason,
            joining=row,
            replaced_symbol=leaving.symbol.symbol,
            old_rank=old_rank,
            old_weight=old_weight,
        )

    async def answer(self, change: Change) -> ChangeRead:
        """A route's answer to `change`: its audit row and the portfolio after it (read past
        the read cache: the change is not committed yet). The ticker stream follows from the
        commit hook (`AppState.after_commit`), as for any change."""
        view = await PortfolioReader(self.session, self.prices).current(use_cache=False)
        return ChangeRead(
            change=HistoryRead.model_validate(change.history),
            portfolio=PortfolioRead.model_validate(view),
        )

    # -- weights -------------------------------------------------------------------------------

    async def target_weights(self, method: str | None = None) -> WeightsRead:
        """Target weights of the current members by the configured (or given) method."""
        config = await load_portfolio_config(self.session)
        rows = await self.portfolio.active()
        return await self.weights_for([r.symbol for r in rows], config, now=utcnow(), method=method)

    async def weights_for(
        self,
        symbols: Sequence[Symbol],
        config: PortfolioConfig,
        *,
        now: datetime,
        method: str | None = None,
    ) -> WeightsRead:
        """Weights for `symbols` by the configured (or given) method, within every cap: percent
        per canonical symbol, 4 decimals, summing to 100."""
        method = method or config.policy.weighting_method
        if method not in METHODS:
            raise ValidationFailedError(
                f"unknown weighting method {method!r}", extra={"methods": list(METHODS)}
            )
        if not symbols:
            return WeightsRead(method=method, weights={}, inputs={}, relaxed_caps=[])
        ids = [s.id for s in symbols]
        scores = await latest_scores(self.session, ids)
        liquidity = None
        if config.liquidity_reference_balance > 0:
            depth = np.array([scores.depth_usdt.get(i, np.nan) for i in ids])
            liquidity = liquidity_upper_bounds(
                depth, config.liquidity_reference_balance, config.liquidity_max_depth_share
            )
        low, high, relaxed = caps_for(len(symbols), config)
        weigh = partial(
            calculate_weights,
            method,
            scores=np.array([scores.composite.get(i, 0.0) for i in ids]),
            min_weight=low,
            max_weight=high,
            liquidity_upper=liquidity,
        )
        volatilities = None
        try:
            if method in NEEDS_RETURNS:
                volatilities, raw = await weights_from_returns(
                    self.session, symbols, config, now, weigh
                )
            else:
                raw = weigh(volatilities=None, covariance=None)
        except InfeasibleWeights as exc:
            raise WeightsInfeasible(str(exc), extra={"cap": exc.cap}) from exc
        inputs: WeightInputs = {"score_run_id": scores.run.id if scores.run else None}
        if method in SCORE_METHODS:
            inputs["unscored"] = [s.symbol for s in symbols if s.id not in scores.composite]
        if volatilities is not None:
            inputs["lookback_hours"] = config.policy.weights_lookback_hours
            inputs["volatility_annualised"] = {
                s.symbol: round(float(v), 6) for s, v in zip(symbols, volatilities, strict=True)
            }
        if liquidity is not None:
            inputs["liquidity_cap_pct"] = {
                s.symbol: None if not np.isfinite(c) else round(float(c), 4)
                for s, c in zip(symbols, liquidity, strict=True)
            }
        if relaxed:
            inputs["effective_bounds_pct"] = {"min": round(low, 6), "max": round(high, 6)}
        upper = np.full(len(symbols), high) if liquidity is None else np.minimum(high, liquidity)
        weights = dict(zip([s.symbol for s in symbols], to_percent(raw, upper), strict=True))
        read_hours = max(
            config.policy.weights_lookback_hours if volatilities is not None else 0,
            int(scores.run.config.get("candles", 0))
            if scores.run and method in SCORE_METHODS
            else 0,
        )
        market_data = None
        if read_hours:  # weights from prices or from scores: where their candles came from
            since = now - timedelta(hours=read_hours)
            market_data = await market_data_between(self.session, since, now)
        return WeightsRead(
            method=method,
            weights=weights,
            inputs=inputs,
            relaxed_caps=relaxed,
            market_data=market_data,
        )

    # -- helpers -------------------------------------------------------------------------------

    async def _locked(self) -> tuple[PortfolioConfig, list[MemberRow], dict[str, float]]:
        """Under the portfolio lock: its configuration, its members and their weights."""
        await self.portfolio.lock()
        config = await load_portfolio_config(self.session)
        rows = await self.portfolio.active()
        return config, rows, weights_of(rows)

    async def _eligible_symbol(self, symbol: str) -> Symbol:
        return await eligible_symbol(self.session, await self.gateway.canonical(symbol))

    async def _outsider(self, rows: list[MemberRow], symbol: str) -> Symbol:
        """`symbol`, eligible to join and not one of the members `rows`."""
        row = await self._eligible_symbol(symbol)
        if any(r.symbol.id == row.id for r in rows):
            raise AlreadyMember(
                f"{row.symbol} is already a member (rank {await self._rank_of(rows, row)})"
            )
        return row

    async def _find_member(self, rows: list[MemberRow], symbol: str) -> MemberRow:
        """The member named by its stored canonical or KuCoin form (so a member whose contract
        KuCoin no longer lists can still leave), else by any form the converter knows."""
        name = symbol.strip().upper()
        for r in rows:
            if name in (r.symbol.symbol, r.symbol.kucoin_symbol):
                return r
        canonical = await self.gateway.canonical(symbol)
        for r in rows:
            if r.symbol.symbol == canonical:
                return r
        raise NotMember(f"{canonical} is not an active member of the portfolio")

    async def _targets(self, symbols: list[Symbol], config: PortfolioConfig) -> WeightsRead:
        return await self.weights_for(symbols, config, now=utcnow())

    async def _join(self, row: Symbol, *, seat: int, weight: Decimal) -> PortfolioMember:
        member = PortfolioMember(
            symbol_id=row.id,
            seat=seat,
            weight=weight,
            status="active",
            included_at=utcnow(),
            entry_price=await entry_price(self.prices, row),
        )
        self.portfolio.add(member)
        await self.session.flush()
        return member

    async def _leave(self, member: PortfolioMember) -> None:
        member.status, member.removed_at = "removed", utcnow()
        await self.session.flush()

    async def _rank_of(self, rows: list[MemberRow], symbol: Symbol) -> int:
        return (await ranks_of(self.session, rows))[symbol.id]

    async def _audited(
        self,
        action: str,
        targets: WeightsRead,
        before: dict[str, float],
        actor: Actor,
        reason: str | None,
        *,
        joining: Symbol | None = None,
        **columns: Any,
    ) -> Change:
        """The members weighed to `targets` and `action` audited, with `columns` and, when a
        symbol is `joining`, its rank and weight."""
        after = await self.portfolio.active()
        for r in after:
            r.member.weight = targets.weights[r.symbol.symbol]
        await self.session.flush()
        ranks = await ranks_of(self.session, after)
        if joining is not None:
            weight = targets.weights[joining.symbol]
            columns.update(symbol=joining.symbol, new_rank=ranks[joining.id], new_weight=weight)
        history = await record_change(
            self.session,
            action,
            after=after,
            before=before,
            targets=targets,
            actor=actor,
            reason=reason,
            now=utcnow(),
            ranks=ranks,
            **columns,
        )
        return Change(history, targets)


def my_symbols_service(session: AsyncSession, state: PortfolioState) -> MySymbolsService:
    """The portfolio's door on `session`, with the app's gateway and prices."""
    return MySymbolsService(session, state.gateway, state.prices)
