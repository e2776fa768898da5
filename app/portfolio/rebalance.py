"""`RebalanceService`: the portfolio moved to its target weights (`rebalance_portfolio`, the
`auto_rebalance` job's and `POST /portfolio/rebalance`'s), with its orders plan in lots, and a
member's position size (`get_position_size_for_symbol`). The weights are `MySymbolsService`'s."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.kucoin.exchange_errors import ExchangeError
from app.kucoin.gateway import KucoinGateway
from app.market.contracts.data_source import Provenance
from app.market.models import Symbol
from app.market.prices import PriceCache
from app.market.repository.sources import MarketDataSourceRepository
from app.market.schemas import MarketDataRead
from app.platform.core.clock import utcnow
from app.platform.core.errors import ConflictError, ValidationFailedError
from app.platform.core.ticks import on_tick
from app.platform.core.units import HOURS_PER_YEAR
from app.portfolio.audit import record_rebalance
from app.portfolio.decision_inputs import hourly_log_returns
from app.portfolio.maths.sizing import OrderLine, order_plan, position_size
from app.portfolio.membership import NotMember
from app.portfolio.policy.weight_rules import needs_rebalance
from app.portfolio.repository import MemberRow, PortfolioRepository
from app.portfolio.schemas.allocation import (
    OrderLineRead,
    PositionSizeRead,
    RebalanceRead,
    WeightChangeRead,
)
from app.portfolio.service import MySymbolsService
from app.portfolio.settings import PortfolioConfig, load_portfolio_config
from app.portfolio.target_weights import caps_for
from app.scoring.repository import ScoringRepository
from app.stats.performance import volatility as annualised_volatility

VOLATILITY_HOURS = 168
REASON = "scheduled"  # a rebalance's audit reason, unless forced while inputs were stale


class MarketDataStale(ConflictError):
    slug, title = "market-data-stale", "Market data is stale; automatic changes are frozen"


class RebalanceService:
    """Moves the portfolio to its target weights, and sizes a member's position."""

    def __init__(self, session: AsyncSession, gateway: KucoinGateway, prices: PriceCache) -> None:
        self.session = session
        self.gateway = gateway
        self.prices = prices
        self.portfolio = PortfolioRepository(session)
        self.weighting = MySymbolsService(session, gateway, prices)

    async def rebalance_portfolio(
        self,
        *,
        dry_run: bool,
        account_balance: float | None,
        positions: Mapping[str, int] | None,
        force: bool,
        actor: Actor,
    ) -> RebalanceRead:
        """Recompute target weights; apply changes above the threshold unless `dry_run`; the
        orders plan in lots (against the engine's `positions`, in any symbol form, when given)."""
        if positions is not None:
            positions = {await self.gateway.canonical(k): v for k, v in positions.items()}
        now = utcnow()
        await self.portfolio.lock()
        config = await load_portfolio_config(self.session)
        rows = await self.portfolio.active()
        stale = await stale_inputs(self.session, rows, config, now)
        if stale and not force:
            raise MarketDataStale(
                "rebalancing is frozen while inputs are stale: " + "; ".join(stale),
                extra={"stale_inputs": stale},
            )
        targets = await self.weighting.weights_for([r.symbol for r in rows], config, now=now)
        threshold = Decimal(str(config.policy.rebalance_threshold_pct))
        current = {r.symbol.symbol: r.member.weight for r in rows}
        apply = needs_rebalance(current, targets.weights, config.policy.rebalance_threshold_pct)
        applying = apply and not dry_run
        changes = []
        for r in rows:
            target = targets.weights[r.symbol.symbol]
            difference = target - r.member.weight
            changes.append(
                WeightChangeRead(
                    symbol=r.symbol.symbol,
                    current_weight=r.member.weight,
                    target_weight=target,
                    difference=difference,
                    above_threshold=abs(difference) > threshold,
                    applied=applying and difference != 0,
                )
            )
        orders = []
        if account_balance is not None:
            orders = _orders(rows, targets.weights, account_balance, positions, self.prices)
        forced = bool(stale) and force
        history_id = None
        if applying:
            entry = await record_rebalance(
                self.session,
                rows,
                targets,
                actor=actor,
                reason="forced while inputs were stale" if forced else REASON,
                now=now,
                details={"threshold_pct": config.policy.rebalance_threshold_pct},
            )
            history_id = entry.id
        return RebalanceRead(
            evaluated_at=now,
            request_id=actor.request_id,
            dry_run=dry_run,
            method=targets.method,
            threshold_pct=config.policy.rebalance_threshold_pct,
            changes=changes,
            changes_applied=sum(c.applied for c in changes),
            history_id=history_id,
            orders=[OrderLineRead.model_validate(line) for line in orders],
            account_balance=account_balance,
            stale_inputs=stale,
            forced=forced,
        )

    async def get_position_size_for_symbol(
        self, symbol: str, account_balance: float, *, volatility_adjusted: bool = False
    ) -> PositionSizeRead:
        """balance x weight / 100, capped at max_position_weight, in whole lots."""
        canonical = await self.gateway.canonical(symbol)
        now = utcnow()
        config = await load_portfolio_config(self.session)
        rows = await self.portfolio.active()
        row = next((r for r in rows if r.symbol.symbol == canonical), None)
        if row is None:
            raise NotMember(f"{canonical} is not an active member of the portfolio")
        price, source = await _live_price(row.symbol, self.prices)
        volatility = None
        if volatility_adjusted:
            hours = VOLATILITY_HOURS
            returns = (await hourly_log_returns(self.session, [row.symbol], hours, now))[0]
            known = returns[~np.isnan(returns)]
            if known.size < 24:
                raise ValidationFailedError(
                    f"{canonical} has fewer than 24 hourly returns stored; "
                    "ask without volatility_adjusted or refresh scores"
                )
            volatility = annualised_volatility(known, HOURS_PER_YEAR)
        size = position_size(
            account_balance,
            float(row.member.weight),
            # A max cap no weights could meet is relaxed for sizing exactly as for the weights.
            100.0
            if "max_position_weight" in caps_for(len(rows), config)[2]
            else config.policy.max_weight,
            price,
            float(row.symbol.multiplier),
            int(row.symbol.lot_size),
            row.symbol.max_leverage,
            volatility=volatility,
            target_volatility=config.target_volatility if volatility_adjusted else None,
        )
        kinds = {self.prices.gateway.source_kind}  # the price: the source read now
        if volatility_adjusted:  # the volatility: the stored candles'
            since = now - timedelta(hours=VOLATILITY_HOURS)
            kinds |= set(
                (await MarketDataSourceRepository(self.session).between(since, now)).sources
            )
        return PositionSizeRead(
            symbol=canonical,
            weight_pct=row.member.weight,
            price=price,
            price_source=source,
            volatility=volatility,
            market_data=MarketDataRead.of(Provenance.of(kinds)),
            **asdict(size),
        )


