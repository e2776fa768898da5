"""Move the forward record forward: every hour whose candles are stored since the last one is
marked, decided and judged (`app.records.keeping.forward`), in one transaction.

The record starts at the first whole hour after its first update (deployment): it is never
backfilled over history the service merely imported. Each hour reads the stored history window
its decisions need (the scorer's candles, the weights' and correlations' lookbacks, the
baselines' momentum), as a replay of the same stored history reads it, so a shadow book costs no
KuCoin request.

Exactly once: the record moves by a compare-and-set on its last hour, and every row has a
primary key, so two replicas (or a retry after a crash) never count an hour twice; a transaction
that loses raises `LostRace` and keeps nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.books.db_source import NoStoredHistory
from app.books.replay_config import policy_config
from app.books.simulation.coefficients import BETA_HOURS
from app.books.simulation.replay_params import ReplayParams
from app.market.contracts.trading_sessions import WINDOW_HOURS as SESSION_WINDOW_HOURS
from app.platform.core.clock import utcnow
from app.platform.core.units import HOUR, HOUR_MS, from_epoch_ms, to_epoch_ms
from app.platform.db.json_text import serialized_fast
from app.platform.settings_store.fields import declared_settings
from app.platform.settings_store.reader import read_typed, read_values
from app.portfolio.policy.settings import PolicyConfig, PolicySettings
from app.records.as_run_update import RecordCosts
from app.records.hours import ceil_hour, floor_hour
from app.records.keeping.challengers import CHALLENGERS, Challenger
from app.records.keeping.forward import (
    POLICY,
    Baselines,
    ForwardState,
    ShadowTrack,
    challenger_book,
)
from app.records.keeping.forward_days import DayJudged
from app.records.kept_state import keep_state, take_state
from app.records.models import ForwardDay, ForwardHour, ForwardTrade
from app.records.repository.as_run import AsRunRepository
from app.records.repository.forward import (
    ForwardDayRow,
    ForwardHourRow,
    ForwardRepository,
    ForwardTradeRow,
)
from app.records.window import warm_window, window_history
from app.scoring.config_in_force import load_run_config

MAX_HOURS_PER_UPDATE = 24 * 7  # a long catch-up moves a week per transaction
LAG_H = ReplayParams(0, 0, 1).execution_lag_h  # the replay's default: trade an hour later
BASELINES = Baselines()


def window_hours(config: PolicyConfig, baselines: Baselines) -> int:
    """The hours of history a decision reads: the scorer's candles, the weights' and the
    correlation's lookbacks, the betas', the listing age, the baselines' momentum, and the
    session rule's 8 weeks closed by the decision day's 00:00 (a window shorter than that would
    class a contract from less history than a replay of the same store does)."""
    return 2 + max(
        SESSION_WINDOW_HOURS + 24,
        config.candles,
        config.weights_lookback_hours,
        config.correlation_window_hours,
        BETA_HOURS,
        int(config.min_listing_days * 24) + 1,
        baselines.momentum_days * 24 + 1,
    )


@dataclass(frozen=True)
class ForwardUpdated:
    marked_from: datetime | None
    marked_to: datetime | None
    hours: int
    days: int

    def to_json(self) -> dict[str, Any]:
        iso = [None if m is None else m.isoformat() for m in (self.marked_from, self.marked_to)]
        return {"from": iso[0], "to": iso[1], "hours": self.hours, "days_judged": self.days}


NOTHING = ForwardUpdated(None, None, 0, 0)


async def shadow_tracks(
    session: AsyncSession, inception: datetime, challengers: Sequence[Challenger] = CHALLENGERS
) -> list[ShadowTrack]:
    """The policy in force, then every registered challenger (each from its registration): the
    deployment's configuration with the challenger's scoring overrides."""
    run = await load_run_config(session)
    settings = await read_values(session, declared_settings(PolicySettings))
    start = to_epoch_ms(inception)
    tracks = [ShadowTrack(POLICY, policy_config(run, settings), start)]
    for challenger in challengers:
        config = policy_config(run, settings, challenger.overrides)
        begins = max(start, to_epoch_ms(ceil_hour(challenger.registered_at)))
        tracks.append(ShadowTrack(challenger_book(challenger.name), config, begins))
    return tracks


class ForwardUpdater:
    """Marks the forward record forward (the `forward_record` job's body)."""

    def __init__(
        self, session: AsyncSession, challengers: Sequence[Challenger] = CHALLENGERS
    ) -> None:
        self.session = session
        self.challengers = challengers
        self.records = ForwardRepository(session)
        self.market = AsRunRepository(session)
        self.state: ForwardState | None = None  # the state an update stored

    async def update(self, now: datetime | None = None) -> ForwardUpdated:
        now = now or utcnow()
        record = await self.records.get()
        if record is None:
            inception = ceil_hour(now)
            await self.records.create(
                inception, inception - HOUR, ForwardState.fresh(BASELINES).to_json()
            )
            return ForwardUpdated(None, None, 0, 0)
        last_open = await self.market.last_candle_open()
        if last_open is None:
            return NOTHING
        end = min(last_open + HOUR, floor_hour(now), record.last_hour + HOUR * MAX_HOURS_PER_UPDATE)
        if end <= record.last_hour:
            await self.warm()  # the next hour then reads that hour only
            return NOTHING
        state = take_state(self.session, record.last_hour, record.updated_at)
        if state is None:
            state = ForwardState.of(await self.records.state())
        tracks = await shadow_tracks(self.session, record.inception_at, self.challengers)
        costs = await read_typed(self.session, RecordCosts)
        fee, slippage = costs.fee_bps, costs.slippage_bps
        rows = _Rows(fee, slippage, {t.book: t.config_hash for t in tracks})
        hours = 0
        moment = record.last_hour + HOUR
        while moment <= end:
            await self._hour(state, moment, tracks, (fee + slippage) / 1e4, rows)
            hours += 1
            moment += HOUR
        # The record moves first: a replica that lost the race stops here, before writing.
        # Policies hold only strings and ints (shadow.py): orjson writes them.
        document = serialized_fast(state.to_json(), ["policies"])
        updated_at = await self.records.advance(record.last_hour, end, document)
        keep_state(self.session, end, updated_at, state)
        self.state = state
        await self.records.add(ForwardHour, rows.hours)
        await self.records.add(ForwardTrade, rows.trades)
        await self.records.add(ForwardDay, rows.days)
        return ForwardUpdated(record.last_hour + HOUR, end, hours, len(rows.days))

    async def warm(self) -> None:
        """Keep the window the record's last marked hour read (`warm_window`), so that the
        next hour's update reads only that hour, not the whole window (the first update after
        a start, or on a replica that has just come to lead)."""
        record = await self.records.get()
        if record is None:
            return
        run = await load_run_config(self.session)
        config = policy_config(
            run, await read_values(self.session, declared_settings(PolicySettings))
        )
        span = HOUR * window_hours(config, BASELINES)
        with contextlib.suppress(NoStoredHistory):
            await warm_window(self.session, record.last_hour - span, record.last_hour - HOUR)

    async def _hour(
        self,
        state: ForwardState,
        moment: datetime,
        tracks: list[ShadowTrack],
        cost: float,
        rows: _Rows,
    ) -> None:
        hour_ms = to_epoch_ms(moment)
        span = HOUR * window_hours(tracks[0].config, BASELINES)
        try:
            history = await window_history(self.session, moment - span, moment - HOUR)
        except NoStoredHistory:
            history = None
        closes: dict[str, float] = {}
        if history is not None and int(history.grid_ms[-1]) == hour_ms - HOUR_MS:
            last = history.close[:, -1]
            closes = {
                s: float(c)
                for s, c in zip(history.symbols, last.tolist(), strict=True)
                if np.isfinite(c)
            }
        rates: dict[str, float] = defaultdict(float)
        for symbol, at, rate in await self.market.settlements(
            moment, moment + HOUR - timedelta(microseconds=1)
        ):
            if floor_hour(at) == moment:
                rates[symbol] += rate
        equity = state.mark(closes, rates)
        rows.days.extend(rows.day(d) for d in state.judge(hour_ms, closes, equity))
        # The orders of earlier decisions trade first: this hour's decisions replace them.
        turnover, fees = state.trade_due(hour_ms, cost)
        if history is not None and history.size:
            # The books' scorings (some 150 ms on 400 contracts, TA-Lib imported at the first)
            # off the event loop's thread: requests are served meanwhile.
            await asyncio.to_thread(state.decide, hour_ms, history, tracks, BASELINES, LAG_H)
        now_due = state.trade_due(hour_ms, cost)  # a decision without lag trades at once
        turnover.update(now_due[0])
        fees.update(now_due[1])
        rows.hours.extend({"book": b, "at": moment, "equity": v} for b, v in equity.items())
        for book, moved in turnover.items():
            rows.trades.append(rows.trade(book, moment, moved, fees[book], state))


@dataclass
class _Rows:
    fee_bps: float
    slippage_bps: float
    hashes: dict[str, str]  # scoring book -> its configuration's hash
    hours: list[ForwardHourRow] = field(default_factory=list)
    trades: list[ForwardTradeRow] = field(default_factory=list)
    days: list[ForwardDayRow] = field(default_factory=list)

    def trade(
        self, book: str, at: datetime, turnover: float, fees: float, state: ForwardState
    ) -> ForwardTradeRow:
        held = state.books.get(book)
        weights = {} if held is None else _weights(held.units, state.marks, held.cash)
        return {
            "book": book,
            "at": at,
            "weights": weights,
            "turnover": turnover,
            "fees": fees,
            "config_hash": self.hashes.get(book, ""),
            "fee_bps": self.fee_bps,
            "slippage_bps": self.slippage_bps,
        }

    def day(self, judged: DayJudged) -> ForwardDayRow:
        def known(value: float) -> float | None:
            return value if np.isfinite(value) else None

        return {
            "book": judged.book,
            "decided_at": from_epoch_ms(judged.decided_ms),
            "entry_at": from_epoch_ms(judged.entry_ms),
            "following_at": from_epoch_ms(judged.following_ms),
            "book_return": known(judged.book_return),
            "skill_ic": known(judged.skill_ic),
            "universe_return": known(judged.universe_return),
            "config_hash": judged.config_hash,
            "fee_bps": self.fee_bps,
            "slippage_bps": self.slippage_bps,
        }


def _weights(units: dict[str, float], marks: dict[str, float], cash: float) -> dict[str, float]:
    """A book's weights right after it traded (fractions of its value)."""
    values = {s: u * marks[s] for s, u in units.items()}
    total = cash + sum(values.values())
    return {s: v / total for s, v in values.items()} if total > 0 else {}
