"""the session rule decides anew: its verdicts were taken under the weekend-only rule, and the
rule now reads weekday nights too (docs/decisions.md, "A verdict from the trading sessions").
Clearing each contract's decision day makes the first scoring run after the upgrade decide every
contract it reads under the new rule, as it decides once a UTC day: a verdict that changes is
news then (a `category_changed` event and alert where a contract is newly non-crypto or
contradicts the exchange or the table), and a member whose category becomes excluded exits at the
next decision (`exit:category`). The verdicts and figures stay until then: nothing is decided
without its candles, and nothing earlier is recomputed (the forward record keeps what it
decided).

The downgrade has nothing to restore: the old rule decides again at its next day.

Revision ID: 0042
Revises: 0041
Create Date: 2026-11-28 21:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0042"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE symbol SET category_data_day_ms = NULL")


def downgrade() -> None:
    op.execute("UPDATE symbol SET category_data_day_ms = NULL")
