"""Ledger signatures: an HMAC-SHA256 per entry and on the head row, and an index to find an entry by kind
and time.

Rows written before this revision keep a NULL signature: the migration does not know the key (it is
never in the database). `kaohe ledger verify` reports them as unsigned until an administrator checks
the ledger and runs `kaohe ledger sign-legacy` once (docs/ledger.md, "Upgrading").

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_entry") as batch:
        batch.add_column(sa.Column("signature", sa.String(length=64), nullable=True))
    with op.batch_alter_table("ledger_head") as batch:
        batch.add_column(sa.Column("signature", sa.String(length=64), nullable=True))
    op.create_index("ix_ledger_entry_kind_at", "ledger_entry", ["kind", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ledger_entry_kind_at", table_name="ledger_entry")
    with op.batch_alter_table("ledger_head") as batch:
        batch.drop_column("signature")
    with op.batch_alter_table("ledger_entry") as batch:
        batch.drop_column("signature")
