"""Roles grant permissions at a data scope; pages and endpoints ask through `Principal`.

A permission held through several roles is the union of their scopes (a leader who is also a
staff member sees those they lead and themselves).
"""

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, false, or_, true

from kaohe.auth.roles import Role, Scope
from kaohe.org.models import Staff


class Perm(StrEnum):
    staff_read = "staff.read"
    staff_write = "staff.write"
    department_write = "department.write"
    roster_import = "roster.import"
    roster_export = "roster.export"
    user_admin = "user.admin"
    audit_read = "audit.read"
    calendar_write = "calendar.write"
    scheme_write = "scheme.write"
    # Daily records. Reading them follows staff.read: whoever may see a person may see their records.
    records_write_for = "records.write_for"  # record on someone else's behalf (R1: several parties)
    records_review = "records.review"  # confirm or return (R4), only for one's own people
    records_close_month = "records.close_month"
    records_import = "records.import"
    tasks_write = "tasks.write"
    records_signals = "records.signals"
    ledger_read = "ledger.read"
    # Quarterly metrics (Q2, P3): HR imports and maps; HR and the inspector see the whole collection.
    metrics_import = "metrics.import"
    metrics_read = "metrics.read"
    # Quarterly cycles (Q1, Q6): reading where the quarters stand; opening, advancing and reopening them.
    quarter_read = "quarter.read"
    quarter_manage = "quarter.manage"
    # Ratings (Q3, P4): who rated whom and individual marks are read by HR and the inspector only; HR
    # proposes and adjusts raters and invites service recipients. Rating itself needs no permission.
    ratings_read = "ratings.read"
    ratings_manage = "ratings.manage"
    # Written feedback (Q4): HR drafts and edits anyone's (leaders their own people's, by the org chart); HR and
    # the inspector read every personal appraisal file. Signing stays with the person's leader.
    feedback_manage = "feedback.manage"
    feedback_read = "feedback.read"
    # Quarterly warnings (Q5): reading them (at the reader's scope) and marking one handled.
    warnings_read = "warnings.read"
    warnings_handle = "warnings.handle"


U, D, S, SELF = Scope.unit, Scope.department, Scope.supervised, Scope.self_

ROLE_PERMISSIONS: dict[Role, dict[Perm, Scope]] = {
    Role.staff: {Perm.staff_read: SELF},
    Role.staff_rep: {Perm.staff_read: SELF},
    Role.leader: {Perm.staff_read: S, Perm.roster_export: S, Perm.records_write_for: S, Perm.records_review: S,
                  Perm.tasks_write: S, Perm.records_signals: S, Perm.quarter_read: U},
    Role.dept_head: {Perm.staff_read: D, Perm.roster_export: D, Perm.records_write_for: D,
                     Perm.records_close_month: D, Perm.records_signals: D, Perm.quarter_read: U},
    Role.liaison: {Perm.staff_read: D, Perm.roster_export: D, Perm.records_write_for: D},
    Role.committee: {Perm.staff_read: U, Perm.quarter_read: U},
    # The inspector reads everything and changes nothing (P4).
    Role.inspector: {Perm.staff_read: U, Perm.roster_export: U, Perm.audit_read: U, Perm.records_signals: U,
                     Perm.ledger_read: U, Perm.metrics_read: U, Perm.quarter_read: U,
                     Perm.ratings_read: U, Perm.feedback_read: U},
    Role.hr: {
        Perm.staff_read: U,
        Perm.staff_write: U,
        Perm.department_write: U,
        Perm.roster_import: U,
        Perm.roster_export: U,
        Perm.audit_read: U,
        Perm.calendar_write: U,
        Perm.scheme_write: U,
        Perm.records_write_for: U,
        Perm.records_import: U,
        Perm.tasks_write: U,
        Perm.records_signals: U,
        Perm.ledger_read: U,
        Perm.metrics_import: U,
        Perm.metrics_read: U,
        Perm.quarter_read: U,
        Perm.quarter_manage: U,
        Perm.ratings_read: U,
        Perm.ratings_manage: U,
        Perm.feedback_manage: U,
        Perm.feedback_read: U,
    },
    # The administrator runs the system; confirming records and closing months stay with the people
    # responsible for them (R4), and so does moving a quarter through its phases (the appraisal office's).
    Role.admin: {perm: U for perm in Perm
                 if perm not in (Perm.records_review, Perm.records_close_month, Perm.quarter_manage,
                                 Perm.ratings_read, Perm.ratings_manage, Perm.feedback_manage,
                                 Perm.feedback_read)},
}

# Quarterly warnings (Q5): HR and the inspector see every warning, a leader their people's, everyone their
# own; HR and the person's leader mark one handled. Not the administrator: acting on them is the appraisal
# office's and the leaders' duty, and the inspector only reads.
for _role, _grants in ((Role.staff, {Perm.warnings_read: SELF}), (Role.staff_rep, {Perm.warnings_read: SELF}),
                       (Role.leader, {Perm.warnings_read: S, Perm.warnings_handle: S}),
                       (Role.inspector, {Perm.warnings_read: U}),
                       (Role.hr, {Perm.warnings_read: U, Perm.warnings_handle: U})):
    ROLE_PERMISSIONS[_role].update(_grants)
for _perm in (Perm.warnings_read, Perm.warnings_handle):
    ROLE_PERMISSIONS[Role.admin].pop(_perm, None)


@dataclass(frozen=True)
class Grant:
    role: Role
    department_id: int | None


@dataclass(frozen=True)
class Principal:
    """Who is acting: the account, its staff record and its grants."""

    user_id: int | None
    username: str
    display_name: str
    staff_id: int | None
    staff_department_id: int | None
    grants: tuple[Grant, ...]
    via_token: bool = False
    must_change_password: bool = False
    roles: frozenset[Role] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(g.role for g in self.grants))

    def scopes(self, perm: Perm) -> set[tuple[Scope, int | None]]:
        """(scope, department) pairs through which this principal holds `perm`."""
        out: set[tuple[Scope, int | None]] = set()
        for grant in self.grants:
            scope = ROLE_PERMISSIONS.get(grant.role, {}).get(perm)
            if scope is not None:
                out.add((scope, grant.department_id or self.staff_department_id))
        return out

    def can(self, perm: Perm) -> bool:
        return bool(self.scopes(perm))

    def has_unit_scope(self, perm: Perm) -> bool:
        return any(scope == U for scope, _ in self.scopes(perm))

    def staff_filter(self, perm: Perm) -> ColumnElement[bool]:
        """A WHERE clause on Staff limiting rows to this principal's data scope for `perm`."""
        clauses: list[ColumnElement[bool]] = []
        for scope, department_id in self.scopes(perm):
            if scope == U:
                return true()
            if scope == D and department_id is not None:
                clauses.append(Staff.department_id == department_id)
            elif scope == S and self.staff_id is not None:
                clauses.append(or_(Staff.supervisor_id == self.staff_id, Staff.id == self.staff_id))
            elif scope == SELF and self.staff_id is not None:
                clauses.append(Staff.id == self.staff_id)
        return or_(*clauses) if clauses else false()

    def may_see_staff(self, staff: Staff, perm: Perm = Perm.staff_read) -> bool:
        """The same rule as `staff_filter`, for one loaded row."""
        for scope, department_id in self.scopes(perm):
            if scope == U:
                return True
            if scope == D and staff.department_id == department_id:
                return True
            if scope == S and self.staff_id is not None and self.staff_id in (staff.supervisor_id, staff.id):
                return True
            if scope == SELF and staff.id == self.staff_id:
                return True
        return False
