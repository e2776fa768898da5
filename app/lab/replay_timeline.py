"""A finished replay's dated membership: the policy's members and weights from each decision's
trade (`traded_at`: `execution_lag_h` after it), an interval lasting until the next decision that
traded or changed them (or the books' valuation end), in the same document as the portfolio's
timeline."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from app.books.simulation.replay_report import DecisionEntry, ReplayReport
from app.lab.models import ReplayRun
from app.platform.core.errors import ConflictError
from app.portfolio.maths.membership_intervals import Held, State, compact, tile
from app.portfolio.timeline_export import Timeline, forms_for


def reason_of(decision: DecisionEntry) -> str:
    """exit:<code>, replaced, added (joined by "+" when several), else rebalance."""
    parts = [f"exit:{e.get('reason')}" for e in decision.get("exits") or []]
    parts += ["replaced"] if decision.get("replaced") else []
    parts += ["added"] if decision.get("added") else []
    return "+".join(dict.fromkeys(parts)) or "rebalance"


def state_of(decision: DecisionEntry) -> State:
    weights = decision.get("weights") or {}
    members = compact(
        Held(symbol, rank, repr(float(weights.get(symbol, 0.0))))
        for rank, symbol in enumerate(decision.get("members") or [], start=1)
    )
    # The book holds a decision's members from its trade (reports before the lag: at once).
    at = datetime.fromisoformat(
        str(decision.get("traded_at", decision["at"])).replace("Z", "+00:00")
    )
    return State(at, members, reason_of(decision), rebalanced=bool(decision.get("traded")))


async def replay_timeline(session: AsyncSession, run: ReplayRun) -> Timeline:
    """The timeline of `run`'s policy (409 unless it succeeded with its decisions)."""
    # The JSON column holds the report as `replay` (or `calibrate`) wrote it; one stored by an
    # older version may lack later keys (`traded_at`, `valued_to`): read with defaults below.
    report = cast("ReplayReport | None", run.report)
    if run.status != "succeeded" or not report or "decisions" not in report:
        raise ConflictError(
            f"replay {run.id} is {run.status}; its timeline exists once it has succeeded",
            extra={"status": run.status},
        )
    states = [state_of(d) for d in report["decisions"]]
    # A decision that neither traded nor changed anything opens no interval: the book drifts.
    kept = [s for s in states if s.rebalanced] or states[:1]
    data = report["data"]
    end = datetime.fromisoformat(str(data.get("valued_to", data["to"])).replace("Z", "+00:00"))
    start = states[0].at if states else end
    intervals = tile(kept, start, end)
    return Timeline(start, end, "replay", intervals, await forms_for(session, intervals))
