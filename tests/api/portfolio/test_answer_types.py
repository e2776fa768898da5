"""The answers a held portfolio gives match their documented schemas, JSON types included: every
figure is a number in the hot read's hand-serialised path (`/portfolio`) as in the validated
ones, live and as of a past change."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
import pytest

from tests.api.portfolio_calls import BASE, PORTFOLIO, READ, TRADE, add, portfolio, ranked

# route (GET) -> its documented 200 schema's component
READS = {
    "/portfolio": "PortfolioRead",
    "/pairlist": "Pairlist",
    "/portfolio/weights": "WeightsRead",
    "/portfolio/statistics": "StatisticsRead",
    "/portfolio/position-size?symbol={first}&account_balance=25000": "PositionSizeRead",
}


@pytest.fixture
def validator(openapi_document: dict[str, Any]) -> Any:
    document = openapi_document

    def check(body: object, component: str) -> None:
        schema = {"$ref": f"#/components/schemas/{component}", **document}
        jsonschema.validate(body, schema, cls=jsonschema.Draft202012Validator)

    return check


async def test_every_read_of_a_held_portfolio_matches_its_schema(
    api: httpx.AsyncClient, validator: Any
) -> None:
    symbols = (await ranked(api))[:4]
    for symbol in symbols:
        assert (await add(api, symbol)).status_code == 200
    for route, component in READS.items():
        response = await api.get(BASE + route.format(first=symbols[0]), headers=READ)
        assert response.status_code == 200, (route, response.text)
        validator(response.json(), component)
    member = (await portfolio(api))["members"][0]
    assert all(isinstance(member[f], float) for f in ("weight", "entry_price", "current_price"))


async def test_a_past_snapshot_and_the_audit_trail_carry_numbers_too(
    api: httpx.AsyncClient, validator: Any
) -> None:
    symbols = (await ranked(api))[:3]
    for symbol in symbols:
        assert (await add(api, symbol)).status_code == 200
    history = (await api.get(f"{PORTFOLIO}/history", headers=READ)).json()
    for row in history:
        validator(row, "HistoryRead")
    past = await portfolio(api, as_of=history[0]["occurred_at"])
    validator(past, "PortfolioRead")
    assert past["reconstructed"] is True
    assert sum(m["weight"] for m in past["members"]) == pytest.approx(100)
    assert all(isinstance(m["weight"], float) for m in past["members"])
    rebalance = await api.post(f"{PORTFOLIO}/rebalance", json={"dry_run": True}, headers=TRADE)
    assert rebalance.status_code == 200, rebalance.text
    validator(rebalance.json(), "RebalanceRead")
