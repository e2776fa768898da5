"""The services' typed settings: every field reading a runtime setting is of its declared type,
and a value is cast as the call sites' `int(...)`/`float(...)` casts did."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path
from typing import Any

import pytest

from app.configuration.registry import DEFAULTS, RUNTIME_SETTINGS
from app.operations.retention import RetentionSettings
from app.platform.settings_store.declaration import RuntimeSetting
from app.platform.settings_store.fields import SETTING, declared_settings, from_settings
from app.records.as_run_update import RecordCosts
from app.scoring.settings import ScoringSettings

APP = Path(__file__).resolve().parents[3] / "app"


def _every_module() -> list[Any]:
    names = sorted(
        ".".join(path.relative_to(APP.parent).with_suffix("").parts).removesuffix(".__init__")
        for path in APP.rglob("*.py")
        if path.name != "__main__.py"
    )
    return [importlib.import_module(name) for name in names]


def _found() -> tuple[list[type[Any]], list[RuntimeSetting]]:
    """Every dataclass of app/ with a field holding a runtime setting, and every declaration
    there is (a module's constant or a field's)."""
    classes: dict[type[Any], None] = {}
    declared: dict[int, RuntimeSetting] = {}
    for module in _every_module():
        for value in vars(module).values():
            if isinstance(value, RuntimeSetting):
                declared[id(value)] = value
            elif isinstance(value, type) and dataclasses.is_dataclass(value):
                held = [
                    f.metadata[SETTING] for f in dataclasses.fields(value) if SETTING in f.metadata
                ]
                if held:
                    classes[value] = None
                    declared.update((id(d), d) for d in held)
    return list(classes), list(declared.values())


TYPED, DECLARED = _found()


@pytest.mark.parametrize("cls", TYPED, ids=lambda cls: cls.__name__)
def test_every_field_is_of_its_settings_declared_type(cls: type) -> None:
    declared_settings(cls)  # TypeError on a field of another type than its setting's


def test_every_declared_setting_is_listed_once_by_the_configuration_api() -> None:
    assert len(TYPED) >= 10  # the walk found the readers
    listed = {id(s) for s in RUNTIME_SETTINGS}
    assert sorted(s.key for s in DECLARED if id(s) not in listed) == []
    assert len({s.key for s in DECLARED}) == len(DECLARED)  # no key declared twice


@pytest.mark.parametrize("declared", RUNTIME_SETTINGS, ids=lambda s: s.key)
def test_every_default_holds_to_its_own_bounds(declared: RuntimeSetting) -> None:
    assert declared.check(declared.default) == declared.default


def test_a_scoring_runs_gate_reads_its_settings_and_keeps_the_rest() -> None:
    values = {**DEFAULTS, "gate_min_history": 150, "excluded_categories": ["equity"]}
    gate = from_settings(ScoringSettings, values).gate
    assert (gate.min_history, gate.excluded_categories) == (150, ("equity",))
    assert (gate.freshness, gate.volume_lookback) == ("ticker", 24)  # no setting: the defaults


def test_values_are_cast_as_the_call_sites_did() -> None:
    stored = {**DEFAULTS, "retention_batch_rows": 3600, "replacement_confirmation_hours": 24}
    settings = from_settings(RetentionSettings, stored)
    assert (settings.batch_rows, type(settings.batch_rows)) == (3600, int)
    assert (settings.confirmation_hours, type(settings.confirmation_hours)) == (24.0, float)
    costs = from_settings(RecordCosts, {**DEFAULTS, "track_record_fee_bps": 6})
    assert (costs.fee_bps, type(costs.fee_bps)) == (6.0, float)
