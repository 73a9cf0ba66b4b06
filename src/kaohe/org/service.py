"""Use cases of the organisation: departments and staff, always within the actor's data scope."""

from dataclasses import dataclass

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import Session, joinedload

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.messages import t
from kaohe.org.enums import Level, PostCategory, StaffStatus
from kaohe.org.models import Department, Staff
from kaohe.org.schemas import DepartmentCreate, DepartmentUpdate, StaffCreate, StaffUpdate

STAFF_FIELDS = (
    "employee_no", "name", "gender", "department_id", "post_category", "level", "title", "post_name",
    "supervisor_id", "hired_on", "phone", "status",
)
# The attributes a form, the API and a roster row all carry under the same names.
PROFILE_FIELDS = ("name", "gender", "post_category", "level", "title", "post_name", "hired_on", "phone")
DEPARTMENT_FIELDS = ("code", "name", "kind", "is_pilot", "rollout_batch", "leader_id", "head_id", "liaison_id",
                     "is_active")


def _require(actor: Principal, perm: Perm) -> None:
    if not actor.can(perm):
        raise Forbidden(t("common.forbidden"))


# --- departments -----------------------------------------------------------------------------

def list_departments(db: Session, *, include_inactive: bool = False) -> list[Department]:
    """Every department (names are not confidential: anyone signed in may list them)."""
    stmt = select(Department).options(
        joinedload(Department.leader), joinedload(Department.head), joinedload(Department.liaison)
    )
    if not include_inactive:
        stmt = stmt.where(Department.is_active.is_(True))
    return list(db.scalars(stmt.order_by(Department.rollout_batch, Department.code)).unique())


def department_options(db: Session) -> list[Row[tuple[int, str]]]:
    """Id and name of every active department, in list order: what a filter's picker needs, without
    loading each department's three office holders (on a 10,000-person unit that was most of the
    staff list page's time)."""
    return list(db.execute(select(Department.id, Department.name).where(Department.is_active.is_(True))
                           .order_by(Department.rollout_batch, Department.code)).all())


def get_department(db: Session, department_id: int) -> Department:
    department = db.get(Department, department_id)
    if department is None:
        raise NotFound(t("org.department_not_found"))
    return department


def _staff_id_by_no(db: Session, employee_no: str | None, field: str) -> int | None:
    if not employee_no:
        return None
    staff_id = db.scalar(select(Staff.id).where(Staff.employee_no == employee_no.strip()))
    if staff_id is None:
        raise Invalid(t("org.staff_no_unknown", field=field, no=employee_no))
    return staff_id


def _apply_department(db: Session, department: Department, data: DepartmentCreate) -> None:
    for other in db.scalars(
        select(Department).where(or_(Department.code == data.code, Department.name == data.name))
    ):
        if other.id != department.id:
            raise Conflict(t("org.department_exists", name=data.name, code=data.code))
    department.code = data.code
    department.name = data.name.strip()
    department.kind = data.kind
    department.is_pilot = data.is_pilot
    department.rollout_batch = data.rollout_batch
    department.leader_id = _staff_id_by_no(db, data.leader_no, t("org.field_leader"))
    department.head_id = _staff_id_by_no(db, data.head_no, t("org.field_head"))
    department.liaison_id = _staff_id_by_no(db, data.liaison_no, t("org.field_liaison"))


def create_department(db: Session, *, actor: Principal, department_in: DepartmentCreate) -> Department:
    """Add a department."""
    _require(actor, Perm.department_write)
    department = Department()
    _apply_department(db, department, department_in)
    db.add(department)
    db.flush()
    audit.record(db, actor=actor, action="department.create", entity_type="department",
                 entity_id=department.id, summary=t("org.audit_department_create", name=department.name),
                 after=audit.snapshot(department, DEPARTMENT_FIELDS))
    db.flush()
    return department


def update_department(db: Session, *, actor: Principal, department_id: int,
                      department_in: DepartmentUpdate) -> Department:
    """Change a department's attributes, pilot flag, roll-out batch and responsible people."""
    _require(actor, Perm.department_write)
    department = get_department(db, department_id)
    before = audit.snapshot(department, DEPARTMENT_FIELDS)
    _apply_department(db, department, department_in)
    audit.record(db, actor=actor, action="department.update", entity_type="department",
                 entity_id=department.id, summary=t("org.audit_department_update", name=department.name),
                 before=before, after=audit.snapshot(department, DEPARTMENT_FIELDS))
    db.flush()
    return department


# --- staff -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffQuery:
    q: str = ""
    department_id: int | None = None
    post_category: PostCategory | None = None
    level: Level | None = None
    status: StaffStatus | None = StaffStatus.active
    page: int = 1
    per_page: int = 20


