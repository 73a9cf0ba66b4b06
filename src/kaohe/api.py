"""The REST API under /api/v1: departments, staff, users, tokens, audit, calendar.

The same use cases and permission checks as the pages; bearer tokens or the session cookie
(with the X-CSRF-Token header for changes) authenticate.
"""

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from kaohe.audit import service as audit_service
from kaohe.auth import service as auth_service
from kaohe.auth.models import User
from kaohe.auth.permissions import Perm
from kaohe.auth.roles import Role
from kaohe.calendar import service as calendar_service
from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.org import roster_service
from kaohe.org import service as org_service
from kaohe.org.enums import Level, PostCategory, StaffStatus
from kaohe.org.schemas import (
    DepartmentCreate,
    DepartmentRead,
    DepartmentUpdate,
    StaffCreate,
    StaffPage,
    StaffRead,
    StaffUpdate,
)
from kaohe.web.deps import CurrentPrincipal, SessionDep, SettingsDep, csrf_protect, requires

router = APIRouter(prefix="/api/v1", dependencies=[Depends(csrf_protect)])


class Me(BaseModel):
    user_id: int
    username: str
    display_name: str
    staff_id: int | None
    roles: list[Role]


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    staff_id: int | None
    display_name: str
    is_active: bool
    roles: list[Role]


class UserCreate(BaseModel):
    username: str
    password: str
    roles: list[Role] = [Role.staff]
    staff_id: int | None = None
    display_name: str = ""


class RolesUpdate(BaseModel):
    roles: list[Role]


class TokenCreate(BaseModel):
    name: str


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    token: str


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    entity_type: str
    entity_id: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ImportResult(BaseModel):
    created: int
    updated: int


class WorkdayAnswer(BaseModel):
    day: date
    is_workday: bool


def _user_read(user: User) -> UserRead:
    return UserRead(id=user.id, username=user.username, staff_id=user.staff_id, display_name=user.display_name,
                    is_active=user.is_active, roles=[g.role for g in user.grants])


@router.get("/me", response_model=Me, summary="当前账号")
def me(principal: CurrentPrincipal) -> Me:
    return Me(user_id=principal.user_id, username=principal.username, display_name=principal.display_name,
              staff_id=principal.staff_id, roles=sorted(principal.roles))


# --- departments -----------------------------------------------------------------------------

@router.get("/departments", response_model=list[DepartmentRead], summary="部门列表")
def list_departments(db: SessionDep, principal: CurrentPrincipal) -> list[Any]:
    return org_service.list_departments(db, include_inactive=True)


@router.post("/departments", response_model=DepartmentRead, status_code=201, summary="新增部门")
def create_department(body: DepartmentCreate, db: SessionDep, principal: requires(Perm.department_write)) -> Any:
    return org_service.create_department(db, actor=principal, department_in=body)


@router.put("/departments/{department_id}", response_model=DepartmentRead, summary="修改部门")
def update_department(department_id: int, body: DepartmentUpdate, db: SessionDep,
                      principal: requires(Perm.department_write)) -> Any:
    return org_service.update_department(db, actor=principal, department_id=department_id, department_in=body)


# --- staff -----------------------------------------------------------------------------------

