"""Quarterly warnings (Q5): one row per person, quarter and kind with the figures that triggered it, and
every change of its status.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kaohe.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quarter_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.Enum("pending", "handled", "withdrawn", name="warningstatus", native_enum=False,
                                    length=24), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("suggested_action", sa.String(length=500), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("raised_at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("handled_by", sa.Integer(), nullable=True),
        sa.Column("handled_at", kaohe.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_quarter_warning_staff_id_staff")),
        sa.ForeignKeyConstraint(["handled_by"], ["user_account.id"],
                                name=op.f("fk_quarter_warning_handled_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_warning")),
        sa.UniqueConstraint("staff_id", "year", "quarter", "kind", name="uq_quarter_warning"),
    )
    with op.batch_alter_table("quarter_warning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarter_warning_staff_id"), ["staff_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quarter_warning_year"), ["year"], unique=False)
        batch_op.create_index(batch_op.f("ix_quarter_warning_status"), ["status"], unique=False)

    op.create_table(
        "quarter_warning_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=False),
        sa.Column("at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["warning_id"], ["quarter_warning.id"],
                                name=op.f("fk_quarter_warning_history_warning_id_quarter_warning")),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"],
                                name=op.f("fk_quarter_warning_history_actor_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_warning_history")),
    )
    with op.batch_alter_table("quarter_warning_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarter_warning_history_warning_id"), ["warning_id"], unique=False)


def downgrade() -> None:
    op.drop_table("quarter_warning_history")
    op.drop_table("quarter_warning")
