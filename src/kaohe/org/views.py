"""Departments, staff and the roster over /api/v1, with the same use cases and checks as the pages."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response

from kaohe.auth.permissions import Perm
from kaohe.org import roster_service, service
from kaohe.org.enums import Level, PostCategory, StaffStatus
from kaohe.org.schemas import (
    DepartmentCreate,
    DepartmentRead,
    DepartmentUpdate,
    ImportResult,
    StaffCreate,
    StaffPage,
    StaffRead,
    StaffUpdate,
)
from kaohe.sheets import UploadBudget, parse_off_loop
from kaohe.web.deps import CurrentPrincipal, SessionDep, SettingsDep, requires
from kaohe.web.downloads import download_disposition
from kaohe.web.inputs import Id, Page, PerPage, Text

router = APIRouter(tags=["组织与人员"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/departments", response_model=list[DepartmentRead], summary="部门列表")
def list_departments(db: SessionDep, principal: CurrentPrincipal) -> list[Any]:
    return service.list_departments(db, include_inactive=True)


@router.post("/departments", response_model=DepartmentRead, status_code=201, summary="新增部门")
def create_department(body: DepartmentCreate, db: SessionDep, principal: requires(Perm.department_write)) -> Any:
    return service.create_department(db, actor=principal, department_in=body)


@router.put("/departments/{department_id}", response_model=DepartmentRead, summary="修改部门")
def update_department(department_id: Id, body: DepartmentUpdate, db: SessionDep,
                      principal: requires(Perm.department_write)) -> Any:
    return service.update_department(db, actor=principal, department_id=department_id, department_in=body)


@router.get("/staff", response_model=StaffPage, summary="人员列表（按数据范围）")
def list_staff(
    db: SessionDep, principal: CurrentPrincipal, q: Annotated[Text(50), Query()] = "",
    department_id: Annotated[Id | None, Query()] = None,
    post_category: PostCategory | None = None, level: Level | None = None,
    status: StaffStatus | None = StaffStatus.active,
    page: Annotated[Page, Query()] = 1, per_page: Annotated[PerPage, Query()] = 50,
) -> StaffPage:
    query = service.StaffQuery(q=q, department_id=department_id, post_category=post_category, level=level,
                               status=status, page=page, per_page=per_page)
    rows, total = service.search_staff(db, actor=principal, query=query)
    return StaffPage(items=[StaffRead.model_validate(r) for r in rows], total=total, page=page, per_page=per_page)


@router.get("/staff/{staff_id}", response_model=StaffRead, summary="人员详情")
def get_staff(staff_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Any:
    return service.get_staff(db, actor=principal, staff_id=staff_id)


@router.post("/staff", response_model=StaffRead, status_code=201, summary="新增人员")
def create_staff(body: StaffCreate, db: SessionDep, principal: requires(Perm.staff_write)) -> Any:
    return service.create_staff(db, actor=principal, staff_in=body)


@router.put("/staff/{staff_id}", response_model=StaffRead, summary="修改人员")
def update_staff(staff_id: Id, body: StaffUpdate, db: SessionDep, principal: requires(Perm.staff_write)) -> Any:
    return service.update_staff(db, actor=principal, staff_id=staff_id, staff_in=body)


@router.post("/staff/{staff_id}/deactivate", response_model=StaffRead, summary="停用人员")
def deactivate_staff(staff_id: Id, db: SessionDep, principal: requires(Perm.staff_write)) -> Any:
    return service.set_staff_status(db, actor=principal, staff_id=staff_id, status=StaffStatus.inactive)


@router.post("/staff/{staff_id}/activate", response_model=StaffRead, summary="恢复人员")
def activate_staff(staff_id: Id, db: SessionDep, principal: requires(Perm.staff_write)) -> Any:
    return service.set_staff_status(db, actor=principal, staff_id=staff_id, status=StaffStatus.active)


@router.post("/staff/import", response_model=ImportResult, summary="导入人员名册（全部成功或全部不导入）")
async def import_staff(db: SessionDep, settings: SettingsDep, principal: requires(Perm.roster_import),
                       file: Annotated[UploadFile, File()]) -> ImportResult:
    data = await file.read(settings.upload_max_bytes + 1)
    # In a parser thread, so reading the file never holds the event loop (kaohe.sheets.offload).
    outcome = await parse_off_loop(UploadBudget.of(settings), roster_service.import_roster, db, actor=principal,
                                   data=data, filename=file.filename or "", max_bytes=settings.upload_max_bytes)
    return ImportResult(created=outcome.created, updated=outcome.updated)


@router.get("/staff-export", summary="导出人员名册", response_class=Response, responses={200: {
    "description": "名册文件", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}},
                                        "text/csv": {"schema": {"type": "string"}}}}})
def export_staff(db: SessionDep, principal: requires(Perm.roster_export),
                 fmt: Literal["xlsx", "csv"] = "xlsx") -> Response:
    body = roster_service.export_roster(db, actor=principal, fmt=fmt)
    media = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    return Response(body, media_type=media,
                    headers={"Content-Disposition": download_disposition(f"人员名册.{fmt}", fallback="roster")})
