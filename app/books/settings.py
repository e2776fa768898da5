"""The books' runtime settings: a replay's budgets, with the deployment's settings it runs with
(`ReplaySettings`, declared on its fields)."""

from __future__ import annotations

from app.books.replay_config import ReplaySettings
from app.platform.settings_store.fields import declared_settings

SETTINGS = declared_settings(ReplaySettings)
