"""Exits that do not wait, live: at the end of a scoring run, each member's facts as the database
knows them, judged by the exit rule the replay uses (`app.portfolio.policy.exit_rule`).

A due exit is replaced by the best eligible outsider of the run that passes the correlation
limit (no margin, confirmations or holding time), through `MySymbolsService` under the
portfolio's lock, its audit row carrying the reason `exit:<code>` (and so its
`portfolio_changed` event and webhook); with `auto_replace_exits` off it is only proposed
(a `replacement_proposed` event). Either way a `member_exit` alert says what left, for what and
why. How long a contract has been Paused is read from `symbol.delisted_at`: the universe sync
sets it when a contract stops being Open and clears it when it reopens.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.log import AlertLog
from app.callers.actor import Actor
from app.market.models import Symbol
from app.market.repository.candles import CandleRepository
from app.market.repository.symbols import SymbolRepository
from app.platform.core.units import HOUR, HOUR_MIN
from app.platform.db.repositories.outbox import EventRepository
from app.platform.settings_store.fields import reads
from app.platform.settings_store.reader import read_typed
from app.portfolio.decision_inputs import hourly_log_returns
from app.portfolio.maths.correlation import pairwise_correlation
from app.portfolio.policy.exit_rule import (
    GONE,
    OPEN,
    PAUSED,
    Exit,
    ExitFact,
    choose_replacements,
    due_exits,
    exit_outsiders,
)
from app.portfolio.policy.replacement_facts import CorrelationTable, OutsiderFact
from app.portfolio.repository import MemberRow, PortfolioRepository
from app.portfolio.service import MySymbolsService
from app.portfolio.settings import (
    ALERT_COOLDOWN_S,
    AUTO_REPLACE_EXITS,
    AUTOPILOT_ON,
    PortfolioConfig,
    load_portfolio_config,
)
from app.scoring.models import ScoringRun
from app.scoring.repository import ScoringRepository
from app.scoring.scorers.composite import COMPOSITE

MEMBER_EXIT = "member_exit"  # the alert kind of a member due to leave

UNSCORED = "UNSCORED"  # a member neither scored nor excluded by the run (as the replay says)
EXPIRY = "SCHEDULED_EXPIRY"  # the universe sync's eligibility reason for a dated contract


@dataclass(frozen=True)
class ExitSettings:
    """Whether exits are replaced (or proposed) here, and the alert cooldown they are raised by."""

    auto_replace_exits: bool = field(metadata=reads(AUTO_REPLACE_EXITS))
    autopilot: bool = field(metadata=reads(AUTOPILOT_ON))
    alert_cooldown_s: float = field(metadata=reads(ALERT_COOLDOWN_S))


@dataclass(frozen=True)
class ExitOutcome:
    """One due exit and what became of it."""

    member: str
    outsider: str | None  # None: no eligible outsider passed the limit (a drop)
    reason: str  # exit:<code>
    executed: bool  # False: proposed only (`auto_replace_exits` off)
    history_id: int | None  # the audit row, when executed
    alert_id: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ExitDecision:
    facts: list[ExitFact]  # every member's, in rank order
    exits: list[Exit]


class ExitService:
    """Judges the members after a scoring run and replaces (or proposes) the exits due."""

    def __init__(self, session: AsyncSession, membership: MySymbolsService) -> None:
        self.session = session
        self.membership = membership
        self.portfolio = PortfolioRepository(session)

    async def apply_exits(
        self,
        run: ScoringRun,
        *,
        actor: Actor,
        now: datetime | None = None,
    ) -> list[ExitOutcome]:
        """Replace (or propose replacing, as `auto_replace_exits` says) every member that must
        exit after `run`; nothing when the run scored nothing (automatic changes freeze while
        inputs are stale)."""
        if not run.scored_count:
            return []
        now = now or run.started_at
        config = await load_portfolio_config(self.session)
        settings = await read_typed(self.session, ExitSettings)
        # With autopilot on, the policy book's hourly pass is the portfolio's one automatic
        # writer (the book's own exits, at the next hour it marks): a second writer here would
        # part the as-run record from the policy's.
        execute = settings.auto_replace_exits and not settings.autopilot
        decision = await self.decide(run, config, now)
        if not decision.exits:
            return []
        if execute:  # decided again under the lock: the members as no other writer changes them
            await self.portfolio.lock()
            decision = await self.decide(run, config, now)
        facts = {f.symbol: f for f in decision.facts}
        cooldown = timedelta(seconds=settings.alert_cooldown_s)
        outcomes = []
        for due in decision.exits:
            history_id = None
            if execute:
                history_id = await self._execute(due, actor)
            else:
                await self._propose(due, run)
            alert_id = await self._alert(
                due, facts[due.member], run, history_id, cooldown, autopilot=settings.autopilot
            )
            outcomes.append(
                ExitOutcome(due.member, due.outsider, due.reason, execute, history_id, alert_id)
            )
        return outcomes

    async def decide(self, run: ScoringRun, config: PortfolioConfig, now: datetime) -> ExitDecision:
        """The members' facts after `run` and the exits due, each with its newcomer."""
        rows = await self.portfolio.active()
        facts = await self.facts(rows, run, now)
        due = due_exits(facts, config.policy.exit_grace_hours)
        if not due:
            return ExitDecision(facts, [])
        leaving = {d.member.id for d in due}
        remaining = [r.symbol for r in rows if r.symbol.id not in leaving]
        composite = {
            symbol_id: float(row.score)
            for symbol_id, row in (
                await ScoringRepository(self.session).component_scores([run.id], COMPOSITE)
            )[run.id].items()
        }
        held = {r.symbol.id for r in rows}
        candidates = await SymbolRepository(self.session).get_many(
            [i for i in composite if i not in held]
        )
        tradable = {s.id: s for s in candidates if _tradable(s)}
        outsiders = [OutsiderFact(s.id, s.symbol) for s in tradable.values()]
        ranked = exit_outsiders(outsiders, composite, len(due))
        symbols = remaining + [tradable[o.id] for o in ranked]
        returns = await hourly_log_returns(
            self.session, symbols, config.policy.correlation_window_hours, now
        )
        table = CorrelationTable([s.id for s in symbols], pairwise_correlation(returns))
        exits = choose_replacements(
            due,
            [s.id for s in remaining],
            ranked,
            table,
            config.policy.replacement.correlation_limit,
        )
        return ExitDecision(facts, exits)

    async def facts(self, rows: list[MemberRow], run: ScoringRun, now: datetime) -> list[ExitFact]:
        """What the database knows of each member (in rank order) at `now`: the run's gate
        reason, the contract's stored status, listing and expiry, how long it has been Paused,
        and its last stored candle's age."""
        ids = [r.symbol.id for r in rows]
        scored = (await ScoringRepository(self.session).component_scores([run.id], COMPOSITE, ids))[
            run.id
        ]
        excluded: dict[str, str] = (run.exclusions or {}).get("symbols", {})
        latest = await CandleRepository(self.session).latest_open_times(ids, HOUR_MIN)
        facts = []
        for r in rows:
            s = r.symbol
            gate = None if s.id in scored else excluded.get(s.symbol, UNSCORED)
            last = latest.get(s.id)
            age = math.inf if last is None else (now - (last + HOUR)) / HOUR
            paused = 0.0
            if s.status == PAUSED and s.delisted_at is not None:
                paused = max((now - s.delisted_at) / HOUR, 0.0)
            facts.append(
                ExitFact(
                    s.id,
                    s.symbol,
                    gate,
                    age,
                    status=s.status,
                    listed=s.status != GONE,
                    expiring=s.eligibility_reason == EXPIRY,
                    paused_hours=paused,
                )
            )
        return facts

    async def _execute(self, due: Exit, actor: Actor) -> int:
        """The replacement (or the drop), audited with the exit's reason; the audit row's id."""
        if due.outsider is None:
            change = await self.membership.remove_symbol(due.member, reason=due.reason, actor=actor)
        else:
            change = await self.membership.replace_symbol(
                due.member, due.outsider, reason=due.reason, actor=actor
            )
        return change.history.id

    async def _propose(self, due: Exit, run: ScoringRun) -> None:
        await EventRepository(self.session).append(
            "replacement_proposed",
            {
                "member": due.member,
                "outsider": due.outsider,
                "lead": None,
                "reasons": [due.reason],
                "exit": due.reason,
                "scoring_run_id": run.id,
            },
        )

    async def _alert(
        self,
        due: Exit,
        fact: ExitFact,
        run: ScoringRun,
        history_id: int | None,
        cooldown: timedelta,
        *,
        autopilot: bool,
    ) -> int:
        joined = "no eligible outsider passed the correlation limit"
        if due.outsider is not None:
            joined = f"{due.outsider} {'replaced it' if history_id else 'is proposed'}"
        if history_id is not None:
            message = f"{due.member} left the portfolio ({due.reason}); {joined}"
        else:
            held_back = (
                "autopilot makes the change at the next hour the forward record marks"
                if autopilot
                else "auto_replace_exits is off"
            )
            message = (
                f"{due.member} must leave the portfolio ({due.reason}); {joined} ({held_back})"
            )
        alert = await AlertLog(self.session).raise_or_touch(
            kind=MEMBER_EXIT,
            fingerprint=f"{MEMBER_EXIT}:{due.member}",
            severity="warning" if history_id is not None or autopilot else "critical",
            symbol=due.member,
            message=message,
            details={
                "member": due.member,
                "outsider": due.outsider,
                "reason": due.reason,
                "executed": history_id is not None,
                "history_id": history_id,
                "scoring_run_id": run.id,
                "fact": _fact_json(fact),
            },
            reopen_within=cooldown,
        )
        return alert.id


def _tradable(s: Symbol) -> bool:
    return s.status == OPEN and s.is_eligible and s.delisted_at is None


def _fact_json(fact: ExitFact) -> dict[str, Any]:
    """The fact as JSON can hold it (an infinite candle age: no candle stored, None)."""
    out = asdict(fact)
    age = out["candle_age_hours"]
    out["candle_age_hours"] = None if math.isinf(age) else round(age, 6)
    out["paused_hours"] = round(out["paused_hours"], 6)
    return out