@router.get("/staff", response_model=StaffPage, summary="人员列表（按数据范围）")
def list_staff(
    db: SessionDep, principal: CurrentPrincipal, q: str = "", department_id: int | None = None,
    post_category: PostCategory | None = None, level: Level | None = None,
    status: StaffStatus | None = StaffStatus.active,
    page: Annotated[int, Query(ge=1)] = 1, per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> StaffPage:
    query = org_service.StaffQuery(q=q, department_id=department_id, post_category=post_category, level=level,
                                   status=status, page=page, per_page=per_page)
    rows, total = org_service.search_staff(db, actor=principal, query=query)
    return StaffPage(items=[StaffRead.model_validate(r) for r in rows], total=total, page=page, per_page=per_page)


@router.get("/staff/{staff_id}", response_model=StaffRead, summary="人员详情")
def get_staff(staff_id: int, db: SessionDep, principal: CurrentPrincipal) -> Any:
    return org_service.get_staff(db, actor=principal, staff_id=staff_id)


@router.post("/staff", response_model=StaffRead, status_code=201, summary="新增人员")
def create_staff(body: StaffCreate, db: SessionDep, principal: requires(Perm.staff_write)) -> Any:
    return org_service.create_staff(db, actor=principal, staff_in=body)


@router.put("/staff/{staff_id}", response_model=StaffRead, summary="修改人员")
def update_staff(staff_id: int, body: StaffUpdate, db: SessionDep, principal: requires(Perm.staff_write)) -> Any:
    return org_service.update_staff(db, actor=principal, staff_id=staff_id, staff_in=body)


@router.post("/staff/{staff_id}/deactivate", response_model=StaffRead, summary="停用人员")
def deactivate_staff(staff_id: int, db: SessionDep, principal: requires(Perm.staff_write)) -> Any:
    return org_service.set_staff_status(db, actor=principal, staff_id=staff_id, status=StaffStatus.inactive)


@router.post("/staff/{staff_id}/activate", response_model=StaffRead, summary="恢复人员")
def activate_staff(staff_id: int, db: SessionDep, principal: requires(Perm.staff_write)) -> Any:
    return org_service.set_staff_status(db, actor=principal, staff_id=staff_id, status=StaffStatus.active)


@router.post("/staff/import", response_model=ImportResult, summary="导入人员名册（全部成功或全部不导入）")
async def import_staff(db: SessionDep, settings: SettingsDep, principal: requires(Perm.roster_import),
                       file: Annotated[UploadFile, File()]) -> ImportResult:
    data = await file.read(settings.upload_max_bytes + 1)
    outcome = roster_service.import_roster(db, actor=principal, data=data, filename=file.filename or "",
                                           max_bytes=settings.upload_max_bytes)
    return ImportResult(created=outcome.created, updated=outcome.updated)


@router.get("/staff-export", summary="导出人员名册")
def export_staff(db: SessionDep, principal: requires(Perm.roster_export), fmt: str = "xlsx") -> Response:
    fmt = "csv" if fmt == "csv" else "xlsx"
    body = roster_service.export_roster(db, actor=principal, fmt=fmt)
    media = "text/csv; charset=utf-8" if fmt == "csv" else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''roster.{fmt}"})


# --- users and tokens ------------------------------------------------------------------------

@router.get("/users", response_model=list[UserRead], summary="账号列表")
def list_users(db: SessionDep, principal: requires(Perm.user_admin)) -> list[UserRead]:
    from sqlalchemy import select

    return [_user_read(u) for u in db.scalars(select(User).order_by(User.username))]


@router.post("/users", response_model=UserRead, status_code=201, summary="新增账号")
def create_user(body: UserCreate, db: SessionDep, principal: requires(Perm.user_admin)) -> UserRead:
    user = auth_service.create_user(db, actor=principal, username=body.username, password=body.password,
                                    roles=body.roles, staff_id=body.staff_id, display_name=body.display_name)
    return _user_read(user)


@router.put("/users/{user_id}/roles", response_model=UserRead, summary="设置账号角色")
def set_roles(user_id: int, body: RolesUpdate, db: SessionDep, principal: requires(Perm.user_admin)) -> UserRead:
    return _user_read(auth_service.set_roles(db, actor=principal, user_id=user_id, roles=body.roles))


@router.post("/users/{user_id}/reset-password", summary="重置密码（返回一次性临时密码）")
def reset_password(user_id: int, db: SessionDep, principal: requires(Perm.user_admin)) -> dict[str, str]:
    return {"temporary_password": auth_service.reset_password(db, actor=principal, user_id=user_id)}


@router.get("/tokens", response_model=list[TokenRead], summary="我的 API 令牌")
def list_tokens(db: SessionDep, principal: CurrentPrincipal) -> list[Any]:
    return auth_service.list_tokens(db, actor=principal)


@router.post("/tokens", response_model=TokenCreated, status_code=201, summary="生成 API 令牌")
def create_token(body: TokenCreate, db: SessionDep, principal: CurrentPrincipal) -> TokenCreated:
    secret, row = auth_service.create_token(db, actor=principal, name=body.name)
    return TokenCreated(token=secret, **TokenRead.model_validate(row).model_dump())


@router.delete("/tokens/{token_id}", status_code=204, summary="吊销 API 令牌")
def revoke_token(token_id: int, db: SessionDep, principal: CurrentPrincipal) -> Response:
    auth_service.revoke_token(db, actor=principal, token_id=token_id)
    return Response(status_code=204)


# --- audit and calendar ----------------------------------------------------------------------

@router.get("/audit", response_model=list[AuditRead], summary="审计日志（只读）")
def audit_log(db: SessionDep, principal: requires(Perm.audit_read), action: str = "", entity_type: str = "",
              entity_id: str = "", actor: str = "", since: date | None = None, until: date | None = None,
              page: Annotated[int, Query(ge=1)] = 1,
              per_page: Annotated[int, Query(ge=1, le=500)] = 50) -> list[Any]:
    rows, _total = audit_service.search(db, audit_service.AuditQuery(
        action=action, entity_type=entity_type, entity_id=entity_id, actor=actor, since=since, until=until,
        page=page, per_page=per_page))
    return rows


@router.get("/calendar/workday", response_model=WorkdayAnswer, summary="某日是否工作日")
def is_workday(day: date, db: SessionDep, principal: CurrentPrincipal) -> WorkdayAnswer:
    return WorkdayAnswer(day=day, is_workday=calendar_service.load_calendar(db).is_workday(day))


@router.get("/calendar/deadline", summary="计算期限（小时或工作日）")
def deadline(start: datetime, db: SessionDep, principal: CurrentPrincipal, hours: int | None = None,
             working_days: int | None = None) -> dict[str, datetime]:
    if (hours is None) == (working_days is None):
        raise Invalid(t("common.invalid_input"))
    end = calendar_service.load_calendar(db).deadline(start, hours=hours, working_days=working_days)
    return {"deadline": end}


@router.post("/calendar/import", summary="导入某年日历安排")
async def import_calendar(request: Request, year: int, db: SessionDep, principal: requires(Perm.calendar_write),
                          file: Annotated[UploadFile, File()]) -> dict[str, int]:
    data = await file.read(1024 * 1024 + 1)
    official, closures = calendar_service.import_year(db, actor=principal, data=data,
                                                      filename=file.filename or "", year=year)
    return {"official": official, "closures": closures}
