"""Scheme versions: each year's appraisal scheme as a stored YAML document, every version kept.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kaohe.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheme_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "published", "frozen", name="schemestatus", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", kaohe.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", kaohe.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("frozen_at", kaohe.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user_account.id"], name=op.f("fk_scheme_version_created_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheme_version")),
        sa.UniqueConstraint("year", "version", name="uq_scheme_version_year_version"),
    )
    with op.batch_alter_table("scheme_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheme_version_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scheme_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheme_version_year"))
    op.drop_table("scheme_version")
