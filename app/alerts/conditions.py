"""What is wrong right now: the portfolio's alert conditions, each with a stable fingerprint."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.breaker import BreakerState
from app.kucoin.gateway import KucoinGateway
from app.market.category_verdicts import CATEGORY_ALERT
from app.market.repository.candles import CandleRepository
from app.platform.core.units import HOUR_MIN
from app.platform.settings_store.declaration import between
from app.platform.settings_store.fields import reads, setting
from app.platform.settings_store.reader import read_typed
from app.portfolio.decision_inputs import hourly_log_returns, latest_scores
from app.portfolio.maths.correlation import pairs_over, pairwise_correlation
from app.portfolio.member_exits import MEMBER_EXIT
from app.portfolio.repository import MemberRow, PortfolioRepository
from app.portfolio.settings import ALERT_COOLDOWN_S, PortfolioConfig, load_portfolio_config
from app.portfolio.target_weights import caps_for
from app.records.forward_service import QUALIFIED
from app.scoring.config_rules import BENCHMARK, benchmark_problem
from app.scoring.models import ScoringAlgorithm
from app.scoring.repository import ScoringRepository
from app.scoring.scorers import learned
from app.scoring.scorers.component_registry import parameter_problems
from app.scoring.scorers.components import RISK, RISK_PARAMETERS
from app.scoring.scorers.parameters import ParameterProblem
from app.scoring.scorers.windows import FETCHED, window_problems
from app.scoring.settings import ScoringSettings
from app.stats.performance import max_drawdown

PORTFOLIO_ALERT_KINDS = (
    "delisting",
    "low_score",
    "high_correlation",
    "poor_performance",
    "concentration",
    "stale_data",
    "exchange_unavailable",
    "scoring_parameters",
    "scorer_not_installed",
)
"""The kinds the alert check raises and resolves on each pass."""
ALERT_KINDS = (*PORTFOLIO_ALERT_KINDS, CATEGORY_ALERT, MEMBER_EXIT, QUALIFIED)
"""Every kind. Three are named where they are raised, below the alerts, and stay until they are
acknowledged or their cause ends: `category` (app.market.category_verdicts) when the data rule
newly classes a contract non-crypto or contradicts the exchange or the table, `member_exit`
(app.portfolio.member_exits) when a member is due to leave, `challenger_qualified`
(app.records.forward_service) when the forward rule qualifies a challenger."""


@dataclass(frozen=True)
class Condition:
    kind: str
    fingerprint: str
    severity: str
    message: str
    symbol: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Thresholds:
    """The runtime settings the portfolio's alerts are raised (and a recurrence reopened) by."""

    low_score: float = field(
        metadata=setting(
            "alert_low_score",
            40.0,
            "A member whose latest composite is below this: low_score.",
            between(0, 100),
        )
    )
    max_loss_pct: float = field(
        metadata=setting(
            "alert_max_loss_pct",
            15.0,
            "A member down more than this since inclusion (percent).",
            between(0, 100),
        )
    )
    max_drawdown_pct: float = field(
        metadata=setting(
            "alert_max_drawdown_pct",
            25.0,
            "A member's drawdown since inclusion above (percent).",
            between(0, 100),
        )
    )
    cooldown_s: float = field(metadata=reads(ALERT_COOLDOWN_S))


