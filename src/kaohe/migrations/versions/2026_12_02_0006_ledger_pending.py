"""Group commit for the ledger: `ledger_pending` holds entries written in their feature's transaction
until a sealer chains them in a batch (docs/ledger.md, "Writing at scale").

Also from this revision every audit row is covered by the ledger (an `audit` entry per row). Rows
written before it have no entry: the replay treats audit rows numbered below the first one the ledger
records as legacy (docs/ledger.md, "The audit log"); nothing to backfill here.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_pending",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_pending")),
    )


def downgrade() -> None:
    # Pending entries would be lost: seal them first (`kaohe ledger seal`).
    op.drop_table("ledger_pending")
