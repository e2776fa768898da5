"""symbol forms: ccxt's unified symbol stored on each `symbol` row at universe sync, so that
reads (pairlist, portfolio, timeline) never need KuCoin's live contract list to name a member

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-24 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ccxt's names for some KuCoin currencies, as of this revision (app.kucoin.symbols keeps the
# live copy; a migration must not change when the application does).
CCXT_CURRENCIES = {
    "BCHSV": "BSV",
    "BIFI": "BIFIF",
    "VAI": "VAIOT",
    "WAX": "WAXP",
    "ALT": "APTOSLAUNCHTOKEN",
    "KALT": "ALT",
    "FUD": "FTX Users' Debt",
}


def ccxt_form(canonical: str, base: str, quote: str, settle: str) -> str:
    unified = "/".join(CCXT_CURRENCIES.get(code, code) for code in (base, quote))
    unified += ":" + CCXT_CURRENCIES.get(settle, settle)
    pair, _, expiry = canonical.rpartition("-")
    return f"{unified}-{expiry}" if pair and expiry.isdigit() and len(expiry) == 6 else unified


def upgrade() -> None:
    with op.batch_alter_table("symbol") as batch:
        batch.add_column(sa.Column("ccxt_symbol", sa.String(60), nullable=True))
    symbol = sa.table(
        "symbol",
        sa.column("id", sa.Integer),
        sa.column("symbol", sa.String),
        sa.column("base_currency", sa.String),
        sa.column("quote_currency", sa.String),
        sa.column("settle_currency", sa.String),
        sa.column("ccxt_symbol", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            symbol.c.id,
            symbol.c.symbol,
            symbol.c.base_currency,
            symbol.c.quote_currency,
            symbol.c.settle_currency,
        )
    ).all()
    for row in rows:
        bind.execute(
            symbol.update()
            .where(symbol.c.id == row.id)
            .values(
                ccxt_symbol=ccxt_form(
                    row.symbol, row.base_currency, row.quote_currency, row.settle_currency
                )
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("symbol") as batch:
        batch.drop_column("ccxt_symbol")
