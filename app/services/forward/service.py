"""The forward record's job: mark it forward, then, when a day was judged, the forward rule over
every registered challenger: one that qualifies raises a `challenger_qualified` alert (and its
webhook event) carrying its evidence, once; it is never adopted by itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.calibration.challengers import CHALLENGERS, Challenger
from app.core.clock import utcnow
from app.db.repositories.alerts import AlertRepository
from app.db.repositories.forward import ForwardRepository
from app.forward.record import challenger_book
from app.services.forward.read import verdict_json, verdicts_of
from app.services.forward.update import ForwardUpdater

QUALIFIED = "challenger_qualified"


class ForwardService:
    """The `forward_record` job's work: the record marked forward, the forward rule judged."""

    def __init__(
        self, session: AsyncSession, challengers: tuple[Challenger, ...] = CHALLENGERS
    ) -> None:
        self.session = session
        self.challengers = challengers

    async def update(self, now: datetime | None = None) -> dict[str, Any]:
        """Mark the record forward; the forward rule when a day was judged (LostRace: another
        replica moved it first, nothing of this transaction is kept)."""
        updated = await ForwardUpdater(self.session, self.challengers).update(now)
        out = updated.to_json()
        if updated.days:
            out["qualified"] = await self.judge()
        return out

    async def judge(self) -> list[str]:
        """The forward rule on the stored days: an alert for each challenger that qualifies
        (counted again, not re-announced, while it stays so), resolved once it no longer
        does. The challengers that qualify, by name."""
        days = list(await ForwardRepository(self.session).days())
        judged = verdicts_of(days, self.challengers)
        alerts = AlertRepository(self.session)
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
                    **verdict_json(verdict),
                },
            )
        for alert in await alerts.unresolved([QUALIFIED]):
            if alert.fingerprint.removeprefix(f"{QUALIFIED}:") not in qualified:
                alert.status, alert.resolved_at = "resolved", utcnow()
        await self.session.flush()
        return qualified
