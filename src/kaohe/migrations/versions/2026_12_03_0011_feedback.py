"""Written quarterly feedback (Q4, F1): one feedback per person and quarter with strengths, weaknesses and an
improvement plan, the leader's signature (time and hash of the signed text), the person's acknowledgement or
comment, and every state change (who, when, from, to, why).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kaohe.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = ("draft", "signed", "acknowledged", "disputed")


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.Enum(*STATES, name="feedbackstatus", native_enum=False, length=24),
                  nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("weaknesses", sa.Text(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("proposal", sa.JSON(), nullable=False),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.Column("drafted_by", sa.Integer(), nullable=True),
        sa.Column("drafted_name", sa.String(length=80), nullable=False),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("signed_name", sa.String(length=80), nullable=False),
        sa.Column("signed_at", kaohe.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("signed_hash", sa.String(length=64), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.Column("answered_at", kaohe.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_feedback_staff_id_staff")),
        sa.ForeignKeyConstraint(["result_id"], ["quarter_result.id"],
                                name=op.f("fk_feedback_result_id_quarter_result")),
        sa.ForeignKeyConstraint(["drafted_by"], ["user_account.id"],
                                name=op.f("fk_feedback_drafted_by_user_account")),
        sa.ForeignKeyConstraint(["signed_by"], ["user_account.id"],
                                name=op.f("fk_feedback_signed_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("staff_id", "year", "quarter", name="uq_feedback_staff_quarter"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_staff_id"), ["staff_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_year"), ["year"], unique=False)

    op.create_table(
        "feedback_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=False),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.Column("at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["feedback_id"], ["feedback.id"],
                                name=op.f("fk_feedback_history_feedback_id_feedback")),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"],
                                name=op.f("fk_feedback_history_actor_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_history")),
    )
    with op.batch_alter_table("feedback_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_history_feedback_id"), ["feedback_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feedback_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_history_feedback_id"))
    op.drop_table("feedback_history")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_year"))
        batch_op.drop_index(batch_op.f("ix_feedback_staff_id"))
    op.drop_table("feedback")
