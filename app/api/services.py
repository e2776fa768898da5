"""The request's use-case services as `Annotated` aliases, each from a typed getter of the
factory (`app.services.factory.Services`), so that mypy checks every name and type."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from app.api.sessions import SessionDep, app_state
from app.services.factory import Services
from app.services.records.evidence import LiveEvidenceService
from app.services.records.forward_read import ForwardEvidenceService
from app.services.replay.evidence import EvidenceService
from app.services.replay.service import ReplayService
from app.services.scoring.algorithms import AlgorithmService

T = TypeVar("T")
Getter = Callable[[Services], Coroutine[Any, Any, T]]  # a dependency answering a service


async def get_services(request: Request, session: SessionDep) -> Services:
    """The request's services, all in its one transaction (see `app.services.factory`)."""
    return Services(session, app_state(request))


ServicesDep = Annotated[Services, Depends(get_services)]


def service(pick: Callable[[Services], T]) -> Getter[T]:
    """A dependency answering the request's service that `pick` takes from the factory."""

    async def get(services: ServicesDep) -> T:
        return pick(services)

    return get


get_algorithm_service: Getter[AlgorithmService] = service(lambda s: s.algorithms)
get_replay_service: Getter[ReplayService] = service(lambda s: s.replays)
get_evidence_service: Getter[EvidenceService] = service(lambda s: s.evidence)
get_live_evidence: Getter[LiveEvidenceService] = service(lambda s: s.live_evidence)
get_forward_evidence: Getter[ForwardEvidenceService] = service(lambda s: s.forward_evidence)

AlgorithmsDep = Annotated[AlgorithmService, Depends(get_algorithm_service)]
ReplaysDep = Annotated[ReplayService, Depends(get_replay_service)]
EvidenceDep = Annotated[EvidenceService, Depends(get_evidence_service)]
LiveEvidenceDep = Annotated[LiveEvidenceService, Depends(get_live_evidence)]
ForwardEvidenceDep = Annotated[ForwardEvidenceService, Depends(get_forward_evidence)]
