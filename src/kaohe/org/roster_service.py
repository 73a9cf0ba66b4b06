"""Roster import and export against the database: parse (pure), then persist in one transaction."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.errors import Forbidden, Invalid
from kaohe.messages import t
from kaohe.org.models import Department, Staff
from kaohe.org.roster import parse_roster, write_roster_csv, write_roster_xlsx
from kaohe.org.roster_model import RosterExportRow
from kaohe.org.service import STAFF_FIELDS, copy_profile


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    updated: int


def import_roster(db: Session, *, actor: Principal, data: bytes, filename: str, max_bytes: int) -> ImportOutcome:
    """Apply a roster file: all rows or none. Raises Invalid listing every bad row."""
    if not actor.can(Perm.roster_import):
        raise Forbidden(t("common.forbidden"))
    departments = {d.name: d for d in db.scalars(select(Department))}
    existing = {s.employee_no: s for s in db.scalars(select(Staff))}
    by_id = {s.id: s for s in existing.values()}
    supervisors = {
        no: (by_id[s.supervisor_id].employee_no if s.supervisor_id in by_id else None)
        for no, s in existing.items()
    }
    result = parse_roster(data, filename, known_departments=set(departments),
                          existing_supervisors=supervisors, max_bytes=max_bytes)
    if not result.ok:
        raise Invalid(t("org.import_failed", count=len(result.errors)), details=[e.message for e in result.errors])

    created = updated = 0
    touched: list[tuple[Staff, dict | None]] = []
    for row in result.rows:
        staff = existing.get(row.employee_no)
        before = audit.snapshot(staff, STAFF_FIELDS) if staff is not None else None
        if staff is None:
            staff = Staff(employee_no=row.employee_no)
            db.add(staff)
            existing[row.employee_no] = staff
            created += 1
        else:
            updated += 1
        copy_profile(staff, row)
        staff.department_id = departments[row.department].id
        staff.status = row.status
        touched.append((staff, before))
    db.flush()
    for row in result.rows:
        staff = existing[row.employee_no]
        staff.supervisor_id = existing[row.supervisor_no].id if row.supervisor_no else None
    db.flush()
    for staff, before in touched:
        after = audit.snapshot(staff, STAFF_FIELDS)
        if before == after:
            continue
        audit.record(db, actor=actor, action="staff.import", entity_type="staff", entity_id=staff.id,
                     summary=t("org.audit_staff_update" if before else "org.audit_staff_create",
                               name=staff.name, no=staff.employee_no),
                     before=before, after=after)
    audit.record(db, actor=actor, action="roster.import", entity_type="roster", entity_id=filename[:64],
                 summary=t("org.audit_import", created=created, updated=updated))
    db.flush()
    return ImportOutcome(created=created, updated=updated)


def export_roster(db: Session, *, actor: Principal, fmt: str = "xlsx") -> bytes:
    """The staff the actor may export, as .xlsx or .csv with the import's headers."""
    if not actor.can(Perm.roster_export):
        raise Forbidden(t("common.forbidden"))
    supervisor = aliased(Staff)
    rows = db.execute(
        select(Staff, Department.name, supervisor.employee_no)
        .join(Department, Staff.department_id == Department.id)
        .outerjoin(supervisor, Staff.supervisor_id == supervisor.id)
        .where(actor.staff_filter(Perm.roster_export))
        .order_by(Staff.employee_no)
    ).all()
    export = [
        RosterExportRow(
            employee_no=s.employee_no, name=s.name, department=dept, post_category=s.post_category,
            level=s.level, gender=s.gender, title=s.title, post_name=s.post_name, supervisor_no=sup_no,
            hired_on=s.hired_on, phone=s.phone, status=s.status,
        )
        for s, dept, sup_no in rows
    ]
    audit.record(db, actor=actor, action="roster.export", entity_type="roster", entity_id=fmt,
                 summary=t("org.audit_export", count=len(export)))
    db.flush()
    return write_roster_csv(export) if fmt == "csv" else write_roster_xlsx(export)
