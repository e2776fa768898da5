"""A stored algorithm that weighs the learned scorer, in an installation without its `learned`
extra: the alert check raises `scorer_not_installed` naming what to install, and resolves it
once scikit-learn is there (or the learned component is weighed no more)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.clock import utcnow
from app.scoring.models import ScoringAlgorithm
from app.scoring.scorers.learned import NOT_INSTALLED
from tests.api.alerts.test_alerts import alerts, check
from tests.missing_extra import sklearn_missing

KIND = "scorer_not_installed"
FINGERPRINT = f"{KIND}:learned"


@pytest.fixture
def without_learned_extra() -> Iterator[None]:
    with sklearn_missing():
        yield


async def store_learned(session: AsyncSession, weight: str, *, active: bool = True) -> None:
    """The learned component stored at `weight` beside the risk component, as an installation
    with the extra stored it."""
    risk = await session.scalar(select(ScoringAlgorithm).where(ScoringAlgorithm.name == "risk"))
    assert risk is not None
    risk.weight = Decimal(1) - (Decimal(weight) if active else 0)
    session.add(
        ScoringAlgorithm(
            name="learned",
            weight=Decimal(weight),
            parameters={},
            is_active=active,
            description="plug-in component",
            updated_at=utcnow(),
            updated_by="test",
        )
    )
    await session.flush()


class TestScorerNotInstalled:
    async def test_a_weighed_learned_scorer_raises_the_alert_naming_the_fix(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await store_learned(session, "0.25")
        with sklearn_missing():
            first = await check(api, KIND)
            again = await check(api, KIND)
        assert first["raised"] == [FINGERPRINT]
        assert again == {"raised": [], "ongoing": [FINGERPRINT], "resolved": []}
        [alert] = await alerts(api, kind=KIND)
        assert (alert["status"], alert["severity"], alert["symbol"]) == ("open", "warning", None)
        assert alert["message"] == (
            f"scoring weighs the learned component (0.25), which scores nothing here: "
            f"{NOT_INSTALLED}; or stop weighing it (PUT /scoring/algorithms)"
        )
        assert "pip install 'mysymbols[learned]'" in alert["message"]
        assert alert["details"] == {"component": "learned", "weight": 0.25, "extra": "learned"}

        installed = await check(api, KIND)  # scikit-learn importable again
        assert installed["resolved"] == [FINGERPRINT]
        [resolved] = await alerts(api, kind=KIND)
        assert resolved["status"] == "resolved"

    @pytest.mark.usefixtures("without_learned_extra")
    async def test_a_learned_row_weighed_no_more_raises_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await store_learned(session, "0.25", active=False)
        assert await check(api, KIND) == {"raised": [], "ongoing": [], "resolved": []}
        assert await alerts(api, kind=KIND) == []
