"""The forward rule's documents as they are stored: an adoption records the challengers' table
(`ScoringConfigChange.evidence["forward"]`) and a `challenger_qualified` alert a verdict's
evidence, both dumped from the API's models; the JSON is the one these records always held (key
order, integers and floats, null for an undefined figure, UTC times with a `Z`)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from app.records.forward_read import challengers_read, verdict_evidence, verdicts_of
from app.records.keeping.challengers import CHALLENGERS, Challenger
from app.records.keeping.forward import POLICY, challenger_book
from app.records.keeping.forward_rule import ForwardVerdict
from app.records.models import ForwardDay

START = datetime(2027, 1, 1, tzinfo=UTC)
LEADING, TRAILING = CHALLENGERS[1], CHALLENGERS[3]  # the others have no days: undefined figures


def days(n: int) -> list[ForwardDay]:
    """The default's daily decisions, `LEADING`'s IC 0.2 above it, `TRAILING`'s noise."""
    rng = np.random.default_rng(7)
    rows = []
    for d in range(n):
        universe, noise = float(rng.normal(0, 0.02)), float(rng.normal(0, 0.05))
        at = START + timedelta(days=d)
        for book, ic in (
            (POLICY, noise),
            (challenger_book(LEADING.name), noise + 0.2 + float(rng.normal(0, 0.01))),
            (challenger_book(TRAILING.name), noise + float(rng.normal(0, 0.05))),
        ):
            rows.append(
                ForwardDay(
                    book=book,
                    decided_at=at,
                    entry_at=at + timedelta(hours=1),
                    following_at=at + timedelta(days=1, hours=1),
                    book_return=universe + float(rng.normal(0, 0.001)),
                    skill_ic=ic,
                    universe_return=universe,
                    config_hash="x" * 64,
                    fee_bps=6.0,
                    slippage_bps=0.0,
                )
            )
    return rows


def figure(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, 10)


def stored_evidence(verdict: ForwardVerdict) -> dict[str, Any]:
    """A verdict's evidence in the form the records hold."""
    return {
        "decisions": verdict.decisions,
        "ic_lead": figure(verdict.ic_lead),
        "ic_lead_se": figure(verdict.ic_lead_se),
        "ic_lead_t": figure(verdict.ic_lead_t),
        "p_value": figure(verdict.p_value),
        "holm_threshold": figure(verdict.holm_threshold),
        "alpha_lead": figure(verdict.alpha_lead),
        "alpha_lead_t": figure(verdict.alpha_lead_t),
        "qualifies": verdict.qualifies,
        "reasons": verdict.reasons,
    }


def stored_row(challenger: Challenger, verdict: ForwardVerdict) -> dict[str, Any]:
    registered = challenger.registered_at.isoformat().replace("+00:00", "Z")
    return {
        "name": challenger.name,
        "book": verdict.challenger,
        "source": challenger.source,
        "hypothesis": challenger.hypothesis,
        "registered_at": registered,
        **stored_evidence(verdict),
    }


class TestStoredForms:
    def test_an_adoption_stores_the_challengers_table_as_it_always_did(self) -> None:
        rows = days(120)
        judged = verdicts_of(rows)
        by_book = {challenger_book(c.name): c for c in CHALLENGERS}
        document = challengers_read(rows, START).model_dump(mode="json")
        assert json.dumps(document) == json.dumps(
            {
                "rule": {"min_decisions": 90, "lead_se": 2.0, "correction": "holm"},
                "default_book": "policy",
                "decisions": 120,
                "inception": "2027-01-01T00:00:00Z",
                "adopt": None if judged.adopt is None else by_book[judged.adopt].name,
                "verdicts": [stored_row(by_book[v.challenger], v) for v in judged.verdicts],
            }
        )
        # Both kinds of figure are pinned: a measured lead, and null where none was measured.
        leads = {row["name"]: row["ic_lead"] for row in document["verdicts"]}
        assert isinstance(leads[LEADING.name], float) and leads[LEADING.name] > 0.15
        assert leads[CHALLENGERS[0].name] is None

    def test_a_record_not_started_stores_a_null_inception(self) -> None:
        document = challengers_read([], None).model_dump(mode="json")
        assert (document["inception"], document["decisions"], document["adopt"]) == (None, 0, None)
        assert [row["decisions"] for row in document["verdicts"]] == [0] * len(CHALLENGERS)

    def test_an_alert_stores_a_verdicts_evidence_as_it_always_did(self) -> None:
        judged = verdicts_of(days(120), (LEADING, TRAILING))
        for verdict, challenger in zip(judged.verdicts, (LEADING, TRAILING), strict=True):
            evidence = verdict_evidence(challenger, verdict)
            assert json.dumps(evidence) == json.dumps(stored_evidence(verdict))
        assert judged.verdicts[0].qualifies  # a qualifying one, as an alert carries
