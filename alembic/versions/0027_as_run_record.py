"""as-run record: the live record's book `policy` becomes `as_run` (the real portfolio, whoever
changed it), each decision keeps its actor and the fee and slippage in force when it was marked,
and the baselines leave the record

The baselines (btc_hold, equal_weight, top_volume, momentum, random) were decided at the hours
the portfolio happened to change, the wrong clock: their stored hour rows, their turnover and
fees in the decisions and their state (books and random draws) are DELETED, not converted. They
are kept again, on their own daily clock, by the forward shadow books (0029).

`track_record_hour` rows and the stored state's book `policy` are renamed `as_run`; decisions
get `actor` (the distinct actors of the audit rows each took in, "+"-joined, 'unknown' where
none is left), `fee_bps` and `slippage_bps` (the track_record_fee_bps and
track_record_slippage_bps settings stored now, 6 and 0 if absent: what was in force before is
not recorded). Downgrade: `as_run` renamed back to `policy`, the three columns dropped; the
baselines stay absent (a record moved by the older code needs restarting).

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-25 15:00:00+00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op
from app.platform.db.downgrade_guard import refuse_unless_forced

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
OLD, NEW = "policy", "as_run"
COSTS = {
    "fee_bps": ("track_record_fee_bps", 6.0),
    "slippage_bps": ("track_record_slippage_bps", 0.0),
}

record = sa.table("track_record", sa.column("id", sa.Integer), sa.column("state", JSON))
hour = sa.table("track_record_hour", sa.column("strategy", sa.String))
decision = sa.table(
    "track_record_decision",
    sa.column("audit_id", sa.Integer),
    sa.column("actor", sa.Text),
    sa.column("fee_bps", sa.Double),
    sa.column("slippage_bps", sa.Double),
    sa.column("turnover", JSON),
    sa.column("fees", JSON),
)
history = sa.table("portfolio_history", sa.column("id", sa.Integer), sa.column("actor", sa.String))
configuration = sa.table(
    "system_configuration", sa.column("key", sa.String), sa.column("value", JSON)
)


def _renamed(by_book: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """`by_book` with only `old`'s entry, named `new` (the baselines' left out)."""
    return {new: by_book[old]} if old in by_book else {}


def _rename_stored(old: str, new: str) -> None:
    """The hour rows, the decisions' turnover and fees and the state's books, `old` to `new`;
    every other book's dropped."""
    bind = op.get_bind()
    op.execute(hour.delete().where(hour.c.strategy != old))
    op.execute(hour.update().where(hour.c.strategy == old).values(strategy=new))
    # A decision's audit_id is its key as well as its `at`: each takes in rows after the last.
    for audit_id, turnover, fees in bind.execute(
        sa.select(decision.c.audit_id, decision.c.turnover, decision.c.fees)
    ).all():
        bind.execute(
            decision.update()
            .where(decision.c.audit_id == audit_id)
            .values(turnover=_renamed(turnover, old, new), fees=_renamed(fees, old, new))
        )
    for row_id, state in bind.execute(sa.select(record.c.id, record.c.state)).all():
        books = _renamed(state.get("books", {}), old, new)
        stored = {
            "books": books,
            "marks": state.get("marks", {}),
            "gap_hours": state.get("gap_hours", 0),
        }
        if new == OLD:
            stored["draws"] = []  # the older code's random draws: none
        bind.execute(record.update().where(record.c.id == row_id).values(state=stored))


def _actors(rows: list[tuple[int, str]], decisions: list[int]) -> dict[int, str]:
    """Each decision's actors, by its audit_id: those of the audit rows after the previous
    decision's, up to its own (the rows it took in), each once in order; 'unknown' if none is
    left."""
    out: dict[int, str] = {}
    previous = 0
    for audit_id in decisions:
        names = [actor for row_id, actor in rows if previous < row_id <= audit_id]
        out[audit_id] = "+".join(dict.fromkeys(names)) or "unknown"
        previous = audit_id
    return out


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("track_record_decision") as batch:
        batch.add_column(sa.Column("actor", sa.Text, nullable=True))
        batch.add_column(sa.Column("fee_bps", sa.Double, nullable=True))
        batch.add_column(sa.Column("slippage_bps", sa.Double, nullable=True))
    decisions = [int(a) for a in bind.scalars(sa.select(decision.c.audit_id).order_by("audit_id"))]
    if decisions:
        rows = [
            (int(i), str(a))
            for i, a in bind.execute(
                sa.select(history.c.id, history.c.actor)
                .where(history.c.id <= decisions[-1])
                .order_by(history.c.id)
            )
        ]
        costs = {}
        for column, (key, default) in COSTS.items():
            value = bind.scalar(sa.select(configuration.c.value).where(configuration.c.key == key))
            costs[column] = float(value) if isinstance(value, int | float) else default
        for audit_id, actor in _actors(rows, decisions).items():
            bind.execute(
                decision.update()
                .where(decision.c.audit_id == audit_id)
                .values(actor=actor, **costs)
            )
    with op.batch_alter_table("track_record_decision") as batch:
        batch.alter_column("actor", existing_type=sa.Text, nullable=False)
        batch.alter_column("fee_bps", existing_type=sa.Double, nullable=False)
        batch.alter_column("slippage_bps", existing_type=sa.Double, nullable=False)
    _rename_stored(OLD, NEW)


def downgrade() -> None:
    refuse_unless_forced("0027", "the as-run record's actor, fee and slippage of every decision")
    _rename_stored(NEW, OLD)
    with op.batch_alter_table("track_record_decision") as batch:
        batch.drop_column("slippage_bps")
        batch.drop_column("fee_bps")
        batch.drop_column("actor")
