"""The portfolio's table, as `portfolio` and the demo print it: each replacement candidate's
state in the API's one wording (`actionability`), "no" for the other members."""

from __future__ import annotations

from typing import Any

import pytest

from app.cli.reads import replace_cell, show_portfolio
from app.portfolio.schemas.members import PortfolioRead

HELD = "not actionable before 2026-11-29 09:00 UTC"


def member(symbol: str, rank: int, candidate: bool) -> dict[str, Any]:
    example = PortfolioRead.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]
    first: dict[str, Any] = example["members"][0]
    return {**first, "symbol": symbol, "rank": rank, "is_replacement_candidate": candidate}


def advice(*states: tuple[str, bool, str]) -> dict[str, Any]:
    """The replacement candidates' answer, cut to what the table reads."""
    return {
        "recommendations": [
            {"member": symbol, "actionable": actionable, "actionability": wording}
            for symbol, actionable, wording in states
        ]
    }


def rows(out: str) -> dict[str, str]:
    """Symbol -> its `replace?` cell, from the printed table."""
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines()]
    return {row[1]: row[7] for row in cells if len(row) == 9}


class TestReplaceCell:
    def test_a_member_that_is_no_candidate_reads_no(self) -> None:
        assert replace_cell(member("SOLUSDT", 1, False), advice()) == "no"

    def test_a_candidate_reads_the_apis_wording_of_its_state(self) -> None:
        states = advice(("XRPUSDT", False, HELD), ("ATOMUSDT", True, "actionable now"))
        assert replace_cell(member("XRPUSDT", 9, True), states) == HELD
        assert replace_cell(member("ATOMUSDT", 10, True), states) == "actionable now"

    def test_without_the_advice_a_candidate_is_only_said_to_be_one(self) -> None:
        assert replace_cell(member("XRPUSDT", 9, True), None) == "candidate"


def test_the_printed_table_shows_each_state_whole(capsys: pytest.CaptureFixture[str]) -> None:
    members = [member("SOLUSDT", 1, False), member("XRPUSDT", 2, True), member("ATOMUSDT", 3, True)]
    document = {
        "members": members,
        "max_symbols": 10,
        "total_weight": 100,
        "score_run_id": 1,
        "score_age_s": 3.0,
        "stale": False,
    }
    states = advice(("XRPUSDT", False, HELD), ("ATOMUSDT", True, "actionable now"))
    show_portfolio(document, "simulator", states)
    assert rows(capsys.readouterr().out) == {
        "SOLUSDT": "no",
        "XRPUSDT": HELD,
        "ATOMUSDT": "actionable now",
    }
