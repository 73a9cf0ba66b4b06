"""Every ORM model, imported once so metadata and Alembic see all tables."""

from kaohe.audit.models import AuditEntry
from kaohe.auth.models import ApiToken, AuthSession, LoginAttempt, RoleGrant, User
from kaohe.calendar.models import CalendarDay, CalendarYear
from kaohe.db import Base
from kaohe.ledger.models import LedgerEntry, LedgerHead
from kaohe.org.models import Department, Staff, Unit
from kaohe.records.models import (
    Attachment,
    MonthClose,
    RecordVersion,
    ReviewAction,
    TaskItem,
    WorkRecord,
)
from kaohe.scheme.orm import SchemeVersion

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "AuthSession",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Department",
    "LedgerEntry",
    "LedgerHead",
    "LoginAttempt",
    "MonthClose",
    "RecordVersion",
    "ReviewAction",
    "RoleGrant",
    "SchemeVersion",
    "Staff",
    "TaskItem",
    "Unit",
    "User",
    "WorkRecord",
]