async def current_conditions(
    session: AsyncSession, gateway: KucoinGateway, now: datetime
) -> list[Condition]:
    config = await load_portfolio_config(session)
    limits = await read_typed(session, Thresholds)
    rows = await PortfolioRepository(session).active()
    scores = await latest_scores(session, [r.symbol.id for r in rows])
    found: list[Condition] = []
    max_weight = caps_for(max(len(rows), 1), config)[1]
    for r in rows:
        name = r.symbol.symbol
        if r.symbol.status != "Open" or r.symbol.delisted_at is not None:
            found.append(
                Condition(
                    "delisting",
                    f"delisting:{name}",
                    "critical",
                    f"member {name} is no longer tradable ({r.symbol.status})",
                    name,
                    {"status": r.symbol.status},
                )
            )
        composite = scores.composite.get(r.symbol.id)
        if composite is not None and composite < limits.low_score:
            found.append(
                Condition(
                    "low_score",
                    f"low_score:{name}",
                    "warning",
                    f"{name} scores {composite:.1f} < {limits.low_score:g}",
                    name,
                    {"composite": composite, "run_id": scores.run.id if scores.run else None},
                )
            )
        if float(r.member.weight) > max_weight + 0.01:
            found.append(
                Condition(
                    "concentration",
                    f"concentration:{name}",
                    "warning",
                    f"{name} weighs {r.member.weight}% > max {max_weight:g}%",
                    name,
                    {"weight": float(r.member.weight), "max_weight": max_weight},
                )
            )
    found += await _performance(session, rows, limits)
    found += await _correlation(session, rows, config, now)
    found += _staleness(rows, scores.age_s(now), config, now)
    breaker = gateway.breaker()
    if breaker.state is BreakerState.OPEN:
        found.append(
            Condition(
                "exchange_unavailable",
                "exchange_unavailable",
                "critical",
                f"KuCoin calls are suspended after repeated failures ({gateway.source})",
                None,
                {"retry_in_s": breaker.retry_in_s, "times_opened": breaker.times_opened},
            )
        )
    found += await _scoring_parameters(session)
    found += await _scorer_not_installed(session)
    return found


async def _scorer_not_installed(session: AsyncSession) -> list[Condition]:
    """The stored algorithm weighs the learned scorer and scikit-learn is not installed: the
    component scores nothing (each composite is the other components', re-weighed, at a lower
    confidence) until the `learned` extra is installed or an admin stops weighing it."""
    rows = await ScoringRepository(session).algorithms()
    weights = {r.name: float(r.weight) if r.is_active else 0.0 for r in rows}
    if not learned.chosen(weights, {}) or learned.available():
        return []
    return [
        Condition(
            "scorer_not_installed",
            f"scorer_not_installed:{learned.COMPONENT}",
            "warning",
            f"scoring weighs the {learned.COMPONENT} component ({weights[learned.COMPONENT]:g}), "
            f"which scores nothing here: {learned.NOT_INSTALLED}; or stop weighing it "
            "(PUT /scoring/algorithms)",
            None,
            {
                "component": learned.COMPONENT,
                "weight": weights[learned.COMPONENT],
                "extra": learned.EXTRA,
            },
        )
    ]


async def _scoring_parameters(session: AsyncSession) -> list[Condition]:
    """A stored scoring parameter outside its declaration, or one of an active component that
    breaks a rule of what the values mean together (a window reading more hourly candles than
    `scoring_candles`, a benchmark no listed contract of the synced universe), written before
    the rule was enforced: the scorer still runs with it, and nothing changes it but an
    admin."""
    rows = await ScoringRepository(session).algorithms()
    candles = (await read_typed(session, ScoringSettings)).candles
    found = [
        _parameter_condition(
            row, problem, "", "PUT /scoring/algorithms with parameters within its parameters_schema"
        )
        for row in rows
        for problem in parameter_problems(row.name, row.parameters)
    ]
    for row in rows:
        if not row.is_active or parameter_problems(row.name, row.parameters):
            continue  # an inactive component reads nothing; one out of bounds is named above
        found += [
            _parameter_condition(
                row,
                problem,
                "candles:",
                f"PUT /scoring/algorithms with a shorter window, or raise {FETCHED} (PUT /config)",
            )
            for problem in window_problems(row.name, row.parameters, candles)
        ]
        benchmark = RISK_PARAMETERS.get(row.parameters, BENCHMARK)
        if row.name == RISK and isinstance(benchmark, str):
            words = await benchmark_problem(session, benchmark, once_synced=True)
            if words is not None:
                problem = ParameterProblem((BENCHMARK,), words, benchmark)
                found.append(
                    _parameter_condition(
                        row,
                        problem,
                        "benchmark:",
                        "PUT /scoring/algorithms with a listed contract as the benchmark",
                    )
                )
    return found


