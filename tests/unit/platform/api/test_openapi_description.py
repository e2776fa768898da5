"""The OpenAPI document as API tooling reads it (the lint CI runs, Spectral's `spectral:oas`,
checks the same and more): every operation has a description beside its summary, every tag an
operation uses is declared with a description (and none is declared unused), and `info` has a
description and the deployment's contact."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.core.environment_sections import ApiContactEnvironment
from scripts.generate_client import openapi_document


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document()


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, by_method in document["paths"].items()
        for method, operation in by_method.items()
    }


def test_every_operation_is_described_beyond_its_summary(document: dict[str, Any]) -> None:
    found = operations(document)
    assert len(found) > 50
    undescribed = [name for name, op in found.items() if not op.get("description", "").strip()]
    assert undescribed == []
    assert all(op.get("summary", "").strip() for op in found.values())
    same = [name for name, op in found.items() if op["description"].strip() == op["summary"]]
    assert same == [], "a description says more than its summary"


def test_every_tag_used_is_declared_with_a_description(document: dict[str, Any]) -> None:
    declared = {tag["name"]: tag.get("description", "") for tag in document["tags"]}
    used = {tag for op in operations(document).values() for tag in op.get("tags", [])}
    untagged = [name for name, op in operations(document).items() if not op.get("tags")]
    assert untagged == []
    assert sorted(used - set(declared)) == [], "tags used but not declared"
    assert sorted(set(declared) - used) == [], "tags declared but not used"
    assert [name for name, text in declared.items() if not text.strip()] == []


def test_info_has_a_description_and_the_default_contact(document: dict[str, Any]) -> None:
    info = document["info"]
    assert info["title"] == "MySymbols" and "Idempotency-Key" in info["description"]
    assert info["contact"] == {"name": ApiContactEnvironment().name}


def test_the_contact_is_the_deployments_own() -> None:
    contact = {
        "name": "Desk platform",
        "url": "https://wiki.example/desk",
        "email": "ops@d.example",
    }
    environment = Environment(log_level="WARNING", api_contact=contact)
    assert create_app(environment).openapi()["info"]["contact"] == contact


@pytest.mark.parametrize(
    "contact", [{"url": "wiki.example/desk"}, {"url": "https:// x"}, {"email": "ops"}, {"name": ""}]
)
def test_a_contact_that_is_no_url_or_address_is_refused(contact: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        ApiContactEnvironment.model_validate(contact)
