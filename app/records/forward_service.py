"""The forward record's job: mark it forward; with the runtime setting `autopilot` on, the real
portfolio follows the policy book's newest decision (`app.portfolio.autopilot`); then,
when a day was judged, the forward rule over every registered challenger: one that qualifies
raises a `challenger_qualified` alert (and its webhook event) carrying its evidence, once; it is
never adopted by itself."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.log import AlertLog
from app.platform.core.clock import utcnow
from app.platform.core.errors import ConflictError, NotFoundError
from app.platform.settings_store.reader import read_setting
from app.portfolio.autopilot import AutopilotService, PolicyTarget
from app.portfolio.service import PortfolioState, my_symbols_service
from app.portfolio.settings import AUTOPILOT_ON
from app.records.forward_read import verdict_evidence, verdicts_of
from app.records.forward_update import ForwardUpdater
from app.records.keeping.challengers import CHALLENGERS, Challenger
from app.records.keeping.forward import POLICY, challenger_book
from app.records.repository.forward import ForwardRepository

logger = logging.getLogger(__name__)

QUALIFIED = "challenger_qualified"


class ForwardService:
    """The `forward_record` job's work: the record marked forward, the forward rule judged."""

    def __init__(
        self,
        session: AsyncSession,
        autopilot: AutopilotService | None = None,
        challengers: tuple[Challenger, ...] = CHALLENGERS,
    ) -> None:
        self.session = session
        self.autopilot = autopilot
        self.challengers = challengers

    async def update(self, now: datetime | None = None) -> dict[str, Any]:
        """Mark the record forward; the autopilot's pass when it is on and an hour was marked;
        the forward rule when a day was judged (LostRace: another replica moved it first,
        nothing of this transaction is kept). The result's `autopilot` is absent when off."""
        updater = ForwardUpdater(self.session, self.challengers)
        updated = await updater.update(now)
        out = updated.to_json()
        state, hour = updater.state, updated.marked_to
        if state is not None and hour is not None and await self._autopilot_on():
            out["autopilot"] = await self._follow(state.policies, hour)
        if updated.days:
            out["qualified"] = await self.judge()
        return out

    async def warm(self) -> None:
        """Read the window the record's last marked hour needs now, not at its next update
        (`ForwardUpdater.warm`)."""
        await ForwardUpdater(self.session, self.challengers).warm()

    async def _autopilot_on(self) -> bool:
        """An autopilot given, and the runtime setting `autopilot` on."""
        return self.autopilot is not None and await read_setting(self.session, AUTOPILOT_ON, bool)

    async def _follow(
        self, policies: dict[str, dict[str, Any]], decided_at: datetime
    ) -> dict[str, Any]:
        """The autopilot's pass to the policy book; a refused step keeps none of it (the
        record stands; the next hour tries again) and says why."""
        assert self.autopilot is not None  # _autopilot_on said so
        stored = policies.get(POLICY)
        target = None if stored is None else PolicyTarget.of(stored, decided_at)
        if target is None:
            return {"decided_at": decided_at.isoformat(), "skipped": "no settled decision"}
        try:
            return (await self.autopilot.follow(target)).to_json()
        except (ConflictError, NotFoundError) as exc:  # a newcomer not tradable now, caps
            logger.warning(
                "autopilot: not following the policy book's decision at %s: %s",
                decided_at.isoformat(),
                exc.detail,
            )
            return {"decided_at": decided_at.isoformat(), "refused": exc.problem()}

    async def judge(self) -> list[str]:
        """The forward rule on the stored days: an alert for each challenger that qualifies
        (counted again, not re-announced, while it stays so), resolved once it no longer
        does. The challengers that qualify, by name."""
        days = list(await ForwardRepository(self.session).days())
        judged = verdicts_of(days, self.challengers)
        alerts = AlertLog(self.session)
        names = {challenger_book(c.name): c for c in self.challengers}
        qualified = []
        for verdict in judged.verdicts:
            challenger = names[verdict.challenger]
            if not verdict.qualifies:
                continue
            qualified.append(challenger.name)
            adopted = judged.adopt == verdict.challenger
            await alerts.raise_or_touch(
                kind=QUALIFIED,
                fingerprint=f"{QUALIFIED}:{challenger.name}",
                severity="info",
                message=(
                    f"challenger {challenger.name} qualifies under the forward rule over "
                    f"{verdict.decisions} daily decisions (skill-IC lead "
                    f"{verdict.ic_lead:+.4f}, t {verdict.ic_lead_t:+.2f})"
                    + ("; the rule would adopt it" if adopted else "")
                    + ": an admin adopts it with PUT /scoring/algorithms"
                ),
                details={
                    "challenger": challenger.name,
                    "hypothesis": challenger.hypothesis,
                    "overrides": challenger.overrides,
                    "would_adopt": adopted,
                    "default_decisions": judged.decisions,
                    **verdict_evidence(challenger, verdict),
                },
            )
        for alert in await alerts.unresolved([QUALIFIED]):
            if alert.fingerprint.removeprefix(f"{QUALIFIED}:") not in qualified:
                alert.status, alert.resolved_at = "resolved", utcnow()
        await self.session.flush()
        return qualified


def forward_service(session: AsyncSession, state: PortfolioState) -> ForwardService:
    """The forward record's job with the autopilot the real portfolio follows it by."""
    return ForwardService(session, AutopilotService(session, my_symbols_service(session, state)))
