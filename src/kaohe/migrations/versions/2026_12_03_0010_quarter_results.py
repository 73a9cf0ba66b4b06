"""Quarterly results (R6): each person's result with its inputs hash and the scheme version hash, and every
computation of a quarter (who, when, how many results changed).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kaohe.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quarter_result_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("scheme_version", sa.Integer(), nullable=True),
        sa.Column("scheme_hash", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.Column("at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"],
                                name=op.f("fk_quarter_result_run_actor_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_result_run")),
    )
    with op.batch_alter_table("quarter_result_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarter_result_run_year"), ["year"], unique=False)

    op.create_table(
        "quarter_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("record_score", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("indicator_score", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("quarterly_score", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("record_weight", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("scheme_version", sa.Integer(), nullable=True),
        sa.Column("scheme_hash", sa.String(length=64), nullable=False),
        sa.Column("inputs_hash", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_quarter_result_staff_id_staff")),
        sa.ForeignKeyConstraint(["run_id"], ["quarter_result_run.id"],
                                name=op.f("fk_quarter_result_run_id_quarter_result_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_result")),
        sa.UniqueConstraint("staff_id", "year", "quarter", name="uq_quarter_result_staff_quarter"),
    )
    with op.batch_alter_table("quarter_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarter_result_staff_id"), ["staff_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quarter_result_year"), ["year"], unique=False)
        batch_op.create_index(batch_op.f("ix_quarter_result_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_table("quarter_result")
    op.drop_table("quarter_result_run")
