"""The scoring algorithm in force and each step of a change to it, each in the caller's
transaction: the algorithm as it stands, the preset it matches and its recorded changes; a change
proposed, checked beside the algorithm it changes (`Proposal`), the replay that judges it queued
or its inputs read, and the change applied with that evidence (`AlgorithmService`); a change's
answer (`change_read`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy.ext.asyncio import AsyncSession

from app.books.db_source import NoStoredHistory
from app.lab.models import ReplayRun
from app.lab.reports import WhatIfReport
from app.lab.schemas import (
    AlgorithmChangeRecord,
    AlgorithmsChangeRead,
    AlgorithmsInForceRead,
    WhatIf,
)
from app.lab.scoring_calibration import (
    NotEnoughHistory,
    ProposedAlgorithm,
    ScoringCalibrationService,
    WhatIfInputs,
)
from app.platform.core.clock import utcnow
from app.platform.core.errors import ConflictError, NotFoundError, ValidationFailedError
from app.platform.settings_store.reader import read_typed
from app.records.forward_read import ForwardEvidenceService
from app.records.keeping.family import PRESETS, preset_of
from app.scoring.config_rules import refusal, require_learned, rule_problems
from app.scoring.models import ScoringAlgorithm, ScoringConfigChange
from app.scoring.repository import ScoringRepository
from app.scoring.run_config import RunConfig, run_config
from app.scoring.schemas import AlgorithmRead, AlgorithmUpdate
from app.scoring.scorers import learned
from app.scoring.scorers.component_registry import ParameterError, check_parameters, components
from app.scoring.scorers.components import TECHNICAL
from app.scoring.scorers.parameters import weights_problem
from app.scoring.scorers.technical import version as technical_version
from app.scoring.settings import ScoringSettings


class RecordedAlgorithm(TypedDict):
    """One component of the algorithm as a change record keeps it (`before`, `after`)."""

    weight: float  # as stored, 4 decimals
    parameters: dict[str, Any]  # the component's own
    is_active: bool


@dataclass(frozen=True)
class Proposal:
    """A checked change of the scoring algorithm, not applied yet."""

    base: dict[str, RecordedAlgorithm]  # the algorithm it changes
    algorithms: dict[str, ScoringAlgorithm]  # as it would be (detached rows)
    before: RunConfig
    after: RunConfig
    actor: str
    at: datetime

    def algorithms_json(self) -> list[ProposedAlgorithm]:
        """The proposed rows as a what-if run keeps them (`proposed_rows` reads them back)."""
        return [
            {
                "name": a.name,
                "weight": str(a.weight),
                "parameters": a.parameters,
                "is_active": a.is_active,
                "description": a.description,
                "updated_at": a.updated_at.isoformat(),
                "updated_by": a.updated_by,
            }
            for a in self.algorithms.values()
        ]


def change_read(
    algorithms: Sequence[ScoringAlgorithm],
    evidence: WhatIfReport | None,
    *,
    unavailable: str | None = None,
    change_id: int | None = None,
) -> AlgorithmsChangeRead:
    """A change's answer: the algorithms as they are (applied, with its recorded `change_id`) or
    would be (dry run), and the replay it was judged by (None: `unavailable` says why)."""
    return AlgorithmsChangeRead(
        applied=change_id is not None,
        change_id=change_id,
        algorithms=[AlgorithmRead.model_validate(a) for a in algorithms],
        evidence=None if evidence is None else WhatIf.model_validate(evidence),
        evidence_unavailable=unavailable,
    )


def _copy(row: ScoringAlgorithm) -> ScoringAlgorithm:
    """A detached copy: a proposal that may never be applied."""
    return ScoringAlgorithm(
        name=row.name,
        weight=row.weight,
        parameters=dict(row.parameters),
        is_active=row.is_active,
        description=row.description,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _row(a: ScoringAlgorithm) -> tuple[str, float, dict[str, Any], bool]:
    return a.name, float(a.weight), dict(a.parameters), a.is_active


def _json(a: ScoringAlgorithm) -> RecordedAlgorithm:
    """An algorithm row as a change record keeps it (the weight as stored, 4 decimals, as a JSON
    number like every figure the API gives)."""
    weight = float(Decimal(a.weight).quantize(Decimal("0.0001")))
    return {"weight": weight, "parameters": a.parameters, "is_active": a.is_active}


class AlgorithmService:
    """The algorithm in force, its recorded changes, and each step of a change."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.runs = ScoringRepository(session)

    async def propose(self, changes: Sequence[AlgorithmUpdate], *, actor: str) -> Proposal:
        """The algorithm as `changes` would leave it (checked: known components, valid
        parameters, the learned scorer installed where a change weighs or configures it, active
        weights summing to 1), beside the algorithm in force."""
        algorithms = {a.name: a for a in await self.runs.algorithms()}
        unknown = sorted({c.name for c in changes} - set(algorithms) - set(components()))
        if unknown:
            raise ValidationFailedError(
                f"unknown scoring component(s): {', '.join(unknown)}",
                extra={"known": sorted({*algorithms, *components()})},
            )
        for change in changes:
            if change.parameters is not None:
                try:
                    check_parameters({change.name: _changed(change, algorithms.get(change.name))})
                except ParameterError as exc:
                    raise ValidationFailedError(
                        str(exc),
                        extra={
                            "component": change.name,
                            "parameter": ".".join(str(p) for p in exc.problems[0].path),
                        },
                    ) from exc
        now = utcnow()
        proposed = {name: _copy(a) for name, a in algorithms.items()}
        for change in changes:
            # A plug-in's own component gets its row the first time it is weighed.
            row = proposed.setdefault(
                change.name,
                ScoringAlgorithm(
                    name=change.name,
                    weight=Decimal(0),
                    parameters={},
                    is_active=False,
                    description="plug-in component",
                ),
            )
            if change.weight is not None:
                row.weight = change.weight
            if change.parameters is not None:
                row.parameters = change.parameters
            if change.is_active is not None:
                row.is_active = change.is_active
            row.updated_at, row.updated_by = now, actor
        _learned_installed(changes, proposed)
        active = {n: a.weight for n, a in proposed.items() if a.is_active}
        words = weights_problem(active)
        if words is not None:
            raise ValidationFailedError(
                words, extra={"weights": {n: float(w) for n, w in active.items()}}
            )
        values = await read_typed(self.session, ScoringSettings)
        # What the values mean together: only what a change sets anew is held to it (a stored
        # value that breaks it keeps running, and the alert check names it).
        errors = [
            (f"algorithms.{i}.parameters.{path}", words)
            for i, change in enumerate(changes)
            if change.parameters is not None and proposed[change.name].is_active
            for path, words in await rule_problems(
                self.session,
                change.name,
                proposed[change.name].parameters,
                _changed(change, algorithms.get(change.name)),
                candles=values.candles,
            )
        ]
        if errors:
            raise refusal(errors)
        before, after = (
            run_config([_row(a) for a in rows.values()], values) for rows in (algorithms, proposed)
        )
        return Proposal(
            {n: _json(a) for n, a in algorithms.items()}, proposed, before, after, actor, now
        )

    async def request_what_if(self, proposal: Proposal) -> ReplayRun | AlgorithmsChangeRead:
        """Queue the replay that judges `proposal` (a `what_if` run, started once this
        transaction commits), or, when the stored history is too short to judge it, the dry
        run's answer without evidence."""
        try:
            return await ScoringCalibrationService(self.session).queue_what_if(
                proposal.after,
                proposal.before,
                proposal.algorithms_json(),
                requested_by=proposal.actor,
            )
        except (NotEnoughHistory, NoStoredHistory) as exc:
            return change_read(list(proposal.algorithms.values()), None, unavailable=str(exc))

    async def judging(self, proposal: Proposal) -> WhatIfInputs | str:
        """What judging `proposal` replays, read now, or why the stored history cannot judge it."""
        evidence = ScoringCalibrationService(self.session)
        try:
            policies = await evidence.what_if_policies(proposal.after, proposal.before)
            params = await evidence.what_if_params(policies["current"])
            return await evidence.what_if_inputs(policies, params)
        except (NotEnoughHistory, NoStoredHistory) as exc:
            return str(exc)

    async def apply(
        self, proposal: Proposal, evidence: WhatIfReport | None, unavailable: str | None
    ) -> AlgorithmsChangeRead:
        """Make `proposal` the algorithm in force, recorded with the evidence it was judged by;
        409 when the algorithm changed since it was proposed (judging takes a while)."""
        algorithms = {a.name: a for a in await self.runs.algorithms(for_update=True)}
        recorded_before = {n: _json(a) for n, a in algorithms.items()}
        if recorded_before != proposal.base:
            raise ConflictError(
                "the scoring algorithm changed while this change was judged; send it again "
                "against the algorithm now in force"
            )
        for name, row in proposal.algorithms.items():
            if name in algorithms:
                target = algorithms[name]
                target.weight, target.parameters, target.is_active = (
                    row.weight,
                    row.parameters,
                    row.is_active,
                )
                target.updated_at, target.updated_by = row.updated_at, row.updated_by
            else:
                self.session.add(row)
                algorithms[name] = row
        record = await self.runs.record_change(
            ScoringConfigChange(
                changed_at=proposal.at,
                actor=proposal.actor,
                before=recorded_before,
                after={n: _json(a) for n, a in algorithms.items()},
                evidence={
                    **(evidence if evidence is not None else {"unavailable": unavailable}),
                    # The forward record as it stood: what an adoption was made on.
                    "forward": (
                        await ForwardEvidenceService(self.session).challengers()
                    ).model_dump(mode="json"),
                },
            )
        )
        return change_read(
            list(algorithms.values()), evidence, unavailable=unavailable, change_id=record.id
        )

    async def algorithm_changes(self, limit: int) -> list[AlgorithmChangeRecord]:
        """The applied changes, newest first, each with its evidence."""
        return [AlgorithmChangeRecord.model_validate(c) for c in await self.runs.changes(limit)]

    async def in_force(self) -> AlgorithmsInForceRead:
        """The algorithm in force, the preset it matches and the change that put it there."""
        algorithms = list(await self.runs.algorithms())
        latest = next(iter(await self.runs.changes(1)), None)
        return AlgorithmsInForceRead(
            preset=_preset_in_force(algorithms),
            adopted_by=None if latest is None else AlgorithmChangeRecord.model_validate(latest),
            algorithms=[AlgorithmRead.model_validate(a) for a in algorithms],
        )

    async def preset_changes(self, name: str) -> list[AlgorithmUpdate]:
        """The changes that put preset `name` in force: its component weights, and the
        technical version it names (the other parameters stay as they are)."""
        candidate = PRESETS.get(name)
        if candidate is None:
            raise NotFoundError(f"no scoring preset {name!r}", extra={"known": sorted(PRESETS)})
        technical = next((a for a in await self.runs.algorithms() if a.name == TECHNICAL), None)
        parameters = {
            k: v for k, v in (technical.parameters if technical else {}).items() if k != "version"
        }
        if candidate.technical_version != 1:  # version 1 is the absent key, as the seed has it
            parameters["version"] = candidate.technical_version
        # Not validated as a request's would be: the stored parameters a preset carries are held
        # to the declaration only where it changes them (`_changed`).
        return [
            AlgorithmUpdate.model_construct(
                name=name,
                weight=Decimal(str(weight)).quantize(Decimal("0.0001")),
                parameters=parameters if name == TECHNICAL else None,
                is_active=True,
            )
            for name, weight in candidate.component_weights().items()
        ]


