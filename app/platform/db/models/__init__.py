"""All ORM models, imported here so `Base.metadata` is complete for Alembic and the tests: the
kind-folder models below, and each domain's `models` module (registered, not re-exported: a
domain's rows are imported from its own folder)."""

import app.callers.models  # registers `api_key`, `idempotency_key`
import app.lab.models  # registers `replay_run`
import app.market.models  # registers `symbol`, `candle`, `candle_gap`, `funding_settlement`
import app.portfolio.models  # registers the members, their audit trail, the PnL reports
import app.records.models  # registers `track_record*`, `forward_*`
import app.scoring.models  # registers `scoring_run`, `symbol_score` and the algorithm's tables
import app.settings.models  # registers `system_configuration`, `configuration_change`
import app.signals.models  # noqa: F401  (registers `signal`)
from app.platform.db.models.alert import Alert
from app.platform.db.models.budget import ExchangeWeight, FundingChecked
from app.platform.db.models.events import EventOutbox
from app.platform.db.models.system import JobRun
from app.platform.db.models.webhooks import WebhookDelivery

__all__ = [
    "Alert",
    "EventOutbox",
    "ExchangeWeight",
    "FundingChecked",
    "JobRun",
    "PerformanceRecord",
    "WebhookDelivery",
]
