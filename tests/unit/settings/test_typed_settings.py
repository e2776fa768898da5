"""The services' typed settings: every field reading a runtime setting is of its registry type,
and a value is cast as the call sites' `int(...)`/`float(...)` casts did."""

from __future__ import annotations

import pytest
from app.settings.typed.setting import from_settings, setting_keys

from app.alerts.conditions import Thresholds
from app.books.replay_config import DeploymentSettings, ReplaySettings
from app.operations.retention import RetentionSettings
from app.portfolio.member_exits import ExitSettings
from app.portfolio.policy.settings import PolicySettings
from app.portfolio.settings import PortfolioConfig
from app.records.as_run_update import RecordCosts
from app.scoring.fetch_plan import PlanSettings
from app.scoring.run_config import ScoringSettings
from app.settings.registry import DEFAULTS, SETTINGS, typed_keys
from app.signals.service import RuleSettings

TYPED = [
    PolicySettings,
    PortfolioConfig,
    RetentionSettings,
    ExitSettings,
    RecordCosts,
    Thresholds,
    ScoringSettings,
    DeploymentSettings,
    ReplaySettings,
    PlanSettings,
    RuleSettings,
]


@pytest.mark.parametrize("cls", TYPED, ids=lambda cls: cls.__name__)
def test_every_field_is_of_its_settings_registry_type(cls: type) -> None:
    keys = typed_keys(cls)  # TypeError on a field of another type than its setting's
    assert keys == setting_keys(cls) and set(keys) <= set(SETTINGS)


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
