"""The policy's one configuration: its settings are declared on its fields and listed by the
configuration API, and it is built from their values alone, the same way live and in replay."""

from __future__ import annotations

import dataclasses

import pytest

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.replay_params import ReplayParams, config_json
from app.configuration.registry import DEFAULTS, SETTINGS
from app.platform.settings_store.fields import from_settings, setting_values
from app.portfolio.policy.replacement_rule import ReplacementSettings
from app.portfolio.policy.settings import POLICY_KEYS, PolicySettings, policy_from_settings


class TestPolicyKeys:
    def test_the_configuration_api_lists_every_policy_setting(self) -> None:
        assert set(POLICY_KEYS) <= set(SETTINGS)

    def test_each_key_is_read_once(self) -> None:
        assert len(POLICY_KEYS) == len(set(POLICY_KEYS))

    def test_nested_settings_are_read_in_place(self) -> None:
        at = POLICY_KEYS.index("replacement_candidates")
        assert POLICY_KEYS[at : at + 5] == (
            "replacement_candidates",
            "replacement_margin",
            "replacement_confirmation_hours",
            "min_holding_hours",
            "correlation_limit",
        )


class TestPolicyFromSettings:
    def test_reads_every_field_from_its_key(self) -> None:
        values = {**DEFAULTS, "max_portfolio_symbols": 7, "replacement_margin": 3}
        policy = policy_from_settings(values)
        assert policy.max_symbols == 7
        assert policy.replacement == ReplacementSettings(2, 3.0, 24.0, 24.0, 0.85)

    def test_casts_to_the_field_type(self) -> None:
        policy = policy_from_settings({**DEFAULTS, "exit_grace_hours": 48})
        assert isinstance(policy.exit_grace_hours, float)
        assert isinstance(policy.min_listing_days, float)
        assert isinstance(policy.candles, int)

    def test_gives_back_the_values_it_was_built_from_by_key(self) -> None:
        policy = policy_from_settings(
            {**DEFAULTS, "replacement_margin": 3, "max_portfolio_symbols": 7}
        )
        values = setting_values(policy)
        assert set(values) == set(POLICY_KEYS)
        assert (values["replacement_margin"], values["max_portfolio_symbols"]) == (3.0, 7)
        assert policy_from_settings(values) == policy

    def test_refuses_a_missing_key(self) -> None:
        values = {k: v for k, v in DEFAULTS.items() if k != "weighting_method"}
        with pytest.raises(KeyError, match="weighting_method"):
            policy_from_settings(values)

    def test_refuses_a_field_without_a_setting(self) -> None:
        @dataclasses.dataclass(frozen=True)
        class Unmapped:
            margin: float

        with pytest.raises(TypeError, match=r"Unmapped\.margin"):
            from_settings(Unmapped, DEFAULTS)


class TestReplayDocument:
    def test_replay_policy_holds_the_same_settings(self) -> None:
        policy = policy_config(default_run_config(), DEFAULTS)
        settings = policy_from_settings(DEFAULTS)
        for f in dataclasses.fields(PolicySettings):
            if f.name != "candles":  # at least what the scorer's parameters need
                assert getattr(policy, f.name) == getattr(settings, f.name)

    def test_document_keeps_its_order(self) -> None:
        # The order the document had before the policy's settings had a class of their own:
        # a stored document keeps its bytes.
        policy = policy_config(default_run_config(), DEFAULTS)
        document = config_json(policy, ReplayParams(start_ms=0, end_ms=10**9, every_h=4))
        assert list(document) == ["scoring", "policy", "replay"]
        assert list(document["policy"]) == [
            "candles",
            "shortlist",
            "min_listing_days",
            "max_abs_funding",
            "benchmark",
            "max_symbols",
            "min_weight",
            "max_weight",
            "weighting_method",
            "rebalance_threshold_pct",
            "replacement",
            "correlation_window_hours",
            "weights_lookback_hours",
            "exit_grace_hours",
        ]
        assert list(document["policy"]["replacement"]) == [
            "candidates",
            "margin",
            "confirmation_hours",
            "min_holding_hours",
            "correlation_limit",
        ]
