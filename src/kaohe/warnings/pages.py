"""Quarterly warnings in the browser: the list (by quarter, kind, status and department), one warning with
its figures, the scheme's suggested action and its history, and the 处理 form for HR and the leader."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kaohe.auth.permissions import Perm
from kaohe.clock import now
from kaohe.errors import KaoheError
from kaohe.messages import t
from kaohe.quarterly.service import parse_quarter, quarter_label
from kaohe.warnings import service
from kaohe.warnings.models import WarningStatus
from kaohe.warnings.rules import Kind
from kaohe.warnings.schemas import WarningHandleIn
from kaohe.web.deps import CurrentPrincipal, SessionDep, requires
from kaohe.web.forms import attempt, done, parse_form
from kaohe.web.inputs import Id, IdFilter, Page, Text
from kaohe.web.templating import render

router = APIRouter()
PER_PAGE = 50


@router.get("/warnings")
def warnings_page(request: Request, db: SessionDep, principal: CurrentPrincipal, quarter: Text(20) = "",
                  kind: Text(20) = "", status: Text(20) = "", department_id: IdFilter = "",
                  page: Page = 1) -> Response:
    args = {"quarter": quarter, "kind": kind, "status": status, "department_id": department_id}
    error, rows = None, []
    try:
        year, number = parse_quarter(quarter) if quarter else (None, None)
        rows = service.list_warnings(db, actor=principal, filters=service.Filters(
            year=year, quarter=number, kind=kind or None, status=status or None,
            department_id=int(department_id) if department_id else None))
    except KaoheError as exc:
        error = exc.message
    everything = service.list_warnings(db, actor=principal) if (quarter or kind or status or department_id) \
        else rows
    quarters = sorted({(w.year, w.quarter) for w in everything}, reverse=True)
    departments = sorted({(w.staff.department.id, w.staff.department.name) for w in everything},
                         key=lambda d: d[1])
    names = service.indicator_names(db, {w.year for w in rows}) if rows else {}
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PER_PAGE
    return render(request, "warnings/list.html", {
        "rows": [(w, service.explain(w, names)) for w in rows[start:start + PER_PAGE]], "total": len(rows),
        "page": page, "pages": pages, "args": args, "error": error,
        "quarters": [(f"{y}-Q{q}", quarter_label(y, q)) for y, q in quarters], "departments": departments,
        "kinds": [(k.value, service.kind_label(k.value)) for k in Kind],
        "statuses": [(s.value, service.status_label(s)) for s in WarningStatus],
        "quarter_label": quarter_label, "kind_label": service.kind_label, "status_label": service.status_label,
        "pending": sum(1 for w in rows if w.status is WarningStatus.pending)},
        status_code=422 if error else 200)


def _detail(request: Request, db: SessionDep, principal: CurrentPrincipal, warning_id: int,
            status_code: int = 200, **extra: object) -> Response:
    warning = service.get_warning(db, actor=principal, warning_id=warning_id)
    names = service.indicator_names(db, {warning.year})
    return render(request, "warnings/detail.html", {
        "w": warning, "explain": service.explain(warning, names), "history": service.history_of(db, warning),
        "quarter_text": quarter_label(warning.year, warning.quarter), "kind_label": service.kind_label,
        "status_label": service.status_label, "action_label": lambda a: t(f"warnings.action.{a}"),
        "names": names, "code_label": service.code_label, "number": service.number, "can_handle": service.may_handle(principal, warning), **extra}, status_code=status_code)


@router.get("/warnings/{warning_id}")
def warning_page(request: Request, db: SessionDep, principal: CurrentPrincipal, warning_id: Id) -> Response:
    return _detail(request, db, principal, warning_id)


@router.post("/warnings/{warning_id}/handle")
async def handle(request: Request, db: SessionDep, principal: requires(Perm.warnings_handle),
                 warning_id: Id) -> Response:
    raw: dict = {}
    try:
        with attempt(db):
            handle_in, raw = await parse_form(request, WarningHandleIn)
            service.handle(db, actor=principal, warning_id=warning_id, note=handle_in.note, now=now())
    except KaoheError as exc:
        if exc.status_code in (403, 404):
            raise
        return _detail(request, db, principal, warning_id, status_code=exc.status_code, error=exc.message,
                       details=exc.details, values=getattr(exc, "raw", raw) or raw)
    return done(f"/warnings/{warning_id}", "warning_handled")
