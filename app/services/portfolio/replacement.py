"""Replacement recommendations (`evaluate_portfolio_replacement`): the weakest members against
the best outsiders, with hysteresis, a minimum holding time and a correlation check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import ScoringRun, Symbol, SymbolScore
from app.db.repositories.portfolio import MemberRow, PortfolioRepository
from app.db.repositories.scoring import COMPOSITE, ScoringRepository
from app.portfolio.correlation import pairwise_correlation
from app.services.portfolio.config import PortfolioConfig, load_portfolio_config
from app.services.portfolio.market import hourly_log_returns

ScoresByRun = dict[int, dict[int, SymbolScore]]  # run id -> symbol id -> composite row
OUTSIDERS_TRIED = 5  # per candidate, best first, until one passes every check


@dataclass(frozen=True)
class Confirmation:
    run_id: int
    member_score: float | None
    outsider_score: float | None
    lead: float | None


@dataclass
class Recommendation:
    member: str
    member_rank: int
    member_score: float | None
    outsider: str | None
    outsider_score: float | None
    lead: float | None
    held_hours: float
    confirmations: list[Confirmation] = field(default_factory=list)
    max_correlation: float | None = None
    most_correlated_with: str | None = None
    reasons: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)

    @property
    def actionable(self) -> bool:
        return self.outsider is not None and not self.blocking


@dataclass(frozen=True)
class ReplacementReport:
    evaluated_at: datetime
    run_ids: list[int]  # the scoring runs the hysteresis looked at, newest first
    recommendations: list[Recommendation]


async def evaluate_replacements(session: AsyncSession, now: datetime) -> ReplacementReport:
    """One recommendation per replacement candidate (bottom members by latest composite)."""
    config = await load_portfolio_config(session)
    rows = await PortfolioRepository(session).active()
    scoring = ScoringRepository(session)
    runs = list(await scoring.recent_runs_with_scores(max(config.replacement_confirmations, 1)))
    if not rows or not runs:
        return ReplacementReport(now, [r.id for r in runs], [])
    history = await scoring.component_scores([r.id for r in runs], COMPOSITE)
    latest = history[runs[0].id]
    members = {r.symbol.id for r in rows}
    candidates = sorted(rows, key=lambda r: (_score(latest, r.symbol.id) or -1.0, r.member.rank))
    candidates = candidates[: config.replacement_candidates]
    outsiders = await _outsiders(session, latest, members)
    report = ReplacementReport(now, [r.id for r in runs], [])
    taken: set[int] = set()
    for candidate in candidates:
        remaining = [r.symbol for r in rows if r is not candidate]
        report.recommendations.append(
            await _recommend(
                session, candidate, remaining, outsiders, taken, history, runs, config, now
            )
        )
    return report


async def _outsiders(
    session: AsyncSession, latest: dict[int, SymbolScore], members: set[int]
) -> list[Symbol]:
    ids = [i for i in latest if i not in members]
    if not ids:
        return []
    rows = (await session.scalars(select(Symbol).where(Symbol.id.in_(ids)))).all()
    tradable = [s for s in rows if s.status == "Open" and s.is_eligible and s.delisted_at is None]
    return sorted(tradable, key=lambda s: (-float(latest[s.id].score), s.symbol))


async def _recommend(
    session: AsyncSession,
    candidate: MemberRow,
    remaining: list[Symbol],
    outsiders: list[Symbol],
    taken: set[int],
    history: ScoresByRun,
    runs: list[ScoringRun],
    config: PortfolioConfig,
    now: datetime,
) -> Recommendation:
    latest = history[runs[0].id]
    member_id = candidate.symbol.id
    held = (now - candidate.member.included_at).total_seconds() / 3600
    best: Recommendation | None = None
    for outsider in [o for o in outsiders if o.id not in taken][:OUTSIDERS_TRIED]:
        rec = Recommendation(
            member=candidate.symbol.symbol,
            member_rank=candidate.member.rank,
            member_score=_score(latest, member_id),
            outsider=outsider.symbol,
            outsider_score=_score(latest, outsider.id),
            lead=_lead(latest, outsider.id, member_id),
            held_hours=round(held, 3),
        )
        rec.reasons.append(
            f"{candidate.symbol.symbol} is among the bottom {config.replacement_candidates} "
            "members by composite"
        )
        _check_hysteresis(rec, history, runs, outsider.id, member_id, config)
        if held < config.min_holding_hours:
            rec.blocking.append(f"held {held:.1f} h of the required {config.min_holding_hours:g} h")
        await _check_correlation(session, rec, outsider, remaining, config, now)
        if best is None:
            best = rec
        if rec.actionable:
            taken.add(outsider.id)
            return rec
    if best is None:
        best = Recommendation(
            member=candidate.symbol.symbol,
            member_rank=candidate.member.rank,
            member_score=_score(latest, member_id),
            outsider=None,
            outsider_score=None,
            lead=None,
            held_hours=round(held, 3),
        )
        best.blocking.append("no scored, tradable outsider")
    return best


def _check_hysteresis(
    rec: Recommendation,
    history: ScoresByRun,
    runs: list[ScoringRun],
    outsider_id: int,
    member_id: int,
    config: PortfolioConfig,
) -> None:
    confirmed = 0
    for run in runs[: config.replacement_confirmations]:
        scores = history[run.id]
        lead = _lead(scores, outsider_id, member_id)
        rec.confirmations.append(
            Confirmation(
                run.id,
                _score(scores, member_id),
                _score(scores, outsider_id),
                lead,
            )
        )
        if lead is not None and lead >= config.replacement_margin:
            confirmed += 1
        else:
            break
    needed = config.replacement_confirmations
    if confirmed >= needed:
        rec.reasons.append(
            f"{rec.outsider} leads by at least {config.replacement_margin:g} points "
            f"in the last {needed} scoring runs"
        )
    else:
        rec.blocking.append(
            f"lead of {config.replacement_margin:g} points held in {confirmed} of the "
            f"{needed} consecutive runs required"
        )


async def _check_correlation(
    session: AsyncSession,
    rec: Recommendation,
    outsider: Symbol,
    remaining: list[Symbol],
    config: PortfolioConfig,
    now: datetime,
) -> None:
    if not remaining:
        return
    symbols = [outsider, *remaining]
    returns = await hourly_log_returns(session, symbols, config.correlation_window_hours, now)
    corr = pairwise_correlation(returns)[0, 1:]
    if np.isnan(corr).all():
        rec.blocking.append("correlation with the remaining members unknown (no common candles)")
        return
    k = int(np.nanargmax(corr))
    rec.max_correlation = round(float(corr[k]), 6)
    rec.most_correlated_with = remaining[k].symbol
    if corr[k] >= config.correlation_limit:
        rec.blocking.append(
            f"correlation {corr[k]:.3f} with {remaining[k].symbol} is at or above the "
            f"limit {config.correlation_limit:g}"
        )
    else:
        rec.reasons.append(
            f"highest correlation with the remaining members {corr[k]:.3f} "
            f"< {config.correlation_limit:g}"
        )


def _score(scores: dict[int, SymbolScore], symbol_id: int) -> float | None:
    row = scores.get(symbol_id)
    return None if row is None else float(row.score)


def _lead(scores: dict[int, SymbolScore], outsider_id: int, member_id: int) -> float | None:
    a, b = _score(scores, outsider_id), _score(scores, member_id)
    return None if a is None or b is None else round(a - b, 4)
