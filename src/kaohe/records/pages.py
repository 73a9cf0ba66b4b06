"""Daily records in the browser: quick entry on a phone, the leader's review queue, the month loop,
the task book, evidence, reminders, quality signals and the ledger status."""

import contextlib
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import UploadFile as StarletteUpload

from kaohe.auth.permissions import Perm
from kaohe.clock import now, zone
from kaohe.errors import Forbidden, Invalid, KaoheError, NotFound
from kaohe.ledger import service as ledger_service
from kaohe.messages import t
from kaohe.org import service as org_service
from kaohe.org.models import Staff
from kaohe.records import importing_service, month, service, signals_service, tasks
from kaohe.records.models import RecordStatus
from kaohe.records.schemas import RecordCreate, RecordUpdate, ReviewIn, TaskCreate
from kaohe.sheets import UploadBudget, parse_off_loop
from kaohe.web.deps import CurrentPrincipal, SessionDep, SettingsDep, requires
from kaohe.web.downloads import download_disposition
from kaohe.web.forms import attempt, done, parse_form, validate
from kaohe.web.inputs import Id, IdFilter, Int, Page, Text
from kaohe.web.templating import render

router = APIRouter()


def _local_form(raw: dict[str, object]) -> dict[str, object]:
    """datetime-local inputs carry no zone: they are the unit's local time."""
    out = dict(raw)
    for name in ("started_at", "ended_at"):
        value = out.get(name)
        if isinstance(value, str) and value and "+" not in value[10:] and not value.endswith("Z"):
            with contextlib.suppress(ValueError):
                out[name] = datetime.fromisoformat(value).replace(tzinfo=zone()).isoformat()
    return out


def _my_tasks(db: SessionDep, principal: CurrentPrincipal) -> list:  # type: ignore[type-arg]
    if principal.staff_id is None:
        return []
    return tasks.tasks_of(db, actor=principal, staff_id=principal.staff_id, year=now().astimezone(zone()).year)


# The entry form's person picker lists at most this many people; beyond it, a 工号 field.
PICKER_LIMIT = 300
# Files one entry may carry from the entry form; more go on the record's page.
ENTRY_EVIDENCE_MAX = 5


