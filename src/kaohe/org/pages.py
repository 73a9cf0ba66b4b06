"""Organisation pages: staff list and detail, staff forms, departments, roster import/export."""

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from kaohe.auth.models import User
from kaohe.auth.permissions import Perm
from kaohe.errors import Invalid, KaoheError
from kaohe.messages import t
from kaohe.org import roster_service, service
from kaohe.org.enums import DepartmentKind, Level, PostCategory, StaffStatus
from kaohe.org.models import Department, Staff
from kaohe.org.schemas import DepartmentCreate, StaffCreate, StaffUpdate
from kaohe.sheets import UploadBudget, parse_off_loop
from kaohe.web.deps import CurrentPrincipal, SessionDep, SettingsDep, requires
from kaohe.web.downloads import download_disposition
from kaohe.web.forms import attempt, done, parse_form
from kaohe.web.inputs import Id, IdFilter, Page, Text
from kaohe.web.templating import render

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff_query(q: str, department_id: str, post_category: str, level: str, status: str, page: int
                 ) -> service.StaffQuery:
    return service.StaffQuery(
        q=q[:40],
        department_id=int(department_id) if department_id.isdigit() else None,
        post_category=PostCategory(post_category) if post_category in PostCategory.__members__ else None,
        level=Level(level) if level in Level.__members__ else None,
        status=(None if status == "all" else StaffStatus(status) if status in StaffStatus.__members__
                else StaffStatus.active),
        page=max(1, page),
    )