async def stale_inputs(
    session: AsyncSession, rows: list[MemberRow], config: PortfolioConfig, now: datetime
) -> list[str]:
    """Why automatic changes freeze now (old scores, a member's old market data); [] if fresh."""
    limit = config.stale_data_limit_s
    stale = []
    run = await ScoringRepository(session).latest_run(with_scores=True)
    age = None if run is None else (now - run.started_at).total_seconds()
    if age is None or age > limit:
        stale.append("no scoring run yet" if age is None else f"scores are {age:.0f} s old")
    for r in rows:
        data_at = r.symbol.market_data_at
        if data_at is None or (now - data_at).total_seconds() > limit:
            stale.append(f"{r.symbol.symbol} market data older than {limit:g} s")
    return stale


def _price(symbol: Symbol, prices: PriceCache) -> tuple[float, str]:
    """The streamed mid when fresh, else the stored mark: on the contract's tick."""
    cached = prices.peek_fresh(symbol.symbol, utcnow())
    if cached is not None:
        return on_tick(cached.mid, symbol.tick_size), cached.source
    if symbol.mark_price is None:
        raise ConflictError(f"no price known for {symbol.symbol}; sync the universe first")
    return on_tick(symbol.mark_price, symbol.tick_size), "stored_mark"


def _orders(
    rows: list[MemberRow],
    weights: Mapping[str, Decimal],
    balance: float,
    positions: Mapping[str, int] | None,
    prices: PriceCache,
) -> list[OrderLine]:
    """Per member: target lots at the mark price vs the engine's current lots (given), or
    vs what the current weights imply when the engine did not say."""
    lines = []
    for r in rows:
        price, _ = _price(r.symbol, prices)
        multiplier, lot = float(r.symbol.multiplier), int(r.symbol.lot_size)
        if positions is not None:
            current = int(positions.get(r.symbol.symbol, 0))
        else:
            implied = balance * float(r.member.weight) / 100 / (multiplier * price)
            current = int(implied // lot) * lot
        lines.append(
            (r.symbol.symbol, float(weights[r.symbol.symbol]), current, price, multiplier, lot)
        )
    return order_plan(balance, lines)


async def _live_price(symbol: Symbol, prices: PriceCache) -> tuple[float, str]:
    """The freshest price (stream or REST ticker; the stored mark only when KuCoin fails), on
    the contract's tick."""
    try:
        point = await prices.get(symbol.symbol)
        price = on_tick(point.mid, symbol.tick_size)
        return price, point.source if not point.stale else "stale_cache"
    except ExchangeError:
        return _price(symbol, prices)