def _learned_installed(
    changes: Sequence[AlgorithmUpdate], proposed: dict[str, ScoringAlgorithm]
) -> None:
    """409 `scorer-not-installed` when a change weighs or configures the learned component and
    scikit-learn is not installed. Only what a change sets: one that stops weighing it (the
    alert's remedy), or leaves it as stored, passes."""
    for change in changes:
        if change.name != learned.COMPONENT:
            continue
        row = proposed[change.name]
        weights = {row.name: row.weight if row.is_active else 0}
        sets = {} if change.parameters is None else {row.name: change.parameters}
        if learned.chosen(weights, sets):
            require_learned()


def _changed(change: AlgorithmUpdate, stored: ScoringAlgorithm | None) -> dict[str, Any]:
    """The parameters `change` sets to another value than the stored one: those alone are held
    to the declaration here (a request's own values were held to it as it was read), so a preset,
    which carries the stored parameters it does not name, is never refused for a stored value
    outside it (the alert check names that one)."""
    assert change.parameters is not None
    kept = stored.parameters if stored is not None else {}
    return {k: v for k, v in change.parameters.items() if k not in kept or kept[k] != v}


def _preset_in_force(algorithms: Sequence[ScoringAlgorithm]) -> str | None:
    active = {a.name: float(a.weight) for a in algorithms if a.is_active}
    technical = next((a for a in algorithms if a.name == TECHNICAL), None)
    try:
        version = technical_version(technical.parameters) if technical else 1
    except ValueError:
        return None
    return preset_of(active, version)
