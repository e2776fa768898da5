"""the risk-led default: candidate G of the registered family (risk component only, technical
version 2 kept for when it is weighed again) replaces the seeded weights, recorded in
`scoring_config_change` with the evidence it was adopted on (held-out confirmation, 2026-11-25).

A database whose algorithm is no longer the seed's (an admin changed it) keeps its algorithm:
the migration replaces only the seeded default it was written against.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-25 12:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ACTOR = "migration"

SEED_WEIGHTS = {
    "technical": "0.3000",
    "fundamental": "0.2500",
    "market_structure": "0.2500",
    "risk": "0.2000",
}
RISK_LED_WEIGHTS = {
    "technical": "0.0000",
    "fundamental": "0.0000",
    "market_structure": "0.0000",
    "risk": "1.0000",
}

# What G was adopted on, as the README's "Which default is in force" gives it.
EVIDENCE: dict[str, Any] = {
    "kind": "adoption",
    "preset": "risk_only",
    "candidate": "G",
    "cited_as": "held-out confirmation, 2026-11-25",
    "rule": "Registered before the held-out run: eligible with a shared-data skill-IC lead over A "
    "above 2 SE; confirmed with a held-out skill IC > 0 at t > 2 and a paired lead over A above "
    "2 SE; chosen among the confirmed on shared data only. Only G was confirmed.",
    "shared_data": {
        "source": "app.cli judge over ../shared/market-data (Binance perpetuals), 457 daily "
        "decisions, 6 bps taker fee",
        "pooled_skill_ic": 0.022,
        "pooled_skill_ic_t": 2.4,
        "pooled_raw_ic": 0.055,
        "pooled_raw_ic_t": 3.5,
        "lead_over_seed": 0.0307,
        "lead_over_seed_se": 0.0094,
        "by_dataset": {
            "roshan7869-algotrading": {"skill_ic": 0.026, "t": 1.7, "alpha_annualised": 0.396},
            "nmtrong062000-crypto_signal_scanner": {
                "skill_ic": 0.017,
                "t": 1.7,
                "alpha_annualised": -0.032,
            },
            "alpergulsen-freqtrade": {"skill_ic": 0.023, "t": 0.4, "alpha_annualised": 0.021},
        },
        "seed_pooled_skill_ic": -0.009,
        "seed_pooled_skill_ic_t": -1.0,
    },
    "held_out": [
        {
            "history": "388 spot pairs, 2021-09 to 2023-12, 850 daily decisions",
            "skill_ic": 0.0143,
            "t": 3.1,
            "lead_over_seed": 0.087,
            "lead_over_seed_se": 0.006,
            "seed_skill_ic": -0.074,
            "seed_skill_ic_t": -17.3,
            "total_return": -0.62,
            "seed_total_return": -0.87,
            "max_drawdown": 0.80,
            "seed_max_drawdown": 0.96,
            "beta": 0.57,
            "seed_beta": 0.90,
            "turnover_per_day": 0.08,
            "seed_turnover_per_day": 0.35,
        },
        {
            "history": "539 Binance USDT perpetuals, 2025-11 to 2026-03, 127 decisions, "
            "survivors only",
            "skill_ic": 0.008,
            "t": 0.7,
            "lead_over_seed": 0.062,
            "lead_over_seed_se": 0.014,
            "seed_skill_ic": -0.054,
            "seed_skill_ic_t": -5.5,
            "total_return": -0.12,
            "seed_total_return": -0.61,
            "max_drawdown": 0.24,
            "seed_max_drawdown": 0.62,
        },
    ],
    "others": "B, C, D, E, F, H, I and J ranked backwards on both held-out histories "
    "(skill IC -0.027 to -0.081)",
}

ALGORITHM = sa.table(
    "scoring_algorithm",
    sa.column("name", sa.String),
    sa.column("weight", sa.Numeric(6, 4)),
    sa.column("parameters", JSON),
    sa.column("is_active", sa.Boolean),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("updated_by", sa.String),
)
CHANGE = sa.table(
    "scoring_config_change",
    sa.column("changed_at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("before", JSON),
    sa.column("after", JSON),
    sa.column("evidence", JSON),
)


def _in_force(bind: sa.Connection) -> dict[str, dict[str, Any]]:
    rows = bind.execute(
        sa.select(
            ALGORITHM.c.name, ALGORITHM.c.weight, ALGORITHM.c.parameters, ALGORITHM.c.is_active
        )
    ).all()
    return {
        name: {
            "weight": str(Decimal(weight).quantize(Decimal("0.0001"))),
            "parameters": dict(parameters or {}),
            "is_active": bool(active),
        }
        for name, weight, parameters, active in rows
    }


def _technical_version(rows: dict[str, dict[str, Any]]) -> int:
    return int(rows.get("technical", {}).get("parameters", {}).get("version", 1))


def _is(rows: dict[str, dict[str, Any]], weights: dict[str, str], version: int) -> bool:
    return (
        {n: r["weight"] for n, r in rows.items() if r["is_active"]} == weights
        and len(rows) == len(weights)
        and _technical_version(rows) == version
    )


def _switch(weights: dict[str, str], version: int, evidence: dict[str, Any]) -> None:
    bind = op.get_bind()
    before = _in_force(bind)
    now = datetime.now(UTC)
    for name, weight in weights.items():
        parameters = dict(before[name]["parameters"])
        if name == "technical":
            parameters.pop("version", None)
            if version != 1:
                parameters["version"] = version
        bind.execute(
            ALGORITHM.update()
            .where(ALGORITHM.c.name == name)
            .values(weight=Decimal(weight), parameters=parameters, updated_at=now, updated_by=ACTOR)
        )
    op.bulk_insert(
        CHANGE,
        [
            {
                "changed_at": now,
                "actor": ACTOR,
                "before": before,
                "after": _in_force(bind),
                "evidence": evidence,
            }
        ],
    )


def upgrade() -> None:
    if _is(_in_force(op.get_bind()), SEED_WEIGHTS, 1):
        _switch(RISK_LED_WEIGHTS, 2, EVIDENCE)


def downgrade() -> None:
    if _is(_in_force(op.get_bind()), RISK_LED_WEIGHTS, 2):
        _switch(
            SEED_WEIGHTS,
            1,
            {"kind": "downgrade", "revision": revision, "restores": "the seeded default"},
        )