def _parameter_condition(
    row: ScoringAlgorithm, problem: ParameterProblem, rule: str, remedy: str
) -> Condition:
    """The `scoring_parameters` alert of one stored parameter (`rule`: which rule it breaks,
    in its fingerprint, "" for its declaration's)."""
    parameter = ".".join(str(part) for part in problem.path)
    return Condition(
        "scoring_parameters",
        # Cut to the column's width: a stored key may be long; a clash only merges two rows.
        f"scoring_parameters:{rule}{row.name}.{parameter}"[:200],
        "warning",
        f"{problem.named(row.name)}: the scorer still uses it; send {remedy}",
        None,
        {
            "component": row.name,
            "parameter": parameter,
            "value": problem.value,
            "is_active": row.is_active,
        },
    )


async def _performance(
    session: AsyncSession, rows: list[MemberRow], limits: Thresholds
) -> list[Condition]:
    found = []
    candles = CandleRepository(session)
    for r in rows:
        entry = r.member.entry_price
        if not entry or r.symbol.mark_price is None:
            continue
        since = r.member.included_at
        closes = [
            c
            for _, _, c in await candles.closes(
                [r.symbol.id], HOUR_MIN, since, r.symbol.market_data_at or since
            )
        ]
        path = np.array([float(entry), *closes, r.symbol.mark_price])
        loss_pct = (1 - path[-1] / path[0]) * 100
        drawdown_pct = max_drawdown(path) * 100
        if loss_pct > limits.max_loss_pct or drawdown_pct > limits.max_drawdown_pct:
            found.append(
                Condition(
                    "poor_performance",
                    f"poor_performance:{r.symbol.symbol}",
                    "warning",
                    f"{r.symbol.symbol} is {loss_pct:.1f}% down since inclusion "
                    f"(drawdown {drawdown_pct:.1f}%)",
                    r.symbol.symbol,
                    {"loss_pct": round(loss_pct, 4), "drawdown_pct": round(drawdown_pct, 4)},
                )
            )
    return found


async def _correlation(
    session: AsyncSession, rows: list[MemberRow], config: PortfolioConfig, now: datetime
) -> list[Condition]:
    if len(rows) < 2:
        return []
    names = [r.symbol.symbol for r in rows]
    returns = await hourly_log_returns(
        session, [r.symbol for r in rows], config.policy.correlation_window_hours, now
    )
    return [
        Condition(
            "high_correlation",
            f"high_correlation:{a}|{b}",
            "warning",
            f"{a} and {b} correlate {rho:.3f} > {config.policy.replacement.correlation_limit:g}",
            None,
            {"pair": [a, b], "correlation": round(rho, 6)},
        )
        for a, b, rho in pairs_over(
            pairwise_correlation(returns), names, config.policy.replacement.correlation_limit
        )
    ]


def _staleness(
    rows: list[MemberRow], score_age: float | None, config: PortfolioConfig, now: datetime
) -> list[Condition]:
    limit = config.stale_data_limit_s
    stale = [r.symbol.symbol for r in rows if _age(r.symbol.market_data_at, now) > limit]
    old_scores = score_age is not None and score_age > limit
    if not stale and not old_scores:
        return []
    return [
        Condition(
            "stale_data",
            "stale_data",
            "warning",
            "market data or scores are older than the limit: automatic changes are frozen",
            None,
            {"stale_symbols": stale, "score_age_s": score_age, "limit_s": limit},
        )
    ]


def _age(moment: datetime | None, now: datetime) -> float:
    return float("inf") if moment is None else (now - moment).total_seconds()
