"""Account administration: list, create, roles, activate, reset password (administrators only)."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from kaohe.auth import service
from kaohe.auth.models import User
from kaohe.auth.permissions import Perm
from kaohe.auth.roles import Role
from kaohe.errors import KaoheError
from kaohe.messages import t
from kaohe.org.models import Staff
from kaohe.web.deps import SessionDep, requires
from kaohe.web.forms import attempt, done
from kaohe.web.inputs import Id, Page, Text
from kaohe.web.templating import render

router = APIRouter(prefix="/admin")
Admin = requires(Perm.user_admin)
PER_PAGE = 30


def _users_context(db: SessionDep, q: str, page: int) -> dict[str, object]:
    stmt = select(User).outerjoin(Staff, User.staff_id == Staff.id)
    if q:
        stmt = stmt.where(or_(User.username.contains(q), Staff.name.contains(q), User.display_name.contains(q)))
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    users = db.scalars(stmt.options(joinedload(User.staff)).order_by(User.username)
                       .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).unique().all()
    return {"users": users, "q": q, "page": page, "pages": max(1, -(-total // PER_PAGE)), "total": total,
            "roles": list(Role)}


def _refused(request: Request, db: SessionDep, exc: KaoheError) -> Response:
    """The account list again, with the reason the change was refused; nothing of it was saved."""
    return render(request, "auth/users.html", {**_users_context(db, "", 1), "error": exc.message},
                  status_code=exc.status_code)


@router.get("/users")
def users(request: Request, db: SessionDep, principal: Admin, q: Text(50) = "",
          page: Annotated[Page, Query()] = 1) -> Response:
    return render(request, "auth/users.html", _users_context(db, q[:40], page))


@router.post("/users")
async def user_create(request: Request, db: SessionDep, principal: Admin,
                      username: Annotated[Text(64), Form()],
                      password: Annotated[Text(256), Form()],
                      employee_no: Annotated[Text(32), Form()] = "") -> Response:
    form = await request.form()
    roles = [Role(r) for r in form.getlist("roles") if r in Role.__members__]
    try:
        with attempt(db):
            staff_id = None
            if employee_no.strip():
                staff_id = db.scalar(select(Staff.id).where(Staff.employee_no == employee_no.strip()))
                if staff_id is None:
                    raise KaoheError(t("org.staff_no_unknown", field="工号", no=employee_no))
            service.create_user(db, actor=principal, username=username, password=password,
                                roles=roles or [Role.staff], staff_id=staff_id)
    except KaoheError as exc:
        return _refused(request, db, exc)
    return done(f"/admin/users?q={quote(username)}", "user_created")


@router.post("/users/{user_id}/roles")
async def user_roles(request: Request, user_id: Id, db: SessionDep, principal: Admin) -> Response:
    form = await request.form()
    roles = [Role(r) for r in form.getlist("roles") if r in Role.__members__]
    try:
        with attempt(db):
            service.set_roles(db, actor=principal, user_id=user_id, roles=roles)
    except KaoheError as exc:
        return _refused(request, db, exc)
    return done("/admin/users", "roles_saved")


@router.post("/users/{user_id}/active")
async def user_active(request: Request, user_id: Id, db: SessionDep, principal: Admin) -> Response:
    form = await request.form()
    try:
        with attempt(db):
            active = form.get("active") == "1"
            service.set_active(db, actor=principal, user_id=user_id, active=active)
    except KaoheError as exc:
        return _refused(request, db, exc)
    return done("/admin/users", "user_activated" if active else "user_deactivated")


@router.post("/users/{user_id}/reset-password")
def user_reset(request: Request, user_id: Id, db: SessionDep, principal: Admin) -> Response:
    temporary = service.reset_password(db, actor=principal, user_id=user_id)
    user = db.get(User, user_id)
    assert user is not None
    return render(request, "auth/users.html", {
        **_users_context(db, user.username, 1),
        "notice": t("auth.reset_done", username=user.username, password=temporary)})
