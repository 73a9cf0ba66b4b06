"""Persisting a generated demo unit (the realistic one or a synthetic one for benchmarks)."""

from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kaohe.audit import service as audit
from kaohe.auth import passwords
from kaohe.auth.models import RoleGrant, User
from kaohe.auth.roles import Role
from kaohe.calendar import service as calendar_service
from kaohe.demo.data import DemoUnit
from kaohe.errors import Conflict
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Department, Staff, Unit


@dataclass(frozen=True)
class SignIn:
    username: str
    roles: tuple[Role, ...]
    description: str


def _position_roles(unit: DemoUnit, employee_no: str, dept_ids: dict[str, int]) -> list[tuple[Role, int | None]]:
    """Roles a staff member without a named demo account holds by position (P1, A1): the 分管领导 of a
    department leads and sits on the committee; heads and liaisons act for their department."""
    roles: list[tuple[Role, int | None]] = [(Role.staff, None)]
    for d in unit.departments:
        if d.leader_no == employee_no and (Role.leader, None) not in roles:
            roles += [(Role.leader, None), (Role.committee, None)]
        if d.month_closer_no == employee_no:
            roles.append((Role.dept_head, dept_ids[d.code]))
        if d.liaison_no == employee_no:
            roles.append((Role.liaison, dept_ids[d.code]))
    return roles


def load_demo_unit(db: Session, unit: DemoUnit, *, password: str) -> list[SignIn]:
    """Write the unit, its departments, staff and accounts in one transaction; refuses a non-empty database."""
    if db.scalar(select(func.count()).select_from(Staff)):
        raise Conflict("数据库中已有人员数据，演示单位只能载入空数据库。")
    db.add(Unit(code=unit.code, name=unit.name))
    # Bulk inserts: a 10,000-person synthetic unit loads in seconds rather than minutes.
    dept_rows = [
        {"code": d.code, "name": d.name, "kind": d.kind, "is_pilot": d.is_pilot, "rollout_batch": d.rollout_batch,
         "is_active": True}
        for d in unit.departments
    ]
    db.execute(insert(Department), dept_rows)
    dept_ids = dict(db.execute(select(Department.code, Department.id)).all())
    db.execute(insert(Staff), [
        {"employee_no": s.employee_no, "name": s.name, "gender": s.gender, "department_id": dept_ids[s.department_code],
         "post_category": s.post_category, "level": s.level, "title": s.title, "post_name": s.post_name,
         "hired_on": s.hired_on, "phone": s.phone, "status": StaffStatus.active}
        for s in unit.staff
    ])
    staff_ids = dict(db.execute(select(Staff.employee_no, Staff.id)).all())
    from sqlalchemy import update

    db.execute(update(Staff), [
        {"id": staff_ids[s.employee_no], "supervisor_id": staff_ids[s.supervisor_no]}
        for s in unit.staff if s.supervisor_no
    ])
    db.execute(update(Department), [
        {"id": dept_ids[d.code],
         "leader_id": staff_ids.get(d.leader_no) if d.leader_no else None,
         "head_id": staff_ids.get(d.head_no) if d.head_no else None,
         "liaison_id": staff_ids.get(d.liaison_no) if d.liaison_no else None}
        for d in unit.departments
    ])
    # Every staff member can sign in with their 工号; all demo accounts share one password, so one
    # Argon2 hash serves them all (hashing 10,000 times would take minutes and prove nothing).
    shared_hash = passwords.hash_password(password)
    roles_by_no: dict[str | None, tuple[Role, ...]] = {a.employee_no: a.roles for a in unit.accounts}
    names = {s.employee_no: s.name for s in unit.staff}
    db.execute(insert(User), [
        {"username": no, "password_hash": shared_hash, "staff_id": sid, "display_name": names[no],
         "is_active": True, "must_change_password": False}
        for no, sid in staff_ids.items()
    ])
    user_ids = dict(db.execute(select(User.username, User.id)).all())
    grants = [
        {"user_id": user_ids[no], "role": role, "department_id": department_id}
        for no in staff_ids
        for role, department_id in (
            [(r, None) for r in roles_by_no[no]] if no in roles_by_no else _position_roles(unit, no, dept_ids)
        )
    ]
    db.execute(insert(RoleGrant), grants)
    for account in unit.accounts:
        if account.employee_no is None:
            user = User(username=account.username, password_hash=shared_hash, display_name="系统管理员",
                        grants=[RoleGrant(role=r) for r in account.roles])
            db.add(user)
    audit.record(db, actor=None, action="demo.load", entity_type="unit", entity_id=unit.code,
                 summary=f"载入演示单位「{unit.name}」：{len(unit.departments)} 个部门，{len(unit.staff)} 人")
    db.flush()
    calendar_service.seed_from_package(db)
    return [SignIn(a.username, a.roles, a.description) for a in unit.accounts]
