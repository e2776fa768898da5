"""The runtime settings as an API: every tunable with its value and bounds, and atomic, validated,
audited changes. Bounds and types come from each setting's declaration (gathered in
`app/configuration/registry.py`); the rules that span keys or read stored state are here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.configuration.registry import RUNTIME_SETTINGS, SETTINGS
from app.configuration.schemas import ConfigChangeRecord, SettingChangeRead
from app.platform.core.clock import utcnow
from app.platform.core.errors import ValidationFailedError
from app.platform.db.models.system_configuration import ConfigurationChange
from app.platform.db.repositories.stored_settings import ConfigRepository
from app.platform.settings_store.declaration import RuntimeSetting
from app.portfolio.repository import PortfolioRepository
from app.scoring.config_in_force import load_run_config
from app.scoring.scorers.windows import FETCHED, fetched_problem


@dataclass(frozen=True)
class SettingValue:
    setting: RuntimeSetting
    value: Any


@dataclass(frozen=True)
class CrossRule:
    """A rule over the values after the change, checked when it involves a changed key."""

    keys: tuple[str, ...]
    holds: Callable[[Mapping[str, Any]], bool]
    message: str


CROSS_RULES = (
    CrossRule(
        ("min_position_weight", "max_position_weight"),
        lambda v: v["min_position_weight"] <= v["max_position_weight"],
        "min_position_weight must not exceed max_position_weight",
    ),
    CrossRule(
        ("gate_min_history", "scoring_candles"),
        lambda v: v["gate_min_history"] <= v["scoring_candles"],
        "gate_min_history must not exceed scoring_candles (no symbol could pass the gate)",
    ),
    CrossRule(
        ("retention_breakdown_days", "retention_score_days"),
        lambda v: v["retention_breakdown_days"] <= v["retention_score_days"],
        "retention_breakdown_days must not exceed retention_score_days",
    ),
)


def _broken(rule: CrossRule, values: Mapping[str, Any]) -> bool:
    try:
        return not rule.holds(values)
    except TypeError:  # a stored value of the wrong type (written by hand): not a valid state
        return True


def _error(key: str, message: str, code: str) -> dict[str, str]:
    return {"field": f"values.{key}", "location": "body", "message": message, "code": code}


def _invalid(errors: list[dict[str, str]]) -> ValidationFailedError:
    first = errors[0]
    return ValidationFailedError(f"{first['field']}: {first['message']}", extra={"errors": errors})


class ConfigurationService:
    """Lists the runtime settings and changes them, validated and audited."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.config = ConfigRepository(session)

    async def list_settings(self) -> list[SettingValue]:
        """Every registered setting with its value in force, by key."""
        return self._values(await self.config.all_values())

    async def update(
        self, values: Mapping[str, Any], *, actor: Actor
    ) -> tuple[list[SettingChangeRead], list[SettingValue]]:
        """Change the given settings together or not at all: each value checked against its
        bounds, the cross-key rules against the result; one audit row per value that changed."""
        checked = self._checked(values)
        # The portfolio's write lock first (as every membership change takes it): the member
        # count cannot change while `max_portfolio_symbols` is checked against it.
        portfolio = PortfolioRepository(self.session)
        await portfolio.lock()
        stored = await self.config.lock_all()
        current = {s.setting.key: s.value for s in self._values(stored)}
        after = {**current, **checked}
        errors = [
            _error(rule.keys[0] if rule.keys[0] in checked else rule.keys[1], rule.message, "rule")
            for rule in CROSS_RULES
            if set(rule.keys) & set(checked) and _broken(rule, after)
        ]
        if FETCHED in checked:
            errors += await self._windows_fit(checked[FETCHED])
        if "max_portfolio_symbols" in checked:
            active = len(await portfolio.active())
            if checked["max_portfolio_symbols"] < active:
                errors.append(
                    _error(
                        "max_portfolio_symbols",
                        f"must not be below the {active} active members (remove some first)",
                        "rule",
                    )
                )
        if errors:
            raise _invalid(errors)
        now = utcnow()
        changes = [
            SettingChangeRead(key=key, old=current[key], new=new)
            for key, new in sorted(checked.items())
            if current[key] != new
        ]
        for change in changes:
            setting = SETTINGS[change.key]
            await self.config.set_value(
                change.key, change.new, description=setting.description, actor=actor.name, now=now
            )
            await self.config.record_change(
                ConfigurationChange(
                    changed_at=now,
                    actor=actor.name,
                    request_id=actor.request_id,
                    key=change.key,
                    old_value=change.old,
                    new_value=change.new,
                )
            )
        return changes, self._values({**stored, **{c.key: c.new for c in changes}})

    async def _windows_fit(self, candles: int) -> list[dict[str, str]]:
        """`scoring_candles` may not fall under what the longest window of the scoring algorithm
        in force reads (its active components'): a run would measure it over fewer hours than
        it says. A 422 naming the window to shorten first."""
        config = await load_run_config(self.session)
        words = fetched_problem(config.parameters, candles)
        if words is None:
            return []
        return [_error(FETCHED, f"{words} (shorten it first: PUT /scoring/algorithms)", "rule")]

    async def changes(self, limit: int) -> list[ConfigChangeRecord]:
        """The changes of the runtime settings made over the API, newest first."""
        return [ConfigChangeRecord.model_validate(c) for c in await self.config.changes(limit)]

    @staticmethod
    def _checked(values: Mapping[str, Any]) -> dict[str, Any]:
        if not values:
            raise _invalid([_error("", "name at least one setting", "missing")])
        errors, checked = [], {}
        for key, value in values.items():
            setting = SETTINGS.get(key)
            if setting is None:
                errors.append(_error(key, "unknown setting", "unknown_setting"))
                continue
            try:
                checked[key] = setting.check(value)
            except ValueError as exc:
                errors.append(_error(key, str(exc), "invalid_value"))
        if errors:
            raise _invalid(errors)
        return checked

    @staticmethod
    def _values(stored: Mapping[str, Any]) -> list[SettingValue]:
        """Each setting's stored value, or its default when none is stored (as it is read)."""
        return [
            SettingValue(s, s.default if stored.get(s.key) is None else stored[s.key])
            for s in sorted(RUNTIME_SETTINGS, key=lambda s: s.key)
        ]
