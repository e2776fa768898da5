"""Measures what decided signals did next and keeps each agent's record and weight."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.market.candles import last_closed_open_time
from app.market.repository.candles import CandleRepository
from app.platform.core.units import HOUR, HOUR_MIN
from app.signals.repository import PAGE, SignalRepository
from app.signals.voting.agent_weights import (
    AgentRecord,
    ScoredVote,
    calibrate,
    forward_return,
    horizon_hours,
)
from app.signals.voting.agents import AGENTS


class SignalOutcomeService:
    """Measures decided signals' outcomes and keeps each agent's record and consensus weight,
    reading the signals a page at a time."""

    def __init__(self, session: AsyncSession, page: int = PAGE) -> None:
        self.page = page
        self.session = session
        self.signals = SignalRepository(session)

    async def measure_outcomes(self, now: datetime) -> int:
        """Give decided signals whose horizon has passed their forward return from stored
        hourly closes (the last candle closed at evaluation vs the last closed at the
        horizon)."""
        candles = CandleRepository(self.session)
        measured, after = 0, 0
        while page := await self.signals.unmeasured_decided(after_id=after, limit=self.page):
            after = page[-1].id
            for signal in page:
                assert signal.evaluated_at is not None and signal.symbol_id is not None
                end = signal.evaluated_at + timedelta(hours=horizon_hours(signal.timeframe))
                if end > now:
                    continue
                since = signal.evaluated_at - 2 * HOUR
                rows = await candles.closes([signal.symbol_id], HOUR_MIN, since, end)
                entry = _last_closed_by(rows, signal.evaluated_at)
                exit_ = _last_closed_by(rows, end)
                if entry is None or exit_ is None or exit_[0] <= entry[0]:
                    continue  # not stored (yet): measured on a later pass
                signal.forward_return = forward_return(signal.direction, entry[1], exit_[1])
                measured += 1
            await self.session.flush()
        return measured

    async def agent_records(self) -> dict[str, AgentRecord]:
        """Each agent's measured record and its consensus weight (the prior when unmeasured)."""
        votes: dict[str, list[ScoredVote]] = {agent: [] for agent in AGENTS}
        after = 0
        while page := await self.signals.measured_votes(after_id=after, limit=self.page):
            after = page[-1][0]
            for _, forward, signal_votes in page:
                succeeded = forward > 0
                for vote in signal_votes:
                    if vote["agent"] in votes:
                        votes[vote["agent"]].append(
                            ScoredVote(vote["decision"], float(vote["confidence"]), succeeded)
                        )
        return {agent: calibrate(agent_votes) for agent, agent_votes in votes.items()}


def _last_closed_by(
    rows: Sequence[tuple[int, datetime, float]], moment: datetime
) -> tuple[datetime, float] | None:
    """The close of the candle that closed last at `moment`; None unless it is stored (a
    shorter horizon or an earlier candle would measure something else)."""
    wanted = last_closed_open_time(moment, HOUR)
    closes = [(t, c) for _, t, c in rows if t == wanted]
    return closes[0] if closes else None
