"""Metric collection in the browser: what has arrived for a quarter, the upload of an export, each
source's column mapping, the collection of the daily-record figures, and one person's values."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from kaohe.auth.permissions import Perm
from kaohe.clock import local, now
from kaohe.errors import Invalid, KaoheError, NotFound
from kaohe.messages import t
from kaohe.metrics import collect, service
from kaohe.metrics.catalog import DAILY_RECORDS, Quarter, parse_quarter, source_leaves, source_names, unit_of
from kaohe.metrics.importing import MAX_BYTES
from kaohe.metrics.schemas import MappingIn
from kaohe.scheme.tree import library_leaves
from kaohe.sheets import UploadBudget, parse_off_loop
from kaohe.web.deps import CurrentPrincipal, SessionDep, SettingsDep, requires
from kaohe.web.forms import attempt, done, validate
from kaohe.web.inputs import Id, Text
from kaohe.web.templating import render

router = APIRouter()

QUARTERS_OFFERED = 8  # the pickers offer this quarter and the seven before it
COLUMN_FIELD = "column:"  # the mapping form names each indicator's input "column:<code>"


def current_quarter() -> Quarter:
    moment = local(now())
    return Quarter(moment.year, (moment.month - 1) // 3 + 1)


def recent_quarters() -> list[Quarter]:
    current = current_quarter()
    index = current.year * 4 + current.number - 1
    return [Quarter(i // 4, i % 4 + 1) for i in range(index, index - QUARTERS_OFFERED, -1)]


def _chosen(text: str) -> tuple[Quarter, str | None]:
    """The quarter asked for in the address, or the current one with the reason it was not understood."""
    if not text:
        return current_quarter(), None
    try:
        return parse_quarter(text), None
    except Invalid as exc:
        return current_quarter(), exc.message


def _choices(quarter: Quarter) -> list[Quarter]:
    choices = recent_quarters()
    return choices if quarter in choices else [*choices, quarter]


@router.get("/metrics")
def overview(request: Request, db: SessionDep, principal: requires(Perm.metrics_read), quarter: Text(20) = "") -> Response:
    chosen, error = _chosen(quarter)
    report = collect.completeness(db, actor=principal, quarter=chosen)
    return render(request, "metrics/overview.html", {
        "report": report, "quarter": chosen, "choices": _choices(chosen), "error": error,
        "can_import": principal.can(Perm.metrics_import), "records_source": DAILY_RECORDS})


def _import_context(db: SessionDep, source: str, quarter: Quarter, **extra: Any) -> dict[str, Any]:
    scheme = service.scheme_for(db, quarter)
    names = source_names(scheme)
    sources = [(key, names[key]) for key in names if key != DAILY_RECORDS and source_leaves(scheme, key)]
    chosen = source if source in dict(sources) else (sources[0][0] if sources else "")
    view = service.mapping_of(db, scheme=scheme, source=chosen) if chosen else None
    existing = service.existing_count(db, source=chosen, quarter=quarter) if chosen else 0
    return {"sources": sources, "source": chosen, "quarter": quarter, "choices": _choices(quarter), "view": view,
            "existing": existing, "unit_of": unit_of, **extra}


@router.get("/metrics/import")
def import_form(request: Request, db: SessionDep, principal: requires(Perm.metrics_import), source: Text(40) = "",
                quarter: Text(20) = "") -> Response:
    chosen, error = _chosen(quarter)
    return render(request, "metrics/import.html", _import_context(db, source, chosen, error=error))


@router.post("/metrics/import")
async def import_submit(request: Request, db: SessionDep, settings: SettingsDep,
                        principal: requires(Perm.metrics_import)) -> Response:
    form = await request.form()
    source = str(form.get("source") or "")[:40]
    quarter_text = str(form.get("quarter") or "")[:20]
    upload = form.get("file")
    quarter = current_quarter()
    try:
        with attempt(db):
            quarter = parse_quarter(quarter_text)
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise Invalid(t("common.file_missing"))
            data = await upload.read(MAX_BYTES + 1)
            # The whole use case in a parser thread: reading the file is most of it (kaohe.sheets.offload).
            await parse_off_loop(UploadBudget.of(settings), service.import_file, db, actor=principal, source=source,
                                 quarter=quarter, data=data, filename=upload.filename, replace="replace" in form,
                                 now=now())
    except KaoheError as exc:
        return render(request, "metrics/import.html", _import_context(
            db, source, quarter, error=exc.message, details=exc.details), status_code=exc.status_code)
    return done(f"/metrics?quarter={quarter.key}", "metrics_imported")


def _mapping_context(db: SessionDep, key: str, **extra: Any) -> dict[str, Any]:
    quarter = current_quarter()
    scheme = service.scheme_for(db, quarter)
    try:
        view = service.mapping_of(db, scheme=scheme, source=key)
    except Invalid as exc:
        raise NotFound(exc.message) from None
    return {"view": view, "year": quarter.year, "unit_of": unit_of, **extra}


@router.get("/metrics/sources/{key}/mapping")
def mapping_form(request: Request, key: Text(40), db: SessionDep, principal: requires(Perm.metrics_import)) -> Response:
    return render(request, "metrics/mapping.html", _mapping_context(db, key))


@router.post("/metrics/sources/{key}/mapping")
async def mapping_submit(request: Request, key: Text(40), db: SessionDep,
                         principal: requires(Perm.metrics_import)) -> Response:
    context = _mapping_context(db, key)
    form = await request.form()
    columns = {name.removeprefix(COLUMN_FIELD): str(value) for name, value in form.items()
               if name.startswith(COLUMN_FIELD) and isinstance(value, str)}
    raw = {"employee_column": str(form.get("employee_column") or ""), "columns": columns}
    try:
        with attempt(db):
            mapping_in = validate(MappingIn, {"employee_column": raw["employee_column"].strip(), "columns": columns})
            service.save_mapping(db, actor=principal, scheme=service.scheme_for(db, current_quarter()), source=key,
                                 mapping_in=mapping_in, now=now())
    except KaoheError as exc:
        return render(request, "metrics/mapping.html", {**context, "error": exc.message, "details": exc.details,
                                                        "values": raw}, status_code=exc.status_code)
    return done(f"/metrics/sources/{key}/mapping", "metrics_mapping_saved")


@router.post("/metrics/collect-records")
async def collect_submit(request: Request, db: SessionDep, principal: requires(Perm.metrics_import)) -> Response:
    form = await request.form()
    quarter, error = _chosen(str(form.get("quarter") or "")[:20])
    if error is not None:
        report = collect.completeness(db, actor=principal, quarter=quarter)
        return render(request, "metrics/overview.html", {
            "report": report, "quarter": quarter, "choices": _choices(quarter), "error": error, "can_import": True,
            "records_source": DAILY_RECORDS}, status_code=422)
    stored = collect.collect_records(db, actor=principal, quarter=quarter, now=now())
    return done(f"/metrics?quarter={quarter.key}", "metrics_records_collected" if stored else "metrics_records_none")


@router.get("/metrics/staff/{staff_id}")
def person(request: Request, staff_id: Id, db: SessionDep, principal: CurrentPrincipal, quarter: Text(20) = "") -> Response:
    chosen, error = _chosen(quarter)
    staff = service.visible_staff(db, actor=principal, staff_id=staff_id)
    rows = service.values_of(db, actor=principal, quarter=chosen, staff_id=staff.id)
    have = {value.indicator_code for value, _batch, _staff, _department in rows}
    expected = collect.expected_for(db, staff=staff, quarter=chosen)
    scheme = service.scheme_for(db, chosen)
    return render(request, "metrics/person.html", {
        "staff": staff, "quarter": chosen, "choices": _choices(chosen), "error": error, "rows": rows,
        "names": {code: node.name for code, node in library_leaves(scheme).items()},
        "sources": source_names(scheme), "missing": [node for node in expected if node.code not in have],
        "history": service.history_of(db, actor=principal, staff=staff, quarter=chosen), "unit_of": unit_of})
