from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.config_update_values_excluded_categories_item import (
    ConfigUpdateValuesExcludedCategoriesItem,
    check_config_update_values_excluded_categories_item,
)
from ..models.config_update_values_weighting_method import (
    ConfigUpdateValuesWeightingMethod,
    check_config_update_values_weighting_method,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ConfigUpdateValues")


@_attrs_define
class ConfigUpdateValues:
    """Setting key -> new value; all are applied or none (unknown keys, values out of bounds and broken cross-key rules are
    422).

        Attributes:
            alert_check_interval_s (int | Unset): Seconds between alert checks.
            alert_cooldown_s (int | Unset): A resolved alert that recurs within this reopens its row.
            alert_low_score (float | Unset): A member whose latest composite is below this: low_score.
            alert_max_drawdown_pct (float | Unset): A member's drawdown since inclusion above (percent).
            alert_max_loss_pct (float | Unset): A member down more than this since inclusion (percent).
            as_run_record_interval_s (int | Unset): Seconds between as-run record updates (the track_record job: each marks
                the hours whose candles are stored).
            auto_replace_exits (bool | Unset): A member that must exit (delisted, not Open, expiring, Paused or stale past
                exit_grace_hours) is replaced by the scoring run; false: only proposed. With autopilot on, only proposed: the
                policy book's hourly pass makes the change.
            autopilot (bool | Unset): Each hour the forward record marks (the forward_record job), the real portfolio
                follows the policy book's decision, as actor autopilot: its members (replacements, exits, vacancies filled) and
                its target weights, so the as-run record equals the policy's. False: replacements stay proposals.
            correlation_limit (float | Unset): Highest allowed correlation of a newcomer with a member.
            correlation_window_hours (int | Unset): Default window of the correlation check, hours.
            evidence_refresh_interval_s (int | Unset): Seconds between walk-forward calibrations of the stored history (the
                evidence).
            excluded_categories (list[ConfigUpdateValuesExcludedCategoriesItem] | Unset): Contract categories never scored,
                picked or added (gate code excluded:category:<name>): any of crypto, stablecoin, commodity, equity.
            exit_grace_hours (int | Unset): Hours a member's contract may stay Paused, or its candles stale, before it exits
                without waiting for the replacement hysteresis.
            forward_record_interval_s (int | Unset): Seconds between forward record updates (the forward_record job: each
                marks the hours whose candles are stored).
            gate_max_abs_bar_return (float | Unset): Largest |log return| of one candle (EXTREME_MOVE).
            gate_max_gap_ratio (float | Unset): Largest share of missing candles (CANDLE_GAPS).
            gate_max_ticker_age_s (int | Unset): Oldest book/ticker a score may use (STALE_TICKER).
            gate_min_history (int | Unset): Fewest candles a symbol needs (INSUFFICIENT_HISTORY).
            liquidity_max_depth_share (float | Unset): Largest share of a member's 1% depth one notional takes.
            liquidity_reference_balance_usdt (float | Unset): Balance the liquidity cap is checked at; 0: off.
            max_portfolio_symbols (int | Unset): Most active portfolio members (ranks 1..n enforced).
            max_position_weight (float | Unset): Largest weight of an active member, percent.
            min_holding_hours (int | Unset): Hours a member is held before it may be replaced.
            min_position_weight (float | Unset): Smallest weight of an active member, percent.
            rebalance_interval_s (int | Unset): Seconds between automatic rebalances (when enabled).
            rebalance_threshold_pct (float | Unset): Weight changes above this many points are applied.
            replacement_candidates (int | Unset): How many bottom members are replacement candidates.
            replacement_confirmation_hours (int | Unset): Hours the lead must hold: in every scoring run back to one this
                long before the latest (0: the latest alone), whatever the scoring cadence.
            replacement_margin (float | Unset): Composite points an outsider must lead a candidate by.
            replay_max_decision_members (int | Unset): Most decisions x members one POST /replays may ask for (a year of
                hourly decisions for 10 members is 87 600); more is a 422.
            replay_time_limit_s (int | Unset): Longest a replay, calibration or what-if run computes (seconds); past it, the
                run stops and ends failed (`run-time-limit`).
            retention_alert_days (int | Unset): Days a resolved alert is kept (open and acknowledged ones stay; and at least
                alert_cooldown_s, within which a recurrence reopens it).
            retention_batch_rows (int | Unset): Most rows one retention transaction deletes or updates.
            retention_breakdown_days (int | Unset): Days a run keeps its inputs and its per-component score rows with their
                metric breakdowns (the composite, with its component scores, stays).
            retention_event_days (int | Unset): Days event outbox rows and webhook deliveries are kept.
            retention_interval_s (int | Unset): Seconds between retention passes.
            retention_job_run_days (int | Unset): Days finished job runs are kept (each job's last stays).
            retention_replay_days (int | Unset): Days an ended replay, calibration or what-if run is kept with its report
                (each kind's newest succeeded run, and each configuration's newest succeeded calibration, stay).
            retention_score_days (int | Unset): Days a run and its composite scores are kept.
            retention_signal_days (int | Unset): Days a decided or expired signal is kept (a pending one always; one whose
                outcome is not measured yet until its longest horizon, 24 h, ended this long ago). The agents' weights learn
                from the measured signals kept.
            score_refresh_interval_s (int | Unset): Seconds between scoring runs.
            scoring_candles (int | Unset): Hourly candles per symbol a scoring run fetches and the scorer reads; every
                window of an active scoring component must fit in it (a longer one is refused, and this cannot be lowered under
                one in force).
            scoring_max_abs_funding (float | Unset): Stage 1 skips contracts with |funding| above this.
            scoring_min_listing_days (int | Unset): Stage 1 skips contracts listed more recently than this.
            scoring_rotation (bool | Unset): Also score the rest of the eligible universe, oldest first, each contract
                hourly.
            scoring_shortlist (int | Unset): Stage 2 scores this many contracts (stage-1 rank) + members.
            scoring_weight_budget (int | Unset): KuCoin weight a scoring run may spend in all; its core is paid even past
                it.
            signal_approve_share (float | Unset): A signal is approved when the approving weight x confidence exceeds this
                share of the voting agents'.
            signal_max_funding_carry_bps (float | Unset): The fundamental agent rejects a BUY whose longs pay more funding
                than this per 8 h (bps).
            signal_max_spread_bps (float | Unset): The liquidity agent rejects a wider spread (bps).
            signal_max_volatility (float | Unset): The risk agent rejects a higher annualised volatility.
            signal_process_interval_s (int | Unset): Seconds between signal processing passes.
            signal_quorum (int | Unset): Agents that must vote (not abstain) for a consensus.
            stale_data_limit_s (int | Unset): Data older than this is stale; automatic changes freeze.
            target_volatility (float | Unset): Annualised volatility a volatility-adjusted size aims at.
            timeline_max_days (int | Unset): Longest range one GET /portfolio/timeline answers (days): a longer one is a
                422, and without `from` it starts this long before `to` at most.
            track_record_fee_bps (float | Unset): Taker fee the track record pays on traded notional (bps).
            track_record_interval_s (int | Unset): Superseded by as_run_record_interval_s and forward_record_interval_s;
                read by no job, and removed in a later release.
            track_record_slippage_bps (float | Unset): Slippage the track record pays on traded notional (bps).
            universe_sync_interval_s (int | Unset): Seconds between universe syncs.
            weighting_method (ConfigUpdateValuesWeightingMethod | Unset): score | score_squared | rank | equal |
                inverse_volatility | risk_parity | hrp.
            weights_lookback_hours (int | Unset): Hourly candles used for volatility and covariance.
    """

    alert_check_interval_s: int | Unset = UNSET
    alert_cooldown_s: int | Unset = UNSET
    alert_low_score: float | Unset = UNSET
    alert_max_drawdown_pct: float | Unset = UNSET
    alert_max_loss_pct: float | Unset = UNSET
    as_run_record_interval_s: int | Unset = UNSET
    auto_replace_exits: bool | Unset = UNSET
    autopilot: bool | Unset = UNSET
    correlation_limit: float | Unset = UNSET
    correlation_window_hours: int | Unset = UNSET
    evidence_refresh_interval_s: int | Unset = UNSET
    excluded_categories: list[ConfigUpdateValuesExcludedCategoriesItem] | Unset = UNSET
    exit_grace_hours: int | Unset = UNSET
    forward_record_interval_s: int | Unset = UNSET
    gate_max_abs_bar_return: float | Unset = UNSET
    gate_max_gap_ratio: float | Unset = UNSET
    gate_max_ticker_age_s: int | Unset = UNSET
    gate_min_history: int | Unset = UNSET
    liquidity_max_depth_share: float | Unset = UNSET
    liquidity_reference_balance_usdt: float | Unset = UNSET
    max_portfolio_symbols: int | Unset = UNSET
    max_position_weight: float | Unset = UNSET
    min_holding_hours: int | Unset = UNSET
    min_position_weight: float | Unset = UNSET
    rebalance_interval_s: int | Unset = UNSET
    rebalance_threshold_pct: float | Unset = UNSET
    replacement_candidates: int | Unset = UNSET
    replacement_confirmation_hours: int | Unset = UNSET
    replacement_margin: float | Unset = UNSET
    replay_max_decision_members: int | Unset = UNSET
    replay_time_limit_s: int | Unset = UNSET
    retention_alert_days: int | Unset = UNSET
    retention_batch_rows: int | Unset = UNSET
    retention_breakdown_days: int | Unset = UNSET
    retention_event_days: int | Unset = UNSET
    retention_interval_s: int | Unset = UNSET
    retention_job_run_days: int | Unset = UNSET
    retention_replay_days: int | Unset = UNSET
    retention_score_days: int | Unset = UNSET
    retention_signal_days: int | Unset = UNSET
    score_refresh_interval_s: int | Unset = UNSET
    scoring_candles: int | Unset = UNSET
    scoring_max_abs_funding: float | Unset = UNSET
    scoring_min_listing_days: int | Unset = UNSET
    scoring_rotation: bool | Unset = UNSET
    scoring_shortlist: int | Unset = UNSET
    scoring_weight_budget: int | Unset = UNSET
    signal_approve_share: float | Unset = UNSET
    signal_max_funding_carry_bps: float | Unset = UNSET
    signal_max_spread_bps: float | Unset = UNSET
    signal_max_volatility: float | Unset = UNSET
    signal_process_interval_s: int | Unset = UNSET
    signal_quorum: int | Unset = UNSET
    stale_data_limit_s: int | Unset = UNSET
    target_volatility: float | Unset = UNSET
    timeline_max_days: int | Unset = UNSET
    track_record_fee_bps: float | Unset = UNSET
    track_record_interval_s: int | Unset = UNSET
    track_record_slippage_bps: float | Unset = UNSET
    universe_sync_interval_s: int | Unset = UNSET
    weighting_method: ConfigUpdateValuesWeightingMethod | Unset = UNSET
    weights_lookback_hours: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        alert_check_interval_s = self.alert_check_interval_s

        alert_cooldown_s = self.alert_cooldown_s

        alert_low_score = self.alert_low_score

        alert_max_drawdown_pct = self.alert_max_drawdown_pct

        alert_max_loss_pct = self.alert_max_loss_pct

        as_run_record_interval_s = self.as_run_record_interval_s

        auto_replace_exits = self.auto_replace_exits

        autopilot = self.autopilot

        correlation_limit = self.correlation_limit

        correlation_window_hours = self.correlation_window_hours

        evidence_refresh_interval_s = self.evidence_refresh_interval_s

        excluded_categories: list[str] | Unset = UNSET
        if not isinstance(self.excluded_categories, Unset):
            excluded_categories = []
            for excluded_categories_item_data in self.excluded_categories:
                excluded_categories_item: str = excluded_categories_item_data
                excluded_categories.append(excluded_categories_item)

        exit_grace_hours = self.exit_grace_hours

        forward_record_interval_s = self.forward_record_interval_s

        gate_max_abs_bar_return = self.gate_max_abs_bar_return

        gate_max_gap_ratio = self.gate_max_gap_ratio

        gate_max_ticker_age_s = self.gate_max_ticker_age_s

        gate_min_history = self.gate_min_history

        liquidity_max_depth_share = self.liquidity_max_depth_share

        liquidity_reference_balance_usdt = self.liquidity_reference_balance_usdt

        max_portfolio_symbols = self.max_portfolio_symbols

        max_position_weight = self.max_position_weight

        min_holding_hours = self.min_holding_hours

        min_position_weight = self.min_position_weight

        rebalance_interval_s = self.rebalance_interval_s

        rebalance_threshold_pct = self.rebalance_threshold_pct

        replacement_candidates = self.replacement_candidates

        replacement_confirmation_hours = self.replacement_confirmation_hours

        replacement_margin = self.replacement_margin

        replay_max_decision_members = self.replay_max_decision_members

        replay_time_limit_s = self.replay_time_limit_s

        retention_alert_days = self.retention_alert_days

        retention_batch_rows = self.retention_batch_rows

        retention_breakdown_days = self.retention_breakdown_days

        retention_event_days = self.retention_event_days

        retention_interval_s = self.retention_interval_s

        retention_job_run_days = self.retention_job_run_days

        retention_replay_days = self.retention_replay_days

        retention_score_days = self.retention_score_days

        retention_signal_days = self.retention_signal_days

        score_refresh_interval_s = self.score_refresh_interval_s

        scoring_candles = self.scoring_candles

        scoring_max_abs_funding = self.scoring_max_abs_funding

        scoring_min_listing_days = self.scoring_min_listing_days

        scoring_rotation = self.scoring_rotation

        scoring_shortlist = self.scoring_shortlist

        scoring_weight_budget = self.scoring_weight_budget

        signal_approve_share = self.signal_approve_share

        signal_max_funding_carry_bps = self.signal_max_funding_carry_bps

        signal_max_spread_bps = self.signal_max_spread_bps

        signal_max_volatility = self.signal_max_volatility

        signal_process_interval_s = self.signal_process_interval_s

        signal_quorum = self.signal_quorum

        stale_data_limit_s = self.stale_data_limit_s

        target_volatility = self.target_volatility

        timeline_max_days = self.timeline_max_days

        track_record_fee_bps = self.track_record_fee_bps

        track_record_interval_s = self.track_record_interval_s

        track_record_slippage_bps = self.track_record_slippage_bps

        universe_sync_interval_s = self.universe_sync_interval_s

        weighting_method: str | Unset = UNSET
        if not isinstance(self.weighting_method, Unset):
            weighting_method = self.weighting_method

        weights_lookback_hours = self.weights_lookback_hours

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if alert_check_interval_s is not UNSET:
            field_dict["alert_check_interval_s"] = alert_check_interval_s
        if alert_cooldown_s is not UNSET:
            field_dict["alert_cooldown_s"] = alert_cooldown_s
        if alert_low_score is not UNSET:
            field_dict["alert_low_score"] = alert_low_score
        if alert_max_drawdown_pct is not UNSET:
            field_dict["alert_max_drawdown_pct"] = alert_max_drawdown_pct
        if alert_max_loss_pct is not UNSET:
            field_dict["alert_max_loss_pct"] = alert_max_loss_pct
        if as_run_record_interval_s is not UNSET:
            field_dict["as_run_record_interval_s"] = as_run_record_interval_s
        if auto_replace_exits is not UNSET:
            field_dict["auto_replace_exits"] = auto_replace_exits
        if autopilot is not UNSET:
            field_dict["autopilot"] = autopilot
        if correlation_limit is not UNSET:
            field_dict["correlation_limit"] = correlation_limit
        if correlation_window_hours is not UNSET:
            field_dict["correlation_window_hours"] = correlation_window_hours
        if evidence_refresh_interval_s is not UNSET:
            field_dict["evidence_refresh_interval_s"] = evidence_refresh_interval_s
        if excluded_categories is not UNSET:
            field_dict["excluded_categories"] = excluded_categories
        if exit_grace_hours is not UNSET:
            field_dict["exit_grace_hours"] = exit_grace_hours
        if forward_record_interval_s is not UNSET:
            field_dict["forward_record_interval_s"] = forward_record_interval_s
        if gate_max_abs_bar_return is not UNSET:
            field_dict["gate_max_abs_bar_return"] = gate_max_abs_bar_return
        if gate_max_gap_ratio is not UNSET:
            field_dict["gate_max_gap_ratio"] = gate_max_gap_ratio
        if gate_max_ticker_age_s is not UNSET:
            field_dict["gate_max_ticker_age_s"] = gate_max_ticker_age_s
        if gate_min_history is not UNSET:
            field_dict["gate_min_history"] = gate_min_history
        if liquidity_max_depth_share is not UNSET:
            field_dict["liquidity_max_depth_share"] = liquidity_max_depth_share
        if liquidity_reference_balance_usdt is not UNSET:
            field_dict["liquidity_reference_balance_usdt"] = liquidity_reference_balance_usdt
        if max_portfolio_symbols is not UNSET:
            field_dict["max_portfolio_symbols"] = max_portfolio_symbols
        if max_position_weight is not UNSET:
            field_dict["max_position_weight"] = max_position_weight
        if min_holding_hours is not UNSET:
            field_dict["min_holding_hours"] = min_holding_hours
        if min_position_weight is not UNSET:
            field_dict["min_position_weight"] = min_position_weight
        if rebalance_interval_s is not UNSET:
            field_dict["rebalance_interval_s"] = rebalance_interval_s
        if rebalance_threshold_pct is not UNSET:
            field_dict["rebalance_threshold_pct"] = rebalance_threshold_pct
        if replacement_candidates is not UNSET:
            field_dict["replacement_candidates"] = replacement_candidates
        if replacement_confirmation_hours is not UNSET:
            field_dict["replacement_confirmation_hours"] = replacement_confirmation_hours
        if replacement_margin is not UNSET:
            field_dict["replacement_margin"] = replacement_margin
        if replay_max_decision_members is not UNSET:
            field_dict["replay_max_decision_members"] = replay_max_decision_members
        if replay_time_limit_s is not UNSET:
            field_dict["replay_time_limit_s"] = replay_time_limit_s
        if retention_alert_days is not UNSET:
            field_dict["retention_alert_days"] = retention_alert_days
        if retention_batch_rows is not UNSET:
            field_dict["retention_batch_rows"] = retention_batch_rows
        if retention_breakdown_days is not UNSET:
            field_dict["retention_breakdown_days"] = retention_breakdown_days
        if retention_event_days is not UNSET:
            field_dict["retention_event_days"] = retention_event_days
        if retention_interval_s is not UNSET:
            field_dict["retention_interval_s"] = retention_interval_s
        if retention_job_run_days is not UNSET:
            field_dict["retention_job_run_days"] = retention_job_run_days
        if retention_replay_days is not UNSET:
            field_dict["retention_replay_days"] = retention_replay_days
        if retention_score_days is not UNSET:
            field_dict["retention_score_days"] = retention_score_days
        if retention_signal_days is not UNSET:
            field_dict["retention_signal_days"] = retention_signal_days
        if score_refresh_interval_s is not UNSET:
            field_dict["score_refresh_interval_s"] = score_refresh_interval_s
        if scoring_candles is not UNSET:
            field_dict["scoring_candles"] = scoring_candles
        if scoring_max_abs_funding is not UNSET:
            field_dict["scoring_max_abs_funding"] = scoring_max_abs_funding
        if scoring_min_listing_days is not UNSET:
            field_dict["scoring_min_listing_days"] = scoring_min_listing_days
        if scoring_rotation is not UNSET:
            field_dict["scoring_rotation"] = scoring_rotation
        if scoring_shortlist is not UNSET:
            field_dict["scoring_shortlist"] = scoring_shortlist
        if scoring_weight_budget is not UNSET:
            field_dict["scoring_weight_budget"] = scoring_weight_budget
        if signal_approve_share is not UNSET:
            field_dict["signal_approve_share"] = signal_approve_share
        if signal_max_funding_carry_bps is not UNSET:
            field_dict["signal_max_funding_carry_bps"] = signal_max_funding_carry_bps
        if signal_max_spread_bps is not UNSET:
            field_dict["signal_max_spread_bps"] = signal_max_spread_bps
        if signal_max_volatility is not UNSET:
            field_dict["signal_max_volatility"] = signal_max_volatility
        if signal_process_interval_s is not UNSET:
            field_dict["signal_process_interval_s"] = signal_process_interval_s
        if signal_quorum is not UNSET:
            field_dict["signal_quorum"] = signal_quorum
        if stale_data_limit_s is not UNSET:
            field_dict["stale_data_limit_s"] = stale_data_limit_s
        if target_volatility is not UNSET:
            field_dict["target_volatility"] = target_volatility
        if timeline_max_days is not UNSET:
            field_dict["timeline_max_days"] = timeline_max_days
        if track_record_fee_bps is not UNSET:
            field_dict["track_record_fee_bps"] = track_record_fee_bps
        if track_record_interval_s is not UNSET:
            field_dict["track_record_interval_s"] = track_record_interval_s
        if track_record_slippage_bps is not UNSET:
            field_dict["track_record_slippage_bps"] = track_record_slippage_bps
        if universe_sync_interval_s is not UNSET:
            field_dict["universe_sync_interval_s"] = universe_sync_interval_s
        if weighting_method is not UNSET:
            field_dict["weighting_method"] = weighting_method
        if weights_lookback_hours is not UNSET:
            field_dict["weights_lookback_hours"] = weights_lookback_hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        alert_check_interval_s = d.pop("alert_check_interval_s", UNSET)

        alert_cooldown_s = d.pop("alert_cooldown_s", UNSET)

        alert_low_score = d.pop("alert_low_score", UNSET)

        alert_max_drawdown_pct = d.pop("alert_max_drawdown_pct", UNSET)

        alert_max_loss_pct = d.pop("alert_max_loss_pct", UNSET)

        as_run_record_interval_s = d.pop("as_run_record_interval_s", UNSET)

        auto_replace_exits = d.pop("auto_replace_exits", UNSET)

        autopilot = d.pop("autopilot", UNSET)

        correlation_limit = d.pop("correlation_limit", UNSET)

        correlation_window_hours = d.pop("correlation_window_hours", UNSET)

        evidence_refresh_interval_s = d.pop("evidence_refresh_interval_s", UNSET)

        _excluded_categories = d.pop("excluded_categories", UNSET)
        excluded_categories: list[ConfigUpdateValuesExcludedCategoriesItem] | Unset = UNSET
        if _excluded_categories is not UNSET:
            excluded_categories = []
            for excluded_categories_item_data in _excluded_categories:
                excluded_categories_item = check_config_update_values_excluded_categories_item(
                    excluded_categories_item_data
                )

                excluded_categories.append(excluded_categories_item)

        exit_grace_hours = d.pop("exit_grace_hours", UNSET)

        forward_record_interval_s = d.pop("forward_record_interval_s", UNSET)

        gate_max_abs_bar_return = d.pop("gate_max_abs_bar_return", UNSET)

        gate_max_gap_ratio = d.pop("gate_max_gap_ratio", UNSET)

        gate_max_ticker_age_s = d.pop("gate_max_ticker_age_s", UNSET)

        gate_min_history = d.pop("gate_min_history", UNSET)

        liquidity_max_depth_share = d.pop("liquidity_max_depth_share", UNSET)

        liquidity_reference_balance_usdt = d.pop("liquidity_reference_balance_usdt", UNSET)

        max_portfolio_symbols = d.pop("max_portfolio_symbols", UNSET)

        max_position_weight = d.pop("max_position_weight", UNSET)

        min_holding_hours = d.pop("min_holding_hours", UNSET)

        min_position_weight = d.pop("min_position_weight", UNSET)

        rebalance_interval_s = d.pop("rebalance_interval_s", UNSET)

        rebalance_threshold_pct = d.pop("rebalance_threshold_pct", UNSET)

        replacement_candidates = d.pop("replacement_candidates", UNSET)

        replacement_confirmation_hours = d.pop("replacement_confirmation_hours", UNSET)

        replacement_margin = d.pop("replacement_margin", UNSET)

        replay_max_decision_members = d.pop("replay_max_decision_members", UNSET)

        replay_time_limit_s = d.pop("replay_time_limit_s", UNSET)

        retention_alert_days = d.pop("retention_alert_days", UNSET)

        retention_batch_rows = d.pop("retention_batch_rows", UNSET)

        retention_breakdown_days = d.pop("retention_breakdown_days", UNSET)

        retention_event_days = d.pop("retention_event_days", UNSET)

        retention_interval_s = d.pop("retention_interval_s", UNSET)

        retention_job_run_days = d.pop("retention_job_run_days", UNSET)

        retention_replay_days = d.pop("retention_replay_days", UNSET)

        retention_score_days = d.pop("retention_score_days", UNSET)

        retention_signal_days = d.pop("retention_signal_days", UNSET)

        score_refresh_interval_s = d.pop("score_refresh_interval_s", UNSET)

        scoring_candles = d.pop("scoring_candles", UNSET)

        scoring_max_abs_funding = d.pop("scoring_max_abs_funding", UNSET)

        scoring_min_listing_days = d.pop("scoring_min_listing_days", UNSET)

        scoring_rotation = d.pop("scoring_rotation", UNSET)

        scoring_shortlist = d.pop("scoring_shortlist", UNSET)

        scoring_weight_budget = d.pop("scoring_weight_budget", UNSET)

        signal_approve_share = d.pop("signal_approve_share", UNSET)

        signal_max_funding_carry_bps = d.pop("signal_max_funding_carry_bps", UNSET)

        signal_max_spread_bps = d.pop("signal_max_spread_bps", UNSET)

        signal_max_volatility = d.pop("signal_max_volatility", UNSET)

        signal_process_interval_s = d.pop("signal_process_interval_s", UNSET)

        signal_quorum = d.pop("signal_quorum", UNSET)

        stale_data_limit_s = d.pop("stale_data_limit_s", UNSET)

        target_volatility = d.pop("target_volatility", UNSET)

        timeline_max_days = d.pop("timeline_max_days", UNSET)

        track_record_fee_bps = d.pop("track_record_fee_bps", UNSET)

        track_record_interval_s = d.pop("track_record_interval_s", UNSET)

        track_record_slippage_bps = d.pop("track_record_slippage_bps", UNSET)

        universe_sync_interval_s = d.pop("universe_sync_interval_s", UNSET)

        _weighting_method = d.pop("weighting_method", UNSET)
        weighting_method: ConfigUpdateValuesWeightingMethod | Unset
        if isinstance(_weighting_method, Unset):
            weighting_method = UNSET
        else:
            weighting_method = check_config_update_values_weighting_method(_weighting_method)

        weights_lookback_hours = d.pop("weights_lookback_hours", UNSET)

        config_update_values = cls(
            alert_check_interval_s=alert_check_interval_s,
            alert_cooldown_s=alert_cooldown_s,
            alert_low_score=alert_low_score,
            alert_max_drawdown_pct=alert_max_drawdown_pct,
            alert_max_loss_pct=alert_max_loss_pct,
            as_run_record_interval_s=as_run_record_interval_s,
            auto_replace_exits=auto_replace_exits,
            autopilot=autopilot,
            correlation_limit=correlation_limit,
            correlation_window_hours=correlation_window_hours,
            evidence_refresh_interval_s=evidence_refresh_interval_s,
            excluded_categories=excluded_categories,
            exit_grace_hours=exit_grace_hours,
            forward_record_interval_s=forward_record_interval_s,
            gate_max_abs_bar_return=gate_max_abs_bar_return,
            gate_max_gap_ratio=gate_max_gap_ratio,
            gate_max_ticker_age_s=gate_max_ticker_age_s,
            gate_min_history=gate_min_history,
            liquidity_max_depth_share=liquidity_max_depth_share,
            liquidity_reference_balance_usdt=liquidity_reference_balance_usdt,
            max_portfolio_symbols=max_portfolio_symbols,
            max_position_weight=max_position_weight,
            min_holding_hours=min_holding_hours,
            min_position_weight=min_position_weight,
            rebalance_interval_s=rebalance_interval_s,
            rebalance_threshold_pct=rebalance_threshold_pct,
            replacement_candidates=replacement_candidates,
            replacement_confirmation_hours=replacement_confirmation_hours,
            replacement_margin=replacement_margin,
            replay_max_decision_members=replay_max_decision_members,
            replay_time_limit_s=replay_time_limit_s,
            retention_alert_days=retention_alert_days,
            retention_batch_rows=retention_batch_rows,
            retention_breakdown_days=retention_breakdown_days,
            retention_event_days=retention_event_days,
            retention_interval_s=retention_interval_s,
            retention_job_run_days=retention_job_run_days,
            retention_replay_days=retention_replay_days,
            retention_score_days=retention_score_days,
            retention_signal_days=retention_signal_days,
            score_refresh_interval_s=score_refresh_interval_s,
            scoring_candles=scoring_candles,
            scoring_max_abs_funding=scoring_max_abs_funding,
            scoring_min_listing_days=scoring_min_listing_days,
            scoring_rotation=scoring_rotation,
            scoring_shortlist=scoring_shortlist,
            scoring_weight_budget=scoring_weight_budget,
            signal_approve_share=signal_approve_share,
            signal_max_funding_carry_bps=signal_max_funding_carry_bps,
            signal_max_spread_bps=signal_max_spread_bps,
            signal_max_volatility=signal_max_volatility,
            signal_process_interval_s=signal_process_interval_s,
            signal_quorum=signal_quorum,
            stale_data_limit_s=stale_data_limit_s,
            target_volatility=target_volatility,
            timeline_max_days=timeline_max_days,
            track_record_fee_bps=track_record_fee_bps,
            track_record_interval_s=track_record_interval_s,
            track_record_slippage_bps=track_record_slippage_bps,
            universe_sync_interval_s=universe_sync_interval_s,
            weighting_method=weighting_method,
            weights_lookback_hours=weights_lookback_hours,
        )

        return config_update_values
