"""Every table of the service on `Base.metadata`, for Alembic and the tests: the platform's, and
each domain's `models` module (registered here, not re-exported: a domain's rows are imported from
its own folder)."""

import app.alerts.models  # registers `alert`
import app.callers.models  # registers `api_key`, `idempotency_key`
import app.lab.models  # registers `replay_run`
import app.market.models  # registers the contracts, candles, gaps, funding and its cursor
import app.platform.db.models  # registers the platform's own tables
import app.portfolio.models  # registers the members, their audit trail, the PnL reports
import app.records.models  # registers `track_record*`, `forward_*`
import app.scoring.models  # registers `scoring_run`, `symbol_score` and the algorithm's tables
import app.signals.models  # noqa: F401  (registers `signal`)
