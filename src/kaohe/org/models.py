"""The unit, its departments and its staff."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaohe.db import Base, enum_column, utcnow
from kaohe.org.enums import DepartmentKind, Level, PostCategory, StaffStatus


class Unit(Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Department(Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[DepartmentKind] = mapped_column(enum_column(DepartmentKind))
    is_pilot: Mapped[bool] = mapped_column(Boolean, default=False)
    rollout_batch: Mapped[int] = mapped_column(Integer, default=1)
    # The 分管领导 in charge of this department; the department head and liaison (P1).
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", use_alter=True), default=None)
    head_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", use_alter=True), default=None)
    liaison_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", use_alter=True), default=None)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    leader: Mapped["Staff | None"] = relationship(foreign_keys=[leader_id])
    head: Mapped["Staff | None"] = relationship(foreign_keys=[head_id])
    liaison: Mapped["Staff | None"] = relationship(foreign_keys=[liaison_id])


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    gender: Mapped[str | None] = mapped_column(String(4), default=None)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    post_category: Mapped[PostCategory] = mapped_column(enum_column(PostCategory))
    level: Mapped[Level] = mapped_column(enum_column(Level))
    title: Mapped[str] = mapped_column(String(40), default="")
    post_name: Mapped[str] = mapped_column(String(60), default="")
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True, default=None)
    hired_on: Mapped[date | None] = mapped_column(Date, default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    status: Mapped[StaffStatus] = mapped_column(enum_column(StaffStatus), default=StaffStatus.active)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    department: Mapped[Department] = relationship(foreign_keys=[department_id])
    supervisor: Mapped["Staff | None"] = relationship(remote_side=[id], foreign_keys=[supervisor_id])
