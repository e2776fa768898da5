"""confirmation hours: the replacement hysteresis counts hours, not scoring runs
(`replacement_confirmations` becomes `replacement_confirmation_hours`)

Counted in runs, "2 confirmations" meant 15-30 minutes live and 48 hours in a daily replay. The
policy judged so far ran at daily decisions, where n confirmations span (n - 1) x 24 h: a stored
n becomes (n - 1) x 24 hours (the default 2 becomes 24 h), at most the setting's 168. Downgrade:
ceil(hours / 24) + 1 runs.

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-25 12:00:00+00:00
"""

import math
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

OLD, NEW = "replacement_confirmations", "replacement_confirmation_hours"
NEW_DESCRIPTION = (
    "Hours the lead must hold: in every scoring run back to one this long before the latest "
    "(0: the latest alone), whatever the scoring cadence."
)
OLD_DESCRIPTION = "Consecutive scoring runs the lead must hold."


def _configuration() -> sa.TableClause:
    return sa.table(
        "system_configuration",
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )


def _rename(old: str, new: str, value: int, description: str) -> None:
    configuration = _configuration()
    op.execute(configuration.delete().where(configuration.c.key == old))
    op.bulk_insert(
        configuration,
        [
            {
                "key": new,
                "value": value,
                "description": description,
                "updated_at": datetime.now(UTC),
                "updated_by": "migration",
            }
        ],
    )


def _stored(key: str) -> object:
    configuration = _configuration()
    return op.get_bind().scalar(sa.select(configuration.c.value).where(configuration.c.key == key))


def upgrade() -> None:
    runs = _stored(OLD)
    hours = 24 if not isinstance(runs, int | float) else min(max(int(runs) - 1, 0) * 24, 168)
    if _stored(NEW) is None:
        _rename(OLD, NEW, hours, NEW_DESCRIPTION)
    else:
        op.execute(_configuration().delete().where(_configuration().c.key == OLD))


def downgrade() -> None:
    hours = _stored(NEW)
    runs = 2 if not isinstance(hours, int | float) else math.ceil(float(hours) / 24) + 1
    _rename(NEW, OLD, min(runs, 20), OLD_DESCRIPTION)
