"""`AnalyticsService`: the portfolio's analytics (`app.portfolio.routers.analytics`): the
correlation of the current members, the engine's PnL reports and the performance they make, the
portfolio's statistics and the risk ratios of its current weights."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.kucoin.gateway import KucoinGateway
from app.market.service import market_data_between
from app.platform.core.clock import utcnow
from app.platform.core.errors import ValidationFailedError
from app.portfolio.decision_inputs import in_reads_worker, latest_scores
from app.portfolio.maths import risk_statistics
from app.portfolio.maths.heavy_reads import correlation_report, risk_figures
from app.portfolio.membership import NotMember
from app.portfolio.models import PerformanceRecord
from app.portfolio.repository import PortfolioRepository
from app.portfolio.schemas.analytics import (
    CorrelationRead,
    MetricsRead,
    PerformanceRead,
    RiskReportRead,
    StatisticsRead,
)
from app.portfolio.settings import load_policy
from app.portfolio.target_weights import InsufficientMarketData

BENCHMARK = "BTCUSDT"


class AnalyticsService:
    """Correlation, PnL reports, statistics and risk ratios of the current members."""

    def __init__(self, session: AsyncSession, gateway: KucoinGateway) -> None:
        self.session = session
        self.gateway = gateway
        self.portfolio = PortfolioRepository(session)

    async def check_portfolio_correlation(self, window_hours: int | None = None) -> CorrelationRead:
        """Pearson correlation of aligned hourly log returns of the members over the window."""
        now = utcnow()
        policy = await load_policy(self.session)
        window = window_hours or policy.correlation_window_hours
        rows = await self.portfolio.active()
        symbols = [r.symbol for r in rows]
        benchmark = await self.portfolio.symbol_by_name(BENCHMARK)
        # The benchmark's closes come last; a member benchmark appears twice, on purpose.
        with_benchmark = symbols + ([benchmark] if benchmark is not None else [])
        names = [s.symbol for s in symbols]
        limit = policy.replacement.correlation_limit
        report = await in_reads_worker(
            self.session, with_benchmark, window, now, correlation_report, names, limit
        )
        correlation = CorrelationRead.model_validate(report)
        if names:
            since = now - timedelta(hours=window)
            correlation.market_data = await market_data_between(self.session, since, now)
        return correlation

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
        rows = await self.portfolio.active()
        member = next((r for r in rows if r.symbol.id == row.id), None)
        if member is None:
            raise NotMember(f"{row.symbol} is not an active member; PnL is kept for members only")
        await self.portfolio.add_performance(
            PerformanceRecord(
                symbol_id=row.id,
                recorded_at=recorded_at,
                pnl=pnl,
                pnl_pct=pnl_pct,
                notional=notional,
                source=actor.name,
            )
        )
        records = await self.portfolio.performance([row.id], since=member.member.included_at)
        pnls = [r.pnl for r in records]
        cumulative, peak, drawdown = Decimal(0), Decimal(0), Decimal(0)
        for value in pnls:
            cumulative += value
            peak = max(peak, cumulative)
            drawdown = max(drawdown, peak - cumulative)
        return PerformanceRead(
            symbol=row.symbol,
            records=len(pnls),
            pnl_since_inclusion=cumulative,
            max_drawdown=drawdown,
            win_rate=risk_statistics.win_rate([float(p) for p in pnls]) if pnls else None,
            included_at=member.member.included_at,
        )

    async def get_portfolio_analytics(self) -> StatisticsRead:
        """Counts, weights, score summary, concentration and sector mix."""
        policy = await load_policy(self.session)
        rows = await self.portfolio.active()
        weights = [float(r.member.weight) for r in rows]
        scores = await latest_scores(self.session, [r.symbol.id for r in rows])
        composites = [
            scores.composite[r.symbol.id] for r in rows if r.symbol.id in scores.composite
        ]
        sectors: dict[str, float] = {}
        for r, w in zip(rows, weights, strict=True):
            sector = r.symbol.sector or "unclassified"
            sectors[sector] = sectors.get(sector, 0.0) + w
        return StatisticsRead(
            member_count=len(rows),
            max_symbols=policy.max_symbols,
            weights={
                "min": min(weights, default=0.0),
                "max": max(weights, default=0.0),
                "mean": statistics.fmean(weights) if weights else 0.0,
                "total": round(sum(weights), 4),
            },
            composite_summary={
                "min": min(composites, default=None),
                "max": max(composites, default=None),
                "mean": statistics.fmean(composites) if composites else None,
            },
            herfindahl=risk_statistics.herfindahl(weights) if weights else None,
            effective_members=risk_statistics.effective_members(weights) if weights else None,
            sectors={k: round(v, 4) for k, v in sorted(sectors.items())},
        )

    async def get_portfolio_metrics(self, window_hours: int, level: float) -> MetricsRead:
        """Sharpe, Sortino, Calmar, drawdown, VaR and ES of the current weights, applied to
        the members' stored hourly returns."""
        now = utcnow()
        if not 0.5 <= level < 1:
            raise ValidationFailedError("level must be in [0.5, 1)")
        rows = await self.portfolio.active()
        if not rows:
            return MetricsRead(
                window_hours=window_hours, observations=0, members_used=[], report=None
            )
        members, weights = [r.symbol for r in rows], [float(r.member.weight) for r in rows]
        report = await in_reads_worker(
            self.session, members, window_hours, now, risk_figures, weights, level
        )
        if report is None:
            raise InsufficientMarketData(
                "fewer than 2 hourly portfolio returns stored in the window; refresh scores first"
            )
        observations, risk = report
        read_from = now - timedelta(hours=window_hours)
        return MetricsRead(
            window_hours=window_hours,
            observations=observations,
            members_used=[r.symbol.symbol for r in rows],
            report=RiskReportRead.model_validate(risk),
            market_data=await market_data_between(self.session, read_from, now),
        )
