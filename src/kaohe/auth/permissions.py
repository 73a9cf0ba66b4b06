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


U, D, S, SELF = Scope.unit, Scope.department, Scope.supervised, Scope.self_

ROLE_PERMISSIONS: dict[Role, dict[Perm, Scope]] = {
    Role.staff: {Perm.staff_read: SELF},
    Role.staff_rep: {Perm.staff_read: SELF},
    Role.leader: {Perm.staff_read: S, Perm.roster_export: S, Perm.records_write_for: S, Perm.records_review: S,
                  Perm.tasks_write: S, Perm.records_signals: S},
    Role.dept_head: {Perm.staff_read: D, Perm.roster_export: D, Perm.records_write_for: D,
                     Perm.records_close_month: D, Perm.records_signals: D},
    Role.liaison: {Perm.staff_read: D, Perm.roster_export: D, Perm.records_write_for: D},
    Role.committee: {Perm.staff_read: U},
    # The inspector reads everything and changes nothing (P4).
    Role.inspector: {Perm.staff_read: U, Perm.roster_export: U, Perm.audit_read: U, Perm.records_signals: U,
                     Perm.ledger_read: U},
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
    },
    # The administrator runs the system; confirming records and closing months stay with the people
    # responsible for them (R4).
    Role.admin: {perm: U for perm in Perm if perm not in (Perm.records_review, Perm.records_close_month)},
}


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
