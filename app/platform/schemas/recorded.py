"""The recorded examples of the larger answers, one file a model in `app/platform/schemas/examples/`
(`<Model>.json`), shown by the models through `json_schema_extra`. They are answers of the
service against its KuCoin simulator, trimmed to a few rows, written by
scripts/record_examples.py (the evidence, replay and forward-record ones come from long runs
over market history, kept as written). tests/api/platform/test_examples.py fails on a file no model
shows and on an answer's example missing a field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.config import JsonDict

EXAMPLES_DIR = Path(__file__).with_name("examples")
# Every example loaded, by model name: FastAPI writes the document without `null`s (also those
# of examples), and `app.platform.http.openapi` puts these back whole.
RECORDED: dict[str, Any] = {}


def recorded_example(model: str) -> JsonDict:
    """`{"examples": [the recorded answer of `model`]}`, for its `json_schema_extra`."""
    example = json.loads((EXAMPLES_DIR / f"{model}.json").read_text(encoding="utf-8"))
    RECORDED[model] = example
    return {"examples": [example]}
