"""scripts/record_examples.py records, against the simulator, an answer for each model it names,
and each is a current example: its schema accepts it and it has every field (a model changed
without its recording fails here as it fails in the service's document)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema

from app.platform.schemas.recorded import EXAMPLES_DIR
from scripts.generate_client import openapi_document
from scripts.record_examples import RECORDED, record, trimmed, write
from tests.openapi_examples import fields_missing


async def test_records_a_current_example_of_every_model_it_names(tmp_path: Path) -> None:
    answers = await record(tmp_path)
    assert sorted(answers) == sorted(RECORDED)
    components = openapi_document()["components"]
    schemas: dict[str, Any] = components["schemas"]
    for name, answer in sorted(answers.items()):
        jsonschema.Draft202012Validator({**schemas[name], "components": components}).validate(
            answer
        )
        assert fields_missing(answer, schemas[name], schemas, name) == []
    assert all(key.startswith("msk_example") for key in (answers["ApiKeyCreated"]["key"],))
    written = write(answers, tmp_path / "examples", [])
    assert sorted(p.name for p in written) == sorted(f"{n}.json" for n in RECORDED)
    assert {p.name for p in written} <= {p.name for p in EXAMPLES_DIR.glob("*.json")}


def test_lists_of_rows_keep_two_and_lists_of_numbers_stay_whole() -> None:
    rows = [{"a": 1}, {"a": 2}, {"a": 3}]
    assert trimmed({"rows": rows, "curve": [1, 2, 3], "nested": {"rows": rows}}) == {
        "rows": rows[:2],
        "curve": [1, 2, 3],
        "nested": {"rows": rows[:2]},
    }
