"""Quarterly cycles (Q1, Q6): an appraisal year's quarters, the runs of their phases with start and
working-day deadline dates, and every phase change (who, when, from, to, why).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kaohe.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PHASES = ("pending", "collection", "rating", "review", "closed")


def upgrade() -> None:
    op.create_table(
        "quarter_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column(
            "phase",
            sa.Enum(*PHASES, name="quarterphase", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("scheme_version", sa.Integer(), nullable=True),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("opened_at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["user_account.id"], name=op.f("fk_quarter_cycle_opened_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_cycle")),
        sa.UniqueConstraint("year", "quarter", name="uq_quarter_cycle_year_quarter"),
    )
    with op.batch_alter_table("quarter_cycle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarter_cycle_year"), ["year"], unique=False)

    op.create_table(
        "quarter_phase_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column(
            "phase",
            sa.Enum(*PHASES, name="quarterphase", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("started_at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", kaohe.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["quarter_cycle.id"], name=op.f("fk_quarter_phase_run_cycle_id_quarter_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["started_by"], ["user_account.id"], name=op.f("fk_quarter_phase_run_started_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_phase_run")),
    )
    with op.batch_alter_table("quarter_phase_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarter_phase_run_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "quarter_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_phase", sa.String(length=24), nullable=False),
        sa.Column("to_phase", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.Column("at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_quarter_transition_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["quarter_cycle.id"], name=op.f("fk_quarter_transition_cycle_id_quarter_cycle")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_transition")),
    )
    with op.batch_alter_table("quarter_transition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarter_transition_cycle_id"), ["cycle_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quarter_transition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarter_transition_cycle_id"))
    op.drop_table("quarter_transition")
    with op.batch_alter_table("quarter_phase_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarter_phase_run_cycle_id"))
    op.drop_table("quarter_phase_run")
    with op.batch_alter_table("quarter_cycle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarter_cycle_year"))
    op.drop_table("quarter_cycle")
