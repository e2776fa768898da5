"""The registry of runtime settings: every `system_configuration` key the service reads, with its
default, meaning, type and bounds. The migrations seed exactly these defaults (a test holds them
together); code reads a setting only through this module, so a default is written once, and the
configuration API validates and lists a setting by the bounds declared here."""

from __future__ import annotations

import math
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession

from app.market.contracts.categories import CATEGORIES, DEFAULT_EXCLUDED
from app.portfolio.maths.weighting import METHODS
from app.settings.repository import ConfigRepository
from app.settings.typed.setting import from_settings, setting_fields, setting_keys

SettingType = Literal["integer", "number", "string", "boolean", "array"]
DAY = 86_400
YEAR = 365 * DAY


@dataclass(frozen=True)
class Bounds:
    """What a value may be: its type (None: the default's) and inclusive range or choices."""

    type: SettingType | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None


def between(minimum: float, maximum: float, type: SettingType | None = None) -> Bounds:
    return Bounds(type, minimum, maximum)


def one_of(*choices: str) -> Bounds:
    return Bounds("string", choices=choices)


def some_of(*choices: str) -> Bounds:
    """A list of distinct strings, each one of `choices` (stored in the order of `choices`)."""
    return Bounds("array", choices=choices)


@dataclass(frozen=True)
class RuntimeSetting:
    key: str
    default: Any
    description: str
    type: SettingType
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    # a field of the decision policy's `PolicySettings` (app/portfolio/policy/settings.py)
    policy: bool = False

    def check(self, value: Any) -> Any:
        """`value` as stored (an integer as int, a number as float), or ValueError saying why."""
        if self.type == "boolean":
            if not isinstance(value, bool):
                raise ValueError("must be true or false")
            return value
        if self.type == "array":
            return self._checked_list(value)
        if self.type == "string":
            if not isinstance(value, str):
                raise ValueError("must be a string")
            if self.choices is not None and value not in self.choices:
                raise ValueError(f"must be one of {', '.join(self.choices)}")
            return value
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if not numeric or not math.isfinite(value):
            raise ValueError(f"must be {'an integer' if self.type == 'integer' else 'a number'}")
        if self.type == "integer":
            if value != int(value):
                raise ValueError("must be an integer")
            value = int(value)
        else:
            value = float(value)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"must be at least {_plain(self.minimum)}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"must be at most {_plain(self.maximum)}")
        return value

    def _checked_list(self, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of strings")
        if len(set(value)) != len(value):
            raise ValueError("must not name a value twice")
        choices = self.choices or ()
        unknown = [v for v in value if v not in choices]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not one of {', '.join(choices)}")
        return [c for c in choices if c in value]


def _plain(bound: float) -> str:
    return str(int(bound)) if bound == int(bound) else str(bound)


def _type_of(default: Any) -> SettingType:
    if isinstance(default, bool):
        return "boolean"
    if isinstance(default, list):
        return "array"
    if isinstance(default, int):
        return "integer"
    return "number" if isinstance(default, float) else "string"


def _setting(
    key: str, default: Any, description: str, bounds: Bounds | None = None, policy: bool = False
) -> RuntimeSetting:
    bounds = bounds or Bounds()
    return RuntimeSetting(
        key,
        default,
        description,
        bounds.type or _type_of(default),
        bounds.minimum,
        bounds.maximum,
        bounds.choices,
        policy,
    )


POLICY = True  # an entry's last element: the decision policy reads it (live and in replay)


INTERVAL = between(60, YEAR)  # a job period, seconds
RETENTION = between(1, 3650)  # days

# A table, unformatted: one setting to an entry (key, default, meaning, bounds, and POLICY for
# a field of the policy's `PolicySettings`), read across.
# fmt: off
RUNTIME_SETTINGS: tuple[RuntimeSetting, ...] = tuple(
    _setting(*cast("tuple[Any, ...]", entry))  # entries of 4 or 5 elements: mypy joins them
    for entry in [
        # portfolio
        ("max_portfolio_symbols", 10, "Most active portfolio members (ranks 1..n enforced).",
         between(1, 50), POLICY),
        ("min_position_weight", 2.0, "Smallest weight of an active member, percent.",
         between(0, 100), POLICY),
        ("max_position_weight", 25.0, "Largest weight of an active member, percent.",
         between(1, 100), POLICY),
        (
            "weighting_method",
            "score",
            f"{' | '.join(METHODS)}.",
            one_of(*METHODS),
            POLICY,
        ),
        ("rebalance_threshold_pct", 1.0, "Weight changes above this many points are applied.",
         between(0, 100), POLICY),
        ("replacement_candidates", 2, "How many bottom members are replacement candidates.",
         between(1, 50), POLICY),
        ("replacement_margin", 5.0, "Composite points an outsider must lead a candidate by.",
         between(0, 100), POLICY),
        ("replacement_confirmation_hours", 24,
         "Hours the lead must hold: in every scoring run back to one this long before the "
         "latest (0: the latest alone), whatever the scoring cadence.",
         between(0, 168), POLICY),
        ("min_holding_hours", 24, "Hours a member is held before it may be replaced.",
         between(0, 8760), POLICY),
        ("correlation_limit", 0.85, "Highest allowed correlation of a newcomer with a member.",
         between(0, 1), POLICY),
        ("exit_grace_hours", 24,
         "Hours a member's contract may stay Paused, or its candles stale, before it exits "
         "without waiting for the replacement hysteresis.",
         between(2, 720), POLICY),
        ("auto_replace_exits", True,
         "A member that must exit (delisted, not Open, expiring, Paused or stale past "
         "exit_grace_hours) is replaced by the scoring run; false: only proposed. With "
         "autopilot on, only proposed: the policy book's hourly pass makes the change.",
         Bounds("boolean")),
        ("autopilot", False,
         "Each hour the forward record marks (the forward_record job), the real portfolio "
         "follows the policy book's decision, as actor autopilot: its members (replacements, "
         "exits, vacancies filled) and its target weights, so the as-run record equals the "
         "policy's. False: replacements stay proposals.",
         Bounds("boolean")),
        ("stale_data_limit_s", 1800, "Data older than this is stale; automatic changes freeze.",
         between(60, 7 * DAY)),
        ("liquidity_reference_balance_usdt", 0, "Balance the liquidity cap is checked at; 0: off.",
         between(0, 1e12, "number")),
        (
            "liquidity_max_depth_share",
            0.1,
            "Largest share of a member's 1% depth one notional takes.",
            between(0.001, 1),
        ),
        ("weights_lookback_hours", 500, "Hourly candles used for volatility and covariance.",
         between(24, 2160), POLICY),
        ("correlation_window_hours", 168, "Default window of the correlation check, hours.",
         between(24, 2160), POLICY),
        ("target_volatility", 0.8, "Annualised volatility a volatility-adjusted size aims at.",
         between(0.01, 10)),
        # scoring
        ("scoring_shortlist", 150, "Stage 2 scores this many contracts (stage-1 rank) + members.",
         between(10, 500), POLICY),
        ("scoring_candles", 500, "Hourly candles per symbol the scorer reads.",
         between(100, 5000), POLICY),
        ("scoring_min_listing_days", 3, "Stage 1 skips contracts listed more recently than this.",
         between(0, 365), POLICY),
        ("scoring_max_abs_funding", 0.01, "Stage 1 skips contracts with |funding| above this.",
         between(0, 1), POLICY),
        ("scoring_rotation", True,
         "Also score the rest of the eligible universe, oldest first, each contract hourly.",
         Bounds("boolean")),
        ("scoring_weight_budget", 1000,
         "KuCoin weight a scoring run may spend in all; its core is paid even past it.",
         between(0, 100_000)),
        ("gate_min_history", 200, "Fewest candles a symbol needs (INSUFFICIENT_HISTORY).",
         between(24, 5000)),
        ("gate_max_gap_ratio", 0.02, "Largest share of missing candles (CANDLE_GAPS).",
         between(0, 1)),
        ("gate_max_ticker_age_s", 300, "Oldest book/ticker a score may use (STALE_TICKER).",
         between(1, DAY)),
        ("gate_max_abs_bar_return", 0.5, "Largest |log return| of one candle (EXTREME_MOVE).",
         between(0.01, 10)),
        ("excluded_categories", list(DEFAULT_EXCLUDED),
         "Contract categories never scored, picked or added (gate code "
         "excluded:category:<name>): any of crypto, stablecoin, commodity, equity.",
         some_of(*CATEGORIES)),
        # alerts
        ("alert_low_score", 40.0, "A member whose latest composite is below this: low_score.",
         between(0, 100)),
        ("alert_max_loss_pct", 15.0, "A member down more than this since inclusion (percent).",
         between(0, 100)),
        ("alert_max_drawdown_pct", 25.0, "A member's drawdown since inclusion above (percent).",
         between(0, 100)),
        ("alert_cooldown_s", 900, "A resolved alert that recurs within this reopens its row.",
         between(0, 30 * DAY)),
        # signals
        ("signal_max_spread_bps", 20.0, "The liquidity agent rejects a wider spread (bps).",
         between(0, 10_000)),
        ("signal_max_volatility", 1.5, "The risk agent rejects a higher annualised volatility.",
         between(0, 100)),
        ("signal_max_funding_carry_bps", 10.0, "The fundamental agent rejects a BUY whose longs "
         "pay more funding than this per 8 h (bps).", between(0, 10_000)),
        ("signal_quorum", 2, "Agents that must vote (not abstain) for a consensus.", between(1, 4)),
        ("signal_approve_share", 0.5, "A signal is approved when the approving weight x "
         "confidence exceeds this share of the voting agents'.", between(0, 1)),
        # jobs (seconds between runs)
        ("universe_sync_interval_s", 3600, "Seconds between universe syncs.", INTERVAL),
        ("score_refresh_interval_s", 900, "Seconds between scoring runs.", INTERVAL),
        ("alert_check_interval_s", 300, "Seconds between alert checks.", INTERVAL),
        ("signal_process_interval_s", 60, "Seconds between signal processing passes.", INTERVAL),
        ("rebalance_interval_s", 86400, "Seconds between automatic rebalances (when enabled).",
         INTERVAL),
        (
            "evidence_refresh_interval_s",
            604800,
            "Seconds between walk-forward calibrations of the stored history (the evidence).",
            between(3600, YEAR),
        ),
        ("retention_interval_s", 3600, "Seconds between retention passes.", INTERVAL),
        ("as_run_record_interval_s", 600, "Seconds between as-run record updates (the "
         "track_record job: each marks the hours whose candles are stored).", INTERVAL),
        ("forward_record_interval_s", 600, "Seconds between forward record updates (the "
         "forward_record job: each marks the hours whose candles are stored).", INTERVAL),
        # Read by no job since 0039 (the two above took its value); kept so that the release
        # before it, still running during a rollout, finds it: removed in a later release.
        ("track_record_interval_s", 600, "Superseded by as_run_record_interval_s and "
         "forward_record_interval_s; read by no job, and removed in a later release.", INTERVAL),
        # the live track record's costs on traded notional
        ("track_record_fee_bps", 6.0, "Taker fee the track record pays on traded notional (bps).",
         between(0, 1000)),
        ("track_record_slippage_bps", 0.0, "Slippage the track record pays on traded notional "
         "(bps).", between(0, 1000)),
        ("timeline_max_days", 366, "Longest range one GET /portfolio/timeline answers (days): "
         "a longer one is a 422, and without `from` it starts this long before `to` at most.",
         between(1, 3650)),
        # replays' budgets
        ("replay_max_decision_members", 100_000, "Most decisions x members one POST /replays "
         "may ask for (a year of hourly decisions for 10 members is 87 600); more is a 422.",
         between(1_000, 10_000_000)),
        ("replay_time_limit_s", 3600, "Longest a replay, calibration or what-if run computes "
         "(seconds); past it, the run stops and ends failed (`run-time-limit`).",
         between(1, DAY)),
        # retention (days; candles, the audit trails and the records are kept)
        (
            "retention_breakdown_days",
            30,
            "Days a run keeps its inputs and its per-component score rows with their metric "
            "breakdowns (the composite, with its component scores, stays).",
            RETENTION,
        ),
        ("retention_score_days", 400, "Days a run and its composite scores are kept.",
         RETENTION),
        ("retention_event_days", 14, "Days event outbox rows and webhook deliveries are kept.",
         RETENTION),
        ("retention_job_run_days", 90, "Days finished job runs are kept (each job's last stays).",
         RETENTION),
        ("retention_signal_days", 90, "Days a decided or expired signal is kept (a pending one "
         "always; one whose outcome is not measured yet until its longest horizon, 24 h, ended "
         "this long ago). The agents' weights learn from the measured signals kept.", RETENTION),
        ("retention_replay_days", 90, "Days an ended replay, calibration or what-if run is kept "
         "with its report (each kind's newest succeeded run, and each configuration's newest "
         "succeeded calibration, stay).", RETENTION),
        ("retention_alert_days", 90, "Days a resolved alert is kept (open and acknowledged ones "
         "stay; and at least alert_cooldown_s, within which a recurrence reopens it).",
         RETENTION),
        ("retention_batch_rows", 1000, "Most rows one retention transaction deletes or updates.",
         between(100, 10_000)),
    ]
)
# fmt: on
SETTINGS: dict[str, RuntimeSetting] = {s.key: s for s in RUNTIME_SETTINGS}
DEFAULTS: dict[str, Any] = {s.key: s.default for s in RUNTIME_SETTINGS}


def default_of(key: str) -> Any:
    """The registered default of `key` (KeyError for a key nobody registered)."""
    return DEFAULTS[key]


async def read_settings(session: AsyncSession, keys: Iterable[str]) -> dict[str, Any]:
    """The stored value of each key, or its registered default when not stored (untyped: the
    configuration API's and the replay's documents; a service reads `read_typed`)."""
    return await ConfigRepository(session).get_many({key: DEFAULTS[key] for key in keys})


T = TypeVar("T")
# The Python types of each registry type: a field reading a setting is of its setting's type (an
# `integer` may widen to a float, as a duration in seconds does; an `array` is a tuple or a list
# of strings).
PYTHON_TYPES: dict[SettingType, tuple[type[Any], ...]] = {
    "integer": (int, float),
    "number": (float,),
    "string": (str,),
    "boolean": (bool,),
    "array": (tuple, list),
}


def check_type(key: str, kind: Any) -> None:
    """TypeError unless `kind` (a type, or a generic alias such as `tuple[str, ...]`) is the
    Python type of the registered setting `key`."""
    expected = PYTHON_TYPES[SETTINGS[key].type]
    if (typing.get_origin(kind) or kind) not in expected:
        raise TypeError(f"{key} is {SETTINGS[key].type}: read it as {expected[0].__name__}")


_TYPED_KEYS: dict[type[Any], tuple[str, ...]] = {}  # each class's keys, its types checked


def typed_keys(cls: type[Any]) -> tuple[str, ...]:
    """The settings the dataclass `cls` reads (fields named by `setting(key)`), each field's type
    checked against its registry type (once per class)."""
    if cls not in _TYPED_KEYS:
        for key, kind in setting_fields(cls):
            check_type(key, kind)
        _TYPED_KEYS[cls] = setting_keys(cls)
    return _TYPED_KEYS[cls]


async def read_typed(session: AsyncSession, cls: type[T]) -> T:
    """The dataclass `cls` of runtime settings, read in one query: each field is its setting's
    stored value (or registered default) as the field's type (`int(...)` of an integer, ...)."""
    return from_settings(cls, await read_settings(session, typed_keys(cls)))


async def read_settings_as(
    session: AsyncSession, keys: Iterable[str], kind: type[T]
) -> dict[str, T]:
    """Each of `keys` (settings of one type, such as the jobs' periods) as `kind`, its registry
    type's Python type (TypeError otherwise), in one query."""
    keys = tuple(keys)
    for key in keys:
        check_type(key, kind)
    values = await read_settings(session, keys)
    return {key: kind(value) for key, value in values.items()}  # type: ignore[call-arg]


async def read_setting(session: AsyncSession, key: str, kind: type[T]) -> T:
    """The one setting `key` as `kind`, its registry type's Python type (TypeError otherwise):
    `read_setting(session, "stale_data_limit_s", float)`."""
    return (await read_settings_as(session, [key], kind))[key]
