"""The scheme in the browser: the tree for everyone, drafts, the editor, compare and publish for HR,
and for each staff member the indicators that apply to them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from kaohe.auth.permissions import Perm
from kaohe.db import utcnow
from kaohe.errors import Invalid, KaoheError
from kaohe.messages import t
from kaohe.org.models import Department, Staff
from kaohe.scheme import service
from kaohe.scheme.display import build_tree, node_names, scheme_view, where
from kaohe.scheme.edits import Edit
from kaohe.scheme.orm import SchemeVersion
from kaohe.scheme.problems import Problem
from kaohe.scheme.tree import indicators_for
from kaohe.scheme.validate_tree import show
from kaohe.sheets import UploadBudget, parse_off_loop
from kaohe.web.deps import CurrentPrincipal, SessionDep, SettingsDep, requires
from kaohe.web.downloads import download_disposition
from kaohe.web.forms import attempt, done
from kaohe.web.inputs import INT4_MAX, Id, Int, Text
from kaohe.web.templating import render

router = APIRouter(prefix="/scheme")
SchemeAdmin = requires(Perm.scheme_write)
MAX_UPLOAD = 2 * 1024 * 1024
_NOT_EDITS = {"csrf_token", "note"}


def _year(year: int) -> int:
    return year if 2000 <= year <= 2100 else utcnow().year


def _view_context(db: SessionDep, principal: CurrentPrincipal, year: int, row: SchemeVersion | None,
                  **extra: Any) -> dict[str, Any]:
    scheme = service.scheme_of(row) if row is not None else service.current(db, year=year)
    current = service.current_version(db, year=year)
    return {
        "year": year, "row": row, "scheme": scheme, "view": scheme_view(scheme),
        "versions": service.list_versions(db, year=year), "years": service.list_years(db),
        "current": current, "frozen": service.is_frozen(db, year=year),
        "can_edit": principal.can(Perm.scheme_write), "show": show, **extra,
    }


@router.get("")
def scheme_page(request: Request, db: SessionDep, principal: CurrentPrincipal, year: Int(0, 9999) = 0) -> Response:
    year = _year(year)
    row = service.current_version(db, year=year)
    notice = None if row is not None else t("scheme_admin.no_published", year=year)
    return render(request, "scheme/view.html", _view_context(db, principal, year, row, notice=notice))


@router.get("/mine")
def scheme_mine(request: Request, db: SessionDep, principal: CurrentPrincipal, year: Int(0, 9999) = 0) -> Response:
    year = _year(year)
    scheme = service.current(db, year=year)
    staff = db.get(Staff, principal.staff_id) if principal.staff_id else None
    context: dict[str, Any] = {"year": year, "scheme": scheme, "staff": staff, "nodes": [], "show": show,
                               "published": service.current_version(db, year=year) is not None}
    if staff is None:
        context["error"] = t("scheme_admin.no_staff")
    else:
        department = db.get(Department, staff.department_id)
        nodes = indicators_for(scheme, category=staff.post_category, level=staff.level,
                               department=department.code if department else None, post=staff.post_name)
        context.update(nodes=build_tree(scheme, nodes, "indicators"), department=department)
    return render(request, "scheme/mine.html", context)


@router.get("/compare")
def scheme_compare(request: Request, db: SessionDep, principal: CurrentPrincipal, year: Int(0, 9999) = 0,
                   version_id: Int(0, INT4_MAX) = 0) -> Response:
    year = _year(year)
    row = service.get_version(db, version_id) if version_id else service.current_version(db, year=year)
    if row is not None:
        year = row.year
    diff = service.compare(db, year=year, version_id=row.id if row else None)
    return render(request, "scheme/compare.html", {
        "year": year, "row": row, "diff": diff, "previous": service.current_version(db, year=year - 1),
        "show": show, "churn": show(diff.churn) if diff.churn is not None else None,
        "band": {"low": show(diff.churn_min), "high": show(diff.churn_max)}})


@router.get("/versions/{version_id}")
def scheme_version(request: Request, version_id: Id, db: SessionDep, principal: CurrentPrincipal,
                   saved: Text(20) = "") -> Response:
    row = service.get_version(db, version_id)
    notice = {"published": t("scheme_admin.published", year=row.year, version=row.version),
              "draft": t("scheme_admin.drafted", year=row.year, version=row.version),
              "imported": t("scheme_admin.imported", year=row.year, version=row.version)}.get(saved)
    return render(request, "scheme/view.html", _view_context(db, principal, row.year, row, notice=notice))


@router.get("/versions/{version_id}/export")
def scheme_export(version_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Response:
    row = service.get_version(db, version_id)
    name = f"scheme-{row.year}-v{row.version}.yaml"
    return Response(row.yaml_text, media_type="application/yaml; charset=utf-8",
                    headers={"Content-Disposition": download_disposition(name)})


def _editor_context(db: SessionDep, row: SchemeVersion, *, values: dict[str, str] | None = None,
                    problems: list[Problem] | None = None, text: str | None = None, **extra: Any) -> dict[str, Any]:
    scheme = service.scheme_of(row)
    view = scheme_view(scheme)
    names = node_names(view)
    by_path: dict[str, list[str]] = {}
    listed = []
    for item in problems or []:
        by_path.setdefault(item.path, []).append(item.message)
        listed.append({"path": item.path, "where": where(item.path, names), "message": item.message})
    return {"year": row.year, "row": row, "scheme": scheme, "view": view, "values": values or {},
            "problems": by_path, "problem_list": listed, "yaml_text": row.yaml_text if text is None else text,
            "frozen": service.is_frozen(db, year=row.year), "show": show, **extra}


@router.get("/versions/{version_id}/edit")
def scheme_edit(request: Request, version_id: Id, db: SessionDep, principal: SchemeAdmin,
                saved: Text(20) = "") -> Response:
    row = service.get_version(db, version_id)
    notice = {"1": t("scheme_admin.saved", version=row.version), "0": t("scheme_admin.unchanged")}.get(saved)
    return render(request, "scheme/edit.html", _editor_context(db, row, notice=notice))


def _edit_failed(request: Request, db: SessionDep, version_id: int, exc: KaoheError, **extra: Any) -> Response:
    row = service.get_version(db, version_id)
    return render(request, "scheme/edit.html",
                  _editor_context(db, row, problems=getattr(exc, "problems", None) or [Problem("", d) for d in exc.details],
                                  error=exc.message, **extra),
                  status_code=exc.status_code)


@router.post("/versions/{version_id}/edit")
async def scheme_save(request: Request, version_id: Id, db: SessionDep, principal: SchemeAdmin) -> Response:
    form = await request.form()
    values = {key: value for key, value in form.items() if key not in _NOT_EDITS and isinstance(value, str)}
    edits = [Edit(path, value) for path, value in values.items()]
    before = service.get_version(db, version_id).sha256
    note = str(form.get("note") or "")[:200]
    try:
        with attempt(db):
            row = service.update_draft(db, actor=principal, version_id=version_id, edits=edits, note=note)
    except KaoheError as exc:
        return _edit_failed(request, db, version_id, exc, values=values)
    return RedirectResponse(f"/scheme/versions/{row.id}/edit?saved={int(row.sha256 != before)}", status_code=303)


@router.post("/versions/{version_id}/yaml")
async def scheme_save_yaml(request: Request, version_id: Id, db: SessionDep, principal: SchemeAdmin,
                           yaml_text: Annotated[Text(MAX_UPLOAD, lines=True), Form()]) -> Response:
    before = service.get_version(db, version_id).sha256
    try:
        with attempt(db):
            row = service.update_draft(db, actor=principal, version_id=version_id, text=yaml_text.replace("\r\n", "\n"))
    except KaoheError as exc:
        return _edit_failed(request, db, version_id, exc, text=yaml_text, yaml_open=True)
    return RedirectResponse(f"/scheme/versions/{row.id}/edit?saved={int(row.sha256 != before)}", status_code=303)


@router.post("/versions/{version_id}/publish")
def scheme_publish(request: Request, version_id: Id, db: SessionDep, principal: SchemeAdmin) -> Response:
    try:
        with attempt(db):
            row = service.publish(db, actor=principal, version_id=version_id)
    except KaoheError as exc:
        row = service.get_version(db, version_id)
        return render(request, "scheme/view.html",
                      _view_context(db, principal, row.year, row, error=exc.message, details=exc.details),
                      status_code=exc.status_code)
    return RedirectResponse(f"/scheme/versions/{row.id}?saved=published", status_code=303)


@router.post("/drafts")
def scheme_new_draft(request: Request, db: SessionDep, principal: SchemeAdmin, year: Annotated[Int(0, 9999), Form()],
                     note: Annotated[Text(200), Form()] = "") -> Response:
    try:
        with attempt(db):
            row = service.new_draft(db, actor=principal, year=year, note=note)
    except KaoheError as exc:
        year = _year(year)
        return render(request, "scheme/view.html", _view_context(
            db, principal, year, service.current_version(db, year=year), error=exc.message, details=exc.details),
            status_code=exc.status_code)
    return done(f"/scheme/versions/{row.id}/edit", "draft_created")


@router.post("/import")
async def scheme_import(request: Request, db: SessionDep, settings: SettingsDep, principal: SchemeAdmin,
                        year: Annotated[Int(0, 9999), Form()],
                        note: Annotated[str, Form(max_length=200)] = "",
                        text: Annotated[str, Form(max_length=MAX_UPLOAD)] = "",
                        file: Annotated[UploadFile | None, File()] = None) -> Response:
    try:
        with attempt(db):
            if file is not None and file.filename:
                data = await file.read(MAX_UPLOAD + 1)
                if len(data) > MAX_UPLOAD:
                    raise Invalid(t("common.file_too_large", mb=MAX_UPLOAD // (1024 * 1024)))
                try:
                    text = data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise Invalid(t("scheme.not_utf8")) from None
            if not text.strip():
                raise Invalid(t("scheme_admin.text_missing"))
            # The YAML is parsed and validated in a parser thread, like a spreadsheet upload.
            row = await parse_off_loop(UploadBudget.of(settings), service.import_version, db, actor=principal,
                                       year=year, text=text.replace("\r\n", "\n"), note=note)
    except KaoheError as exc:
        year = _year(year)
        return render(request, "scheme/view.html", _view_context(
            db, principal, year, service.current_version(db, year=year), error=exc.message, details=exc.details),
            status_code=exc.status_code)
    return RedirectResponse(f"/scheme/versions/{row.id}?saved=imported", status_code=303)