def _list_context(db: SessionDep, principal: CurrentPrincipal, args: dict[str, str], page: int,
                  **extra: object) -> dict[str, object]:
    args = {key: args.get(key, "") for key in ("staff_id", "department_id", "person", "status", "month")}
    query = service.RecordQuery(
        staff_id=int(args["staff_id"]) if args["staff_id"].isdigit() else None,
        department_id=int(args["department_id"]) if args["department_id"].isdigit() else None,
        person=args["person"].strip(),
        status=RecordStatus(args["status"]) if args["status"] in RecordStatus.__members__ else None,
        month=args["month"] if len(args["month"]) == 7 else "", page=page)
    rows, total = service.search(db, actor=principal, query=query)
    local_now = now().astimezone(zone())
    return {"rows": rows, "total": total, "page": page, "pages": max(1, -(-total // query.per_page)),
            "args": args, "statuses": list(RecordStatus),
            "departments": service.visible_departments(db, actor=principal),
            "subjects": service.recording_subjects(db, actor=principal, limit=PICKER_LIMIT),
            "evidence_max": ENTRY_EVIDENCE_MAX,
            "marks": service.quality_marks(db, local_now.year),
            "tasks": _my_tasks(db, principal), "default_end": local_now.strftime("%Y-%m-%dT%H:%M"),
            "default_start": (local_now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "pending": len(service.pending_for_leader(db, actor=principal)), **extra}


@router.get("/records")
def records(request: Request, db: SessionDep, principal: CurrentPrincipal, staff_id: IdFilter = "",
            department_id: IdFilter = "", person: Text(50) = "", status: Text(20) = "", month: Text(7) = "",
            page: Annotated[Page, Query()] = 1, saved: Text(20) = "", files: Int(0, 99) = 0) -> Response:
    notice = None
    if saved == "late":
        notice = t("records.saved_late", hours=service.entry_limit_hours(db, now().astimezone(zone()).year))
    elif saved:
        notice = t("records.saved")
    if notice and files:
        notice += t("records.saved_files", count=files)
    args = {"staff_id": staff_id, "department_id": department_id, "person": person, "status": status,
            "month": month}
    return render(request, "records/list.html", _list_context(db, principal, args, page, notice=notice))


@router.post("/records")
async def record_create(request: Request, db: SessionDep, principal: CurrentPrincipal) -> Response:
    raw: dict = {}
    form = await request.form()
    # Evidence chosen in the entry form is saved with the record, or nothing is (one transaction).
    uploads = [f for f in form.getlist("evidence") if isinstance(f, StarletteUpload) and f.filename]
    try:
        with attempt(db):
            record_in, raw = await parse_form(request, RecordCreate, prepare=_local_form)
            if len(uploads) > ENTRY_EVIDENCE_MAX:
                raise Invalid(t("records.entry_files_max", count=ENTRY_EVIDENCE_MAX))
            created = service.create_record(db, actor=principal, record_in=record_in, now=now())
            for upload in uploads:
                service.add_evidence(db, actor=principal, record_id=created.record.id, filename=upload.filename,
                                     data=await upload.read(service.EVIDENCE_MAX_BYTES + 1), now=now())
    except KaoheError as exc:
        return render(request, "records/list.html", _list_context(
            db, principal, {}, 1, error=exc.message, details=exc.details,
            values=getattr(exc, "raw", raw) or raw),
            status_code=exc.status_code)
    files = f"&files={len(uploads)}" if uploads else ""
    return RedirectResponse(f"/records?saved={'late' if created.record.late else '1'}{files}", status_code=303)


@router.get("/records/review")
def review_queue(request: Request, db: SessionDep, principal: requires(Perm.records_review)) -> Response:
    return render(request, "records/review.html", {"rows": service.pending_for_leader(db, actor=principal),
                                                    "marks": service.quality_marks(db, now().year)})


@router.post("/records/review")
async def review_submit(request: Request, db: SessionDep, principal: requires(Perm.records_review)) -> Response:
    form = await request.form()
    ids = [str(v) for v in form.getlist("record_ids") if isinstance(v, str)]
    action = "return" if form.get("action") == "return" else "confirm"
    mark = str(form.get("quality_mark") or "").strip()
    try:
        with attempt(db):
            if not ids:
                raise Invalid(t("common.invalid_input"), details=[t("records.review_none_chosen")])
            review_in = validate(ReviewIn, {"record_ids": ids, "action": action,
                                            "comment": str(form.get("comment") or ""),
                                            "quality_mark": mark or None})
            reviewed = service.review(db, actor=principal, review_in=review_in, now=now())
    except KaoheError as exc:
        return render(request, "records/review.html", {
            "rows": service.pending_for_leader(db, actor=principal), "error": exc.message,
            "marks": service.quality_marks(db, now().year),
            "details": exc.details}, status_code=exc.status_code)
    back = str(form.get("back") or "")
    if back.startswith("/records/") and back[9:].isdigit():
        return done(back, f"reviewed_{action}")
    return render(request, "records/review.html", {
        "rows": service.pending_for_leader(db, actor=principal), "marks": service.quality_marks(db, now().year),
        "notice": t(f"records.reviewed_{action}", count=len(reviewed))})


@router.get("/records/month")
def month_page(request: Request, db: SessionDep, principal: CurrentPrincipal, department_id: IdFilter = "",
               month: Text(7) = "") -> Response:
    from kaohe.records.month import department_month, may_close

    local_now = now().astimezone(zone())
    last_month = (local_now.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    error = None
    month = month or last_month
    try:
        service.month_bounds(month)
    except Invalid as exc:  # a month typed into the address: say so on the page, show last month
        error, month = exc.message, last_month
    # Only the departments whose people the viewer sees are offered (department_month refuses others).
    departments = service.visible_departments(db, actor=principal) or org_service.list_departments(db)
    if not (department_id.isdigit() and len(department_id) <= 9):
        me = db.get(Staff, principal.staff_id) if principal.staff_id else None
        department_id = str(me.department_id if me else departments[0].id)
    state = department_month(db, actor=principal, department_id=int(department_id), month=month, now=now())
    return render(request, "records/month.html", {
        "state": state, "departments": departments, "month": month, "error": error,
        "can_close": may_close(principal, int(department_id)) and state.closed is None,
        "anchor": state.closed and ledger_service.anchor_of(db, kind="month.close", at=state.closed.closed_at,
                                                            match={"close": state.closed.id})})


@router.post("/records/month/close")
def month_close(request: Request, db: SessionDep, principal: CurrentPrincipal,
                department_id: Annotated[Id, Form()], month_: Annotated[Text(7), Form(alias="month")],
                summary: Annotated[Text(4000, lines=True), Form()]) -> Response:
    from kaohe.records.month import close_month, department_month, may_close

    try:
        with attempt(db):
            close_month(db, actor=principal, department_id=department_id, month=month_, summary=summary, now=now())
    except KaoheError as exc:
        try:
            state = department_month(db, actor=principal, department_id=department_id, month=month_, now=now())
        except KaoheError:
            raise exc from None  # nothing of the department to show this person: the refusal alone
        return render(request, "records/month.html", {
            "state": state, "departments": service.visible_departments(db, actor=principal), "month": month_,
            "can_close": may_close(principal, department_id) and state.closed is None, "summary": summary,
            "error": exc.message, "details": exc.details}, status_code=exc.status_code)
    return done(f"/records/month?department_id={department_id}&month={month_}", "month_closed")


# The score page's picker offers this many quarters back from today; a page lists this many people.
QUARTERS_OFFERED = 8
SCORES_PER_PAGE = 50


@router.get("/records/scores")
def scores(request: Request, db: SessionDep, principal: CurrentPrincipal, quarter: Text(20) = "",
           page: Annotated[Page, Query()] = 1) -> Response:
    from kaohe.records.scores import (
        normal_quarter,
        quarter_label,
        quarter_of,
        quarter_scores,
        recent_quarters,
    )

    current = quarter_of(now())
    error = None
    chosen = normal_quarter(quarter) if quarter else current
    try:
        people, info = quarter_scores(db, actor=principal, quarter=chosen)
    except Invalid as exc:  # a quarter typed into the address: say so on the page, show the current one
        error, chosen = exc.message, current
        people, info = quarter_scores(db, actor=principal, quarter=chosen)
    choices = recent_quarters(now(), QUARTERS_OFFERED)
    if chosen not in choices:
        choices.append(chosen)
    pages = max(1, -(-len(people) // SCORES_PER_PAGE))
    page = min(page, pages)
    return render(request, "records/scores.html", {
        "people": people[(page - 1) * SCORES_PER_PAGE:page * SCORES_PER_PAGE], "count": len(people),
        "rank_from": (page - 1) * SCORES_PER_PAGE, "page": page, "pages": pages, "args": {"quarter": chosen},
        "quarter": chosen, "quarter_label": quarter_label(chosen),
        "choices": [(q, quarter_label(q)) for q in choices], "error": error, **info})


@router.get("/records/reminders")
def reminders(request: Request, db: SessionDep, principal: CurrentPrincipal) -> Response:
    return render(request, "records/reminders.html", {"items": month.reminders(db, actor=principal, now=now())})


@router.get("/records/signals")
def signals(request: Request, db: SessionDep, principal: requires(Perm.records_signals)) -> Response:
    return render(request, "records/signals.html", signals_service.report(db, actor=principal, now=now()))


@router.get("/records/import")
def import_form(request: Request, principal: requires(Perm.records_import)) -> Response:
    return render(request, "records/import.html", {})


@router.post("/records/import")
async def import_submit(request: Request, db: SessionDep, settings: SettingsDep,
                        principal: requires(Perm.records_import),
                        file: Annotated[UploadFile | None, File()] = None) -> Response:
    try:
        with attempt(db):
            if file is None or not file.filename:
                raise Invalid(t("common.file_missing"))
            data = await file.read(10 * 1024 * 1024 + 1)
            # The whole use case in a parser thread: reading the file is most of it (kaohe.sheets.offload).
            count = await parse_off_loop(UploadBudget.of(settings), importing_service.import_records, db,
                                         actor=principal, data=data, filename=file.filename, now=now())
    except KaoheError as exc:
        return render(request, "records/import.html", {"error": exc.message, "details": exc.details},
                      status_code=exc.status_code)
    return render(request, "records/import.html", {"notice": t("records.import_done", count=count)})


@router.get("/ledger")
def ledger_page(request: Request, db: SessionDep, principal: requires(Perm.ledger_read)) -> Response:
    result = ledger_service.verify(db)
    return render(request, "records/ledger.html", {"result": result,
                                                   "anchor": ledger_service.anchor(db, now=now())})


@router.get("/tasks")
def task_book(request: Request, db: SessionDep, principal: CurrentPrincipal, staff_id: IdFilter = "",
              year: Int(0, 9999) = 0) -> Response:
    year = year or now().astimezone(zone()).year
    target = int(staff_id) if staff_id.isdigit() else principal.staff_id
    person = org_service.get_staff(db, actor=principal, staff_id=target) if target else None
    items = tasks.tasks_of(db, actor=principal, staff_id=person.id, year=year) if person else []
    return render(request, "records/tasks.html", {
        "person": person, "items": items, "year": year,
        # As tasks.create_task decides: the person's writers, never the person themself.
        "can_edit": bool(person and person.id != principal.staff_id
                         and principal.may_see_staff(person, Perm.tasks_write))})


@router.post("/tasks")
async def task_create(request: Request, db: SessionDep, principal: requires(Perm.tasks_write)) -> Response:
    raw: dict = {}
    try:
        with attempt(db):
            task_in, raw = await parse_form(request, TaskCreate)
            task = tasks.create_task(db, actor=principal, task_in=task_in)
    except (Forbidden, NotFound):
        raise  # a refusal is shown as one, never as the form again
    except KaoheError as exc:
        person = db.scalar(select(Staff).where(Staff.employee_no == str(raw.get("staff_no", ""))))
        return render(request, "records/tasks.html", {
            "person": person, "items": [], "year": now().astimezone(zone()).year, "can_edit": True,
            "values": getattr(exc, "raw", raw), "error": exc.message, "details": exc.details},
            status_code=exc.status_code)
    return done(f"/tasks?staff_id={task.staff_id}&year={task.year}", "task_saved")


@router.post("/tasks/progress")
async def task_progress(request: Request, db: SessionDep, settings: SettingsDep,
                        principal: requires(Perm.tasks_write),
                        file: Annotated[UploadFile | None, File()] = None) -> Response:
    try:
        if file is None or not file.filename:
            raise Invalid(t("common.file_missing"))
        data = await file.read(5 * 1024 * 1024 + 1)
        # Read in a parser thread before the transaction opens, so no lock is held while it reads.
        progress = await parse_off_loop(UploadBudget.of(settings), tasks.read_progress, data, file.filename)
        with attempt(db):
            count = tasks.apply_progress(db, actor=principal, progress=progress, filename=file.filename)
    except KaoheError as exc:
        return render(request, "records/tasks.html", {"person": None, "items": [], "year": now().year,
                                                      "can_edit": True, "error": exc.message,
                                                      "details": exc.details}, status_code=exc.status_code)
    return render(request, "records/tasks.html", {"person": None, "items": [], "year": now().year,
                                                  "can_edit": True, "notice": t("records.progress_done",
                                                                                count=count)})


@router.get("/records/{record_id}")
def record_detail(request: Request, record_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Response:
    record = service.get_record(db, actor=principal, record_id=record_id)
    return render(request, "records/detail.html", {
        "record": record, "versions": service.versions(db, record), "history": service.history(db, record),
        "evidence": service.evidence(db, record),
        "marks": service.quality_marks(db, record.ended_at.astimezone(zone()).year),
        "can_edit": service.may_edit(principal, record) and record.status is not RecordStatus.confirmed,
        "can_review": principal.staff_id is not None and record.staff.supervisor_id == principal.staff_id
        and record.staff_id != principal.staff_id and record.status is RecordStatus.submitted
        and principal.can(Perm.records_review)
        # Nobody confirms a record they entered for someone else (service.review refuses it).
        and record.recorded_by != principal.user_id})


@router.get("/records/{record_id}/edit")
def record_edit(request: Request, record_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Response:
    record = service.get_record(db, actor=principal, record_id=record_id)
    # The form only for whom saving it would accept: the POST's own refusals (404 out of scope above).
    if not service.may_edit(principal, record):
        raise Forbidden(t("records.only_author_edits"))
    if record.status is RecordStatus.confirmed:
        raise Invalid(t("records.confirmed_is_final"))
    return render(request, "records/edit.html", {"record": record, "tasks": _my_tasks(db, principal)})


@router.post("/records/{record_id}/edit")
async def record_update(request: Request, record_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Response:
    try:
        with attempt(db):
            record_in, _raw = await parse_form(request, RecordUpdate, prepare=_local_form)
            service.update_record(db, actor=principal, record_id=record_id, record_in=record_in, now=now())
    except (Forbidden, NotFound):
        raise  # a refusal is shown as one, never as the form again
    except KaoheError as exc:
        record = service.get_record(db, actor=principal, record_id=record_id)
        return render(request, "records/edit.html", {"record": record, "tasks": _my_tasks(db, principal),
                                                     "error": exc.message, "details": exc.details},
                      status_code=exc.status_code)
    return done(f"/records/{record_id}", "record_updated")


@router.post("/records/{record_id}/evidence")
async def evidence_upload(request: Request, record_id: Id, db: SessionDep, principal: CurrentPrincipal,
                          file: Annotated[UploadFile | None, File()] = None) -> Response:
    try:
        with attempt(db):
            if file is None or not file.filename:
                raise Invalid(t("common.file_missing"))
            service.add_evidence(db, actor=principal, record_id=record_id, filename=file.filename,
                                 data=await file.read(service.EVIDENCE_MAX_BYTES + 1), now=now())
    except KaoheError as exc:
        record = service.get_record(db, actor=principal, record_id=record_id)
        return render(request, "records/detail.html", {
            "record": record, "versions": service.versions(db, record), "history": service.history(db, record),
            "evidence": service.evidence(db, record), "can_edit": service.may_edit(principal, record),
            "marks": service.quality_marks(db, record.ended_at.astimezone(zone()).year),
            "can_review": False, "error": exc.message}, status_code=exc.status_code)
    return done(f"/records/{record_id}", "evidence_uploaded")


@router.get("/records/evidence/{attachment_id}")
def evidence_download(attachment_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Response:
    attachment = service.get_evidence(db, actor=principal, attachment_id=attachment_id)
    return Response(attachment.data, media_type=attachment.content_type, headers={
        "Content-Disposition": download_disposition(attachment.filename, fallback=f"evidence-{attachment.id}"),
        "X-Content-SHA256": attachment.sha256})
