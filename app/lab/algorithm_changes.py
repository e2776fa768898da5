"""A change of the scoring algorithm from end to end: proposed, judged by a replay of the stored
history between its two transactions and applied with that evidence (`AlgorithmChangeService`,
over `app.lab.algorithms_in_force`'s steps), or, dry, the what-if run that judges it, and that
run's answer once it succeeded (`what_if_outcome`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from decimal import Decimal
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from app.lab.algorithms_in_force import AlgorithmService, change_read
from app.lab.models import ReplayRun
from app.lab.replay.replaying import ReplayRangeError
from app.lab.reports import WhatIfReport
from app.lab.schemas import AlgorithmsChangeRead
from app.lab.scoring_calibration import WhatIfInputs, what_if
from app.scoring.models import ScoringAlgorithm
from app.scoring.schemas import AlgorithmUpdate

Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def proposed_rows(run: ReplayRun) -> list[ScoringAlgorithm]:
    """The algorithm a what-if run judged (detached rows)."""
    return [
        ScoringAlgorithm(
            name=a["name"],
            weight=Decimal(a["weight"]),
            parameters=a["parameters"],
            is_active=a["is_active"],
            description=a["description"],
            updated_at=datetime.fromisoformat(a["updated_at"]),
            updated_by=a["updated_by"],
        )
        for a in run.params["algorithms"]
    ]


def what_if_outcome(run: ReplayRun) -> AlgorithmsChangeRead:
    """A succeeded what-if run as the answer of a dry run."""
    # The JSON column holds the what-if's report as `what_if_document` wrote it.
    return change_read(proposed_rows(run), cast("WhatIfReport | None", run.report))


async def judged(judging: WhatIfInputs | str) -> tuple[WhatIfReport | None, str | None]:
    """The evidence a change is recorded with (computed in the lab worker: the caller holds
    no database connection meanwhile), or why there is none."""
    if isinstance(judging, str):
        return None, judging
    try:
        return await what_if(judging), None
    except ReplayRangeError as exc:
        return None, str(exc)


class AlgorithmChangeService:
    """A change of the scoring algorithms, judged by a replay between its two transactions."""

    def __init__(self, open_session: Sessions) -> None:
        self.open_session = open_session

    async def change(
        self, changes: Sequence[AlgorithmUpdate], *, actor: str, dry_run: bool
    ) -> AlgorithmsChangeRead | ReplayRun:
        """Propose `changes`, then judge them by a replay and apply them with that evidence, in
        two transactions with the replay between them (no database connection is held while it
        runs; 409 when the algorithm changed meanwhile). Dry: the queued what-if run that judges
        them (started once its transaction commits), or the answer without evidence when the
        stored history is too short to judge them."""
        async with self.open_session() as session:
            algorithms = AlgorithmService(session)
            proposal = await algorithms.propose(changes, actor=actor)
            if dry_run:
                return await algorithms.request_what_if(proposal)
            judging = await algorithms.judging(proposal)
        evidence, unavailable = await judged(judging)
        async with self.open_session() as session:
            return await AlgorithmService(session).apply(proposal, evidence, unavailable)
