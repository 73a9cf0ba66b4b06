"""Stored versions of a year's scheme: the whole YAML document, kept forever.

A year has drafts (editable), published versions (the latest one is the year's current scheme)
and, once the year's first cycle opens, a frozen version: the published one in force, which no
longer changes. Rows are never deleted and their text never changes: a saved edit of a draft, like
a new revision, is a new row (S8).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kaohe.db import Base, enum_column, utcnow


class SchemeStatus(StrEnum):
    draft = "draft"  # 草稿
    published = "published"  # 已发布
    frozen = "frozen"  # 已冻结

    @property
    def label(self) -> str:
        return {"draft": "草稿", "published": "已发布", "frozen": "已冻结"}[self.value]


class SchemeVersion(Base):
    __tablename__ = "scheme_version"
    __table_args__ = (UniqueConstraint("year", "version", name="uq_scheme_version_year_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the year
    status: Mapped[SchemeStatus] = mapped_column(enum_column(SchemeStatus), default=SchemeStatus.draft)
    yaml_text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    frozen_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(String(200), default="")

    @property
    def is_draft(self) -> bool:
        return self.status is SchemeStatus.draft
