"""All ORM models, imported here so `Base.metadata` is complete for Alembic and the tests: the
kind-folder models below, and each domain's `models` module (registered, not re-exported: a
domain's rows are imported from its own folder)."""

import app.callers.models  # registers `api_key`, `idempotency_key`
import app.lab.models  # registers `replay_run`
import app.market.models  # registers `symbol`, `candle`, `candle_gap`, `funding_settlement`
import app.portfolio.models  # registers the members, their audit trail, the PnL reports
import app.records.models  # registers `track_record*`, `forward_*`
import app.scoring.models  # registers `scoring_run`, `symbol_score` and the algorithm's tables
import app.signals.models  # noqa: F401  (registers `signal`)
from app.platform.db.models.alert import Alert
from app.platform.db.models.budget import ExchangeWeight, FundingChecked
from app.platform.db.models.event_outbox import EventOutbox
from app.platform.db.models.job_run import JobRun
from app.platform.db.models.system_configuration import ConfigurationChange, SystemConfiguration
from app.platform.db.models.webhook_delivery import WebhookDelivery

__all__ = [
    "Alert",
    "ConfigurationChange",
    "EventOutbox",
    "ExchangeWeight",
    "FundingChecked",
    "JobRun",
    "PerformanceRecord",
    "SystemConfiguration",
    "WebhookDelivery",
]