@router.get("/staff")
def staff_list(
    request: Request, db: SessionDep, principal: CurrentPrincipal,
    q: Text(50) = "", department_id: IdFilter = "", post_category: Text(20) = "", level: Text(20) = "",
    status: Text(20) = "active", page: Annotated[Page, Query()] = 1,
) -> Response:
    query = _staff_query(q, department_id, post_category, level, status, page)
    rows, total = service.search_staff(db, actor=principal, query=query)
    pages = max(1, -(-total // query.per_page))
    context = {
        "rows": rows, "total": total, "query": query, "pages": pages, "status": status,
        "departments": service.department_options(db),
        "categories": list(PostCategory), "levels": list(Level),
        "args": {"q": q, "department_id": department_id, "post_category": post_category, "level": level,
                 "status": status},
    }
    template = "org/_staff_table.html" if request.headers.get("hx-request") else "org/staff_list.html"
    return render(request, template, context)


def _form_context(db: SessionDep, **extra: object) -> dict[str, object]:
    return {"departments": service.list_departments(db), "categories": list(PostCategory),
            "levels": list(Level), **extra}


@router.get("/staff/new")
def staff_new(request: Request, db: SessionDep, principal: requires(Perm.staff_write)) -> Response:
    return render(request, "org/staff_form.html", _form_context(db, values={}, creating=True))


@router.post("/staff/new")
async def staff_create(request: Request, db: SessionDep, principal: requires(Perm.staff_write)) -> Response:
    raw: dict = {}
    try:
        with attempt(db):
            staff_in, raw = await parse_form(request, StaffCreate)
            staff = service.create_staff(db, actor=principal, staff_in=staff_in)
    except KaoheError as exc:
        raw = getattr(exc, "raw", raw) or dict((await request.form()).items())
        return render(request, "org/staff_form.html",
                      _form_context(db, values=raw, creating=True, error=exc.message, details=exc.details),
                      status_code=exc.status_code)
    return RedirectResponse(f"/staff/{staff.id}?saved=1", status_code=303)


@router.get("/staff/{staff_id}")
def staff_detail(request: Request, staff_id: Id, db: SessionDep, principal: CurrentPrincipal,
                 saved: Text(20) = "") -> Response:
    staff = service.get_staff(db, actor=principal, staff_id=staff_id)
    account = db.scalar(select(User).where(User.staff_id == staff.id))
    return render(request, "org/staff_detail.html", {
        "staff": staff, "reports": service.direct_reports(db, actor=principal, staff=staff),
        "account": account if principal.can(Perm.user_admin) else None,
        "can_edit": principal.can(Perm.staff_write), "saved": bool(saved),
    })


@router.get("/staff/{staff_id}/edit")
def staff_edit(request: Request, staff_id: Id, db: SessionDep, principal: requires(Perm.staff_write)) -> Response:
    staff = service.get_staff(db, actor=principal, staff_id=staff_id, perm=Perm.staff_write)
    values = {
        "name": staff.name, "gender": staff.gender or "", "department_id": str(staff.department_id),
        "post_category": staff.post_category.value, "level": staff.level.value, "title": staff.title,
        "post_name": staff.post_name, "supervisor_no": staff.supervisor.employee_no if staff.supervisor else "",
        "hired_on": staff.hired_on.isoformat() if staff.hired_on else "", "phone": staff.phone or "",
    }
    return render(request, "org/staff_form.html", _form_context(db, values=values, staff=staff, creating=False))


@router.post("/staff/{staff_id}/edit")
async def staff_update(request: Request, staff_id: Id, db: SessionDep,
                       principal: requires(Perm.staff_write)) -> Response:
    staff = service.get_staff(db, actor=principal, staff_id=staff_id, perm=Perm.staff_write)
    raw: dict = {}
    try:
        with attempt(db):
            staff_in, raw = await parse_form(request, StaffUpdate)
            service.update_staff(db, actor=principal, staff_id=staff_id, staff_in=staff_in)
    except KaoheError as exc:
        raw = getattr(exc, "raw", raw)
        return render(request, "org/staff_form.html",
                      _form_context(db, values=raw, staff=staff, creating=False, error=exc.message,
                                    details=exc.details), status_code=exc.status_code)
    return RedirectResponse(f"/staff/{staff_id}?saved=1", status_code=303)


@router.post("/staff/{staff_id}/status")
async def staff_status(request: Request, staff_id: Id, db: SessionDep,
                       principal: requires(Perm.staff_write)) -> Response:
    form = await request.form()
    status = StaffStatus.active if form.get("status") == "active" else StaffStatus.inactive
    service.set_staff_status(db, actor=principal, staff_id=staff_id, status=status)
    return RedirectResponse(f"/staff/{staff_id}?saved=1", status_code=303)


# --- departments -----------------------------------------------------------------------------

@router.get("/departments")
def departments(request: Request, db: SessionDep, principal: CurrentPrincipal) -> Response:
    counts = dict(db.execute(select(Staff.department_id, func.count()).where(Staff.status == StaffStatus.active)
                             .group_by(Staff.department_id)).all())
    return render(request, "org/departments.html", {
        "departments": service.list_departments(db, include_inactive=True), "counts": counts,
        "can_edit": principal.can(Perm.department_write),
    })


def _department_values(department: Department | None) -> dict[str, object]:
    if department is None:
        return {"rollout_batch": "1"}
    return {
        "code": department.code, "name": department.name, "kind": department.kind.value,
        "is_pilot": department.is_pilot, "rollout_batch": str(department.rollout_batch),
        "leader_no": department.leader.employee_no if department.leader else "",
        "head_no": department.head.employee_no if department.head else "",
        "liaison_no": department.liaison.employee_no if department.liaison else "",
    }


@router.get("/departments/new")
def department_new(request: Request, principal: requires(Perm.department_write)) -> Response:
    return render(request, "org/department_form.html", {"values": _department_values(None), "kinds": list(DepartmentKind)})


@router.get("/departments/{department_id}/edit")
def department_edit(request: Request, department_id: Id, db: SessionDep,
                    principal: requires(Perm.department_write)) -> Response:
    department = service.get_department(db, department_id)
    return render(request, "org/department_form.html", {"values": _department_values(department),
                                                        "department": department, "kinds": list(DepartmentKind)})


@router.post("/departments/new")
@router.post("/departments/{department_id}/edit")
async def department_save(request: Request, db: SessionDep, principal: requires(Perm.department_write),
                          department_id: Id | None = None) -> Response:
    department = service.get_department(db, department_id) if department_id else None
    raw: dict = {}
    try:
        with attempt(db):
            data, raw = await parse_form(request, DepartmentCreate, checkboxes=("is_pilot",))
            if department is None:
                service.create_department(db, actor=principal, department_in=data)
            else:
                service.update_department(db, actor=principal, department_id=department.id, department_in=data)
    except KaoheError as exc:
        return render(request, "org/department_form.html", {
            "values": getattr(exc, "raw", raw), "department": department, "kinds": list(DepartmentKind),
            "error": exc.message, "details": exc.details}, status_code=exc.status_code)
    return done("/departments", "department_saved")


# --- roster import / export ------------------------------------------------------------------

@router.get("/roster/import")
def roster_import_form(request: Request, principal: requires(Perm.roster_import)) -> Response:
    return render(request, "org/roster_import.html", {})


@router.post("/roster/import")
async def roster_import(request: Request, db: SessionDep, settings: SettingsDep,
                        principal: requires(Perm.roster_import),
                        file: Annotated[UploadFile | None, File()] = None) -> Response:
    try:
        with attempt(db):
            if file is None or not file.filename:
                raise Invalid(t("common.file_missing"))
            # Read one byte past the limit so an oversized upload is refused without reading it all.
            data = await file.read(settings.upload_max_bytes + 1)
            # The whole use case in a parser thread: reading the file is most of it (kaohe.sheets.offload).
            outcome = await parse_off_loop(UploadBudget.of(settings), roster_service.import_roster, db,
                                           actor=principal, data=data, filename=file.filename,
                                           max_bytes=settings.upload_max_bytes)
    except KaoheError as exc:
        return render(request, "org/roster_import.html", {"error": exc.message, "details": exc.details},
                      status_code=exc.status_code)
    return render(request, "org/roster_import.html",
                  {"notice": t("org.import_done", created=outcome.created, updated=outcome.updated)})


@router.get("/roster/export")
def roster_export(db: SessionDep, principal: requires(Perm.roster_export), fmt: Text(8) = "xlsx") -> Response:
    fmt = "csv" if fmt == "csv" else "xlsx"
    body = roster_service.export_roster(db, actor=principal, fmt=fmt)
    media = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    return Response(body, media_type=media,
                    headers={"Content-Disposition": download_disposition(f"人员名册.{fmt}", fallback="roster")})
