"""A stored report says where the candles it read came from (`data.market_data`, kept since
2026-11-28); one stored before reads as not recorded."""

from __future__ import annotations

import json

from app.lab.models import ReplayRun
from app.lab.schemas import EvidenceRead, ReplayRead
from app.lab.service import StoredRun
from app.market.contracts.data_source import NOTES, SIMULATOR
from app.market.schemas import market_data_of

SIMULATED = {
    "sources": ["simulator"],
    "simulated": True,
    "note": NOTES[SIMULATOR],
}
NOT_RECORDED = {"sources": [], "simulated": False, "note": "source not recorded"}


def test_a_report_stored_before_the_record_reads_as_not_recorded() -> None:
    assert market_data_of({"symbols": 3, "source": "database"}).model_dump() == NOT_RECORDED
    assert market_data_of(None).model_dump() == NOT_RECORDED


def test_a_kept_record_is_read_back() -> None:
    kept = {"symbols": 3, "source": "database", "market_data": SIMULATED}
    assert market_data_of(kept).model_dump() == SIMULATED


def test_the_run_and_the_evidence_answers_carry_it() -> None:
    run = ReplayRead.model_construct(report={"data": {"market_data": SIMULATED}})
    assert run.model_dump(include={"market_data"}) == {"market_data": SIMULATED}
    assert ReplayRead.model_construct(report=None).market_data is None
    evidence = EvidenceRead.model_construct(data={"symbols": 3})
    assert evidence.market_data.model_dump() == NOT_RECORDED


def test_a_stored_run_serves_what_its_report_kept() -> None:
    """`GET /replays/{id}` splices the stored report as text; the database takes its
    `data.market_data` out, and a report stored before it was kept reads as not recorded."""
    kept = StoredRun(ReplayRun(), "null", '{"data": {}}', json.dumps(SIMULATED))
    assert json.loads(kept.market_data) == SIMULATED
    old = StoredRun(ReplayRun(), "null", '{"data": {}}', "null")
    assert json.loads(old.market_data) == NOT_RECORDED
    running = StoredRun(ReplayRun(), "null", "null", "null")
    assert running.market_data == "null"
