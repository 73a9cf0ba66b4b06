"""Every ORM model, imported once so metadata and Alembic see all tables."""

from kaohe.audit.models import AuditEntry
from kaohe.auth.models import ApiToken, AuthSession, LoginAttempt, RoleGrant, User
from kaohe.calendar.models import CalendarDay, CalendarYear
from kaohe.db import Base
from kaohe.feedback.models import Feedback, FeedbackHistory
from kaohe.ledger.models import LedgerEntry, LedgerHead
from kaohe.metrics.models import MetricBatch, MetricMapping, MetricValue, MetricValueHistory
from kaohe.org.models import Department, Staff, Unit
from kaohe.quarterly.models import PhaseRun, QuarterCycle, QuarterTransition
from kaohe.quarterly.result_models import QuarterResult, QuarterResultRun
from kaohe.ratings.models import Invitation, RaterAssignment, Rating, RatingHistory
from kaohe.records.models import (
    Attachment,
    MonthClose,
    RecordVersion,
    ReviewAction,
    TaskItem,
    WorkRecord,
)
from kaohe.scheme.orm import SchemeVersion
from kaohe.warnings.models import QuarterWarning, WarningHistory

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "AuthSession",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Department",
    "Feedback",
    "FeedbackHistory",
    "Invitation",
    "LedgerEntry",
    "LedgerHead",
    "LoginAttempt",
    "MetricBatch",
    "MetricMapping",
    "MetricValue",
    "MetricValueHistory",
    "MonthClose",
    "PhaseRun",
    "QuarterCycle",
    "QuarterResult",
    "QuarterResultRun",
    "QuarterTransition",
    "QuarterWarning",
    "RaterAssignment",
    "Rating",
    "RatingHistory",
    "RecordVersion",
    "ReviewAction",
    "RoleGrant",
    "SchemeVersion",
    "Staff",
    "TaskItem",
    "Unit",
    "User",
    "WarningHistory",
    "WorkRecord",
]