def search_staff(db: Session, *, actor: Principal, query: StaffQuery) -> tuple[list[Staff], int]:
    """Staff visible to the actor that match the filters, one page of them, and the total."""
    stmt = select(Staff).where(actor.staff_filter(Perm.staff_read))
    if query.q.strip():
        like = f"%{query.q.strip()}%"
        stmt = stmt.where(or_(Staff.name.like(like), Staff.employee_no.like(like), Staff.title.like(like),
                              Staff.post_name.like(like)))
    if query.department_id:
        stmt = stmt.where(Staff.department_id == query.department_id)
    if query.post_category:
        stmt = stmt.where(Staff.post_category == query.post_category)
    if query.level:
        stmt = stmt.where(Staff.level == query.level)
    if query.status:
        stmt = stmt.where(Staff.status == query.status)
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, query.page)
    rows = db.scalars(
        stmt.options(joinedload(Staff.department), joinedload(Staff.supervisor))
        .order_by(Staff.employee_no)
        .limit(query.per_page)
        .offset((page - 1) * query.per_page)
    ).all()
    return list(rows), total


def get_staff(db: Session, *, actor: Principal, staff_id: int, perm: Perm = Perm.staff_read) -> Staff:
    """The staff member if the actor may see them; otherwise not found (no existence leak)."""
    staff = db.get(Staff, staff_id, options=[joinedload(Staff.department), joinedload(Staff.supervisor)])
    if staff is None or not actor.may_see_staff(staff, perm):
        raise NotFound(t("org.staff_not_found"))
    return staff


def direct_reports(db: Session, *, actor: Principal, staff: Staff) -> list[Staff]:
    return list(db.scalars(
        select(Staff).where(Staff.supervisor_id == staff.id, actor.staff_filter(Perm.staff_read))
        .order_by(Staff.employee_no)
    ))


def supervisor_chain_has(db: Session, start_id: int | None, target_id: int) -> bool:
    """Whether following 分管领导 links up from `start_id` reaches `target_id` (a loop)."""
    seen: set[int] = set()
    current = start_id
    while current is not None and current not in seen:
        if current == target_id:
            return True
        seen.add(current)
        current = db.scalar(select(Staff.supervisor_id).where(Staff.id == current))
    return False


def copy_profile(staff: Staff, source: object) -> None:
    """Copy the profile attributes from a form, API body or roster row onto a staff record."""
    for name in PROFILE_FIELDS:
        setattr(staff, name, getattr(source, name))


def _apply_staff(db: Session, staff: Staff, data: StaffCreate | StaffUpdate) -> None:
    department = db.get(Department, data.department_id)
    if department is None:
        raise Invalid(t("org.department_not_found"))
    supervisor_id = _staff_id_by_no(db, data.supervisor_no, t("org.field_supervisor"))
    if supervisor_id is not None and staff.id is not None:
        if supervisor_id == staff.id:
            raise Invalid(t("org.supervisor_self"))
        if supervisor_chain_has(db, supervisor_id, staff.id):
            raise Invalid(t("org.supervisor_loop"))
    copy_profile(staff, data)
    staff.department_id = data.department_id
    staff.supervisor_id = supervisor_id


def create_staff(db: Session, *, actor: Principal, staff_in: StaffCreate) -> Staff:
    """Add a staff member."""
    _require(actor, Perm.staff_write)
    if db.scalar(select(Staff.id).where(Staff.employee_no == staff_in.employee_no)) is not None:
        raise Conflict(t("org.employee_no_taken", no=staff_in.employee_no))
    staff = Staff(employee_no=staff_in.employee_no, status=StaffStatus.active)
    _apply_staff(db, staff, staff_in)
    db.add(staff)
    db.flush()
    audit.record(db, actor=actor, action="staff.create", entity_type="staff", entity_id=staff.id,
                 summary=t("org.audit_staff_create", name=staff.name, no=staff.employee_no),
                 after=audit.snapshot(staff, STAFF_FIELDS))
    db.flush()
    return staff


def update_staff(db: Session, *, actor: Principal, staff_id: int, staff_in: StaffUpdate) -> Staff:
    """Edit a staff member's record."""
    _require(actor, Perm.staff_write)
    staff = get_staff(db, actor=actor, staff_id=staff_id, perm=Perm.staff_write)
    before = audit.snapshot(staff, STAFF_FIELDS)
    _apply_staff(db, staff, staff_in)
    audit.record(db, actor=actor, action="staff.update", entity_type="staff", entity_id=staff.id,
                 summary=t("org.audit_staff_update", name=staff.name, no=staff.employee_no),
                 before=before, after=audit.snapshot(staff, STAFF_FIELDS))
    db.flush()
    return staff


def set_staff_status(db: Session, *, actor: Principal, staff_id: int, status: StaffStatus) -> Staff:
    """Deactivate (or reactivate) a staff member; their account is disabled with them."""
    from kaohe.auth.models import User

    _require(actor, Perm.staff_write)
    staff = get_staff(db, actor=actor, staff_id=staff_id, perm=Perm.staff_write)
    if status == StaffStatus.inactive and staff.id == actor.staff_id:
        raise Invalid(t("org.cannot_deactivate_self"))
    if staff.status == status:
        return staff
    before = audit.snapshot(staff, ("status",))
    staff.status = status
    user = db.scalar(select(User).where(User.staff_id == staff.id))
    if user is not None:
        user.is_active = status == StaffStatus.active
    audit.record(db, actor=actor, action=f"staff.{'activate' if status == StaffStatus.active else 'deactivate'}",
                 entity_type="staff", entity_id=staff.id,
                 summary=t("org.audit_staff_status", name=staff.name, no=staff.employee_no),
                 before=before, after=audit.snapshot(staff, ("status",)))
    db.flush()
    return staff
