"""The platform's own tables (the job ledger, the event outbox and its webhook deliveries, the
runtime settings and their changes, the exchange's shared rate window). Each domain's tables are
in its `models` module; `app.tables` registers them all for Alembic and the tests."""

from app.platform.db.models.budget import ExchangeWeight
from app.platform.db.models.event_outbox import EventOutbox
from app.platform.db.models.job_run import JobRun
from app.platform.db.models.system_configuration import ConfigurationChange, SystemConfiguration
from app.platform.db.models.webhook_delivery import WebhookDelivery

__all__ = [
    "ConfigurationChange",
    "EventOutbox",
    "ExchangeWeight",
    "JobRun",
    "SystemConfiguration",
    "WebhookDelivery",
]
