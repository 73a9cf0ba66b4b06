"""Sign-in attempts get an outcome (pending, succeeded, failed, refused) instead of a flag, so an
attempt can be counted before its password is checked.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOMES = ("pending", "succeeded", "failed", "refused")


def upgrade() -> None:
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.Enum(*OUTCOMES, name="loginoutcome", native_enum=False,
                                                         length=24),
                                      nullable=False, server_default="failed"))
    op.execute("UPDATE login_attempt SET outcome = CASE WHEN succeeded THEN 'succeeded' ELSE 'failed' END")
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_column("succeeded")
        batch_op.create_index(batch_op.f("ix_login_attempt_ip"), ["ip"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempt_ip"))
        batch_op.add_column(sa.Column("succeeded", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE login_attempt SET succeeded = (outcome = 'succeeded')")
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_column("outcome")
