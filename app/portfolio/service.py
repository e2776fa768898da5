"""`MySymbolsService`, the portfolio's service: the use cases the trading engine, the scheduler and
the API call beyond membership changes (those are `MembershipService`'s), async, on the caller's
session; `my_symbols_service` builds it from the app's state for the routers and the jobs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.kucoin.gateway import KucoinGateway
from app.market.prices import PriceCache
from app.platform.core.clock import utcnow
from app.platform.core.errors import ValidationFailedError
from app.platform.settings_store.reader import read_setting
from app.portfolio.membership import NotMember
from app.portfolio.models import PortfolioHistory
from app.portfolio.reader import PortfolioReadCache, PortfolioReader
from app.portfolio.rebalance import rebalance, size_position
from app.portfolio.replacement_advice import evaluate_replacements
from app.portfolio.repository import PortfolioRepository
from app.portfolio.risk import (
    check_correlation,
    portfolio_metrics,
    portfolio_statistics,
    record_performance,
)
from app.portfolio.schemas.allocation import PositionSizeRead, RebalanceRead, WeightsRead
from app.portfolio.schemas.analytics import (
    CorrelationRead,
    MetricsRead,
    PerformanceRead,
    StatisticsRead,
)
from app.portfolio.schemas.members import PortfolioRead, ReplacementCandidatesRead
from app.portfolio.schemas.pairlist import Pairlist
from app.portfolio.settings import TIMELINE_MAX_DAYS, load_portfolio_config
from app.portfolio.target_weights import calculate_dynamic_weights
from app.portfolio.timeline_export import Timeline, portfolio_timeline
from app.scoring.settings import SCORE_REFRESH_INTERVAL_S


class PortfolioState(Protocol):
    """What the portfolio's services take from the app's state."""

    @property
    def gateway(self) -> KucoinGateway: ...

    @property
    def prices(self) -> PriceCache: ...

    @property
    def portfolio_cache(self) -> PortfolioReadCache | None: ...


class MySymbolsService:
    """Reads, weights, replacement advice, rebalance, sizing and risk of the portfolio."""

    def __init__(
        self,
        session: AsyncSession,
        gateway: KucoinGateway,
        prices: PriceCache,
        read_cache: PortfolioReadCache | None = None,
    ) -> None:
        self.session = session
        self.gateway = gateway
        self.prices = prices
        self.reader = PortfolioReader(session, prices, read_cache)
        self.portfolio = PortfolioRepository(session)

    # -- reads ---------------------------------------------------------------------------------

    async def get_portfolio(
        self, as_of: datetime | None = None, *, use_cache: bool = True
    ) -> PortfolioRead:
        """The portfolio now, or as the audit trail recorded it at `as_of`."""
        if as_of is not None and as_of < utcnow():
            return await self.reader.as_of(as_of)
        return await self.reader.current(use_cache=use_cache)

    async def get_history(
        self, *, since: datetime | None, symbol: str | None, limit: int
    ) -> list[PortfolioHistory]:
        canonical = None if symbol is None else await self.gateway.canonical(symbol)
        return await self.reader.history(since=since, symbol=canonical, limit=limit)

    async def get_timeline(self, start: datetime | None, end: datetime | None) -> Timeline:
        """The dated membership over [start, end) from the audit trail (`start` None: from its
        first row, at most `timeline_max_days` before `end`; `end` None: now); a range that is
        not forwards, or longer than that, is a 422. An `end` beyond now is now, and a `start`
        beyond it too (nothing is held in the future; the answer says it was clamped), so a
        backtester sending a future end is answered, with what was held up to now."""
        now = utcnow()
        end = now if end is None else end
        if start is not None and start >= end:
            raise ValidationFailedError("from must be before to (to defaults to now)")
        clamped = end > now
        if clamped:
            end = now
            start = None if start is None else min(start, now)
        longest = timedelta(days=await read_setting(self.session, TIMELINE_MAX_DAYS, int))
        if start is not None and end - start > longest:
            raise ValidationFailedError(
                f"from..to spans {(end - start) / timedelta(days=1):.1f} days; at most "
                f"{longest.days} (runtime setting timeline_max_days): ask for it in pieces",
                extra={"timeline_max_days": longest.days},
            )
        return await portfolio_timeline(
            self.session, start, end, earliest=end - longest, clamped_to_now=clamped
        )

    # -- weights ---------------------------------------------------------------------------------

    async def target_weights(self, method: str | None = None) -> WeightsRead:
        """Target weights of the current members by the configured (or given) method."""
        config = await load_portfolio_config(self.session)
        rows = await self.portfolio.active()
        return await calculate_dynamic_weights(
            self.session, [r.symbol for r in rows], config, now=utcnow(), method=method
        )

    # -- replacement and rebalance ---------------------------------------------------------------

    async def evaluate_portfolio_replacement(self) -> ReplacementCandidatesRead:
        """Recommendations for the weakest members, with reasons and blocking reasons."""
        return await evaluate_replacements(self.session, utcnow())

    async def rebalance_portfolio(
        self,
        *,
        dry_run: bool,
        account_balance: float | None,
        positions: Mapping[str, int] | None,
        force: bool,
        actor: Actor,
    ) -> RebalanceRead:
        """Move to target weights when a change exceeds the threshold; orders plan in lots."""
        canonical_positions = None
        if positions is not None:
            canonical_positions = {await self.gateway.canonical(k): v for k, v in positions.items()}
        return await rebalance(
            self.session,
            self.prices,
            dry_run=dry_run,
            account_balance=account_balance,
            positions=canonical_positions,
            force=force,
            actor=actor,
            now=utcnow(),
        )

    async def get_position_size_for_symbol(
        self, symbol: str, account_balance: float, *, volatility_adjusted: bool = False
    ) -> PositionSizeRead:
        """balance x weight / 100, capped at max_position_weight, in lots."""
        return await size_position(
            self.session,
            self.prices,
            await self.gateway.canonical(symbol),
            account_balance=account_balance,
            volatility_adjusted=volatility_adjusted,
            now=utcnow(),
        )

    # -- risk and analytics ----------------------------------------------------------------------

    async def check_portfolio_correlation(self, window_hours: int | None = None) -> CorrelationRead:
        return await check_correlation(self.session, window_hours, utcnow())

    async def update_performance_metrics(
        self,
        symbol: str,
        *,
        pnl: Decimal,
        recorded_at: datetime,
        pnl_pct: Decimal | None,
        notional: Decimal | None,
        actor: Actor,
    ) -> PerformanceRead:
        """Append the engine's PnL report for a member; derived performance since inclusion."""
        canonical = await self.gateway.canonical(symbol)
        row = await self.portfolio.symbol_by_name(canonical)
        if row is None:
            raise NotMember(f"{canonical} is not an active member of the portfolio")
        return await record_performance(
            self.session,
            row,
            pnl=pnl,
            recorded_at=recorded_at,
            pnl_pct=pnl_pct,
            notional=notional,
            source=actor.name,
        )

    async def get_portfolio_analytics(self) -> StatisticsRead:
        """Counts, weights, score summary, concentration and sector mix."""
        return await portfolio_statistics(self.session)

    async def get_portfolio_metrics(self, window_hours: int, level: float) -> MetricsRead:
        """Sharpe, Sortino, Calmar, drawdown, VaR and ES of the current weights."""
        return await portfolio_metrics(self.session, window_hours, level, utcnow())

    async def get_pairlist(self) -> Pairlist:
        """The members in ccxt's unified form (as stored at sync, so a member KuCoin no longer
        lists still has its pair), by rank, with their ranks and weights (and when these were
        set), and how often to ask again (the scoring interval, seconds): what freqtrade's
        RemotePairList reads."""
        view = await self.get_portfolio()
        pairs = [m.ccxt_symbol for m in view.members]
        refresh = await read_setting(self.session, SCORE_REFRESH_INTERVAL_S, int)
        return Pairlist(
            pairs=pairs,
            refresh_period=refresh,
            ranks={m.ccxt_symbol: m.rank for m in view.members},
            weights={m.ccxt_symbol: float(m.weight) for m in view.members},
            weights_as_of=view.weights_as_of,
        )


def my_symbols_service(session: AsyncSession, state: PortfolioState) -> MySymbolsService:
    """The portfolio's service on `session`, with the app's gateway, prices and read cache."""
    return MySymbolsService(session, state.gateway, state.prices, state.portfolio_cache)
