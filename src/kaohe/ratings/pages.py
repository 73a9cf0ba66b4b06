"""Ratings in the browser: a rater's list and one form per ratee (made for a phone), HR's raters of a quarter
(propose, add, remove, invite with a link and QR code), a person's aggregated ratings, and — mounted
without sign-in — a service recipient's form behind a single-use link (`public`)."""

from typing import Annotated

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from kaohe.auth.permissions import Perm, Principal
from kaohe.clock import now
from kaohe.errors import Invalid, KaoheError
from kaohe.messages import t
from kaohe.org import service as org_service
from kaohe.ratings import filling, results, service
from kaohe.ratings.models import RatingStatus
from kaohe.ratings.schemas import InvitationCreate, RaterAdd, RatingIn
from kaohe.ratings.settings import get_rating_settings
from kaohe.web.deps import CurrentPrincipal, SessionDep, requires
from kaohe.web.forms import attempt, validate
from kaohe.web.inputs import Id, IdFilter, Int, Text, Year
from kaohe.web.templating import render

router = APIRouter()
public = APIRouter()  # the recipients' links: no account, CSRF as on the sign-in form
QuarterNo = Int(1, 12)
Reader = requires(Perm.ratings_read)
Manager = requires(Perm.ratings_manage)
MARK_PREFIX = "mark."
SAVED = ("draft", "submit")


def _marks(form: FormData, shown: filling.Form) -> RatingIn:
    """The form's marks as numbers; a mark that is not a number is refused naming its indicator."""
    names = {leaf.code: leaf.name for leaf in shown.leaves}
    marks: dict[str, float | None] = {}
    problems = []
    for key, value in form.items():
        if not key.startswith(MARK_PREFIX) or not isinstance(value, str):
            continue
        code, text = key[len(MARK_PREFIX):], value.strip()
        if not text:
            marks[code] = None
            continue
        try:
            marks[code] = float(text)
        except ValueError:
            problems.append(t("ratings.mark_not_number", name=names.get(code, code[:40]), value=text[:20]))
    if problems:
        raise Invalid(t("ratings.form_refused", count=len(problems)), details=problems)
    return validate(RatingIn, {"marks": marks, "comment": str(form.get("comment") or ""),
                               "action": "submit" if form.get("action") == "submit" else "draft"})


# --- a rater's list and forms ---------------------------------------------------------------------------

@router.get("/ratings")
def mine(request: Request, db: SessionDep, principal: CurrentPrincipal, saved: Text(20) = "") -> Response:
    items = filling.my_assignments(db, actor=principal)
    notice = t(f"ratings.saved_{saved}") if saved in SAVED else None
    return render(request, "ratings/mine.html", {
        "items": items, "notice": notice, "Status": RatingStatus, "label_of": service.label,
        "phase_label": service.phase_label, "managed": service.quarters_to_manage(db, actor=principal),
        "revealed": results.revealed_quarters(db) if principal.staff_id else []})


@router.get("/ratings/{assignment_id}/form")
def form_page(request: Request, assignment_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Response:
    shown = filling.get_form(db, actor=principal, assignment_id=assignment_id)
    return render(request, "ratings/form.html", {"form": shown, "action": f"/ratings/{assignment_id}/form",
                                                 "drafts": True})


@router.post("/ratings/{assignment_id}/form")
async def form_save(request: Request, assignment_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Response:
    shown = filling.get_form(db, actor=principal, assignment_id=assignment_id)
    posted = await request.form()
    try:
        with attempt(db):
            rating_in = _marks(posted, shown)
            filling.save(db, actor=principal, assignment_id=assignment_id, rating_in=rating_in, now=now())
    except KaoheError as exc:
        values = {k[len(MARK_PREFIX):]: v for k, v in posted.items() if k.startswith(MARK_PREFIX)}
        return render(request, "ratings/form.html", {
            "form": filling.get_form(db, actor=principal, assignment_id=assignment_id),
            "action": f"/ratings/{assignment_id}/form", "drafts": True, "values": values,
            "comment": str(posted.get("comment") or ""), "error": exc.message, "details": exc.details},
            status_code=exc.status_code)
    return RedirectResponse(f"/ratings?saved={rating_in.action}", status_code=303)


# --- a person's aggregated ratings ----------------------------------------------------------------------

@router.get("/ratings/{year}/{quarter}/staff/{staff_id}")
def summary(request: Request, year: Year, quarter: QuarterNo, staff_id: Id, db: SessionDep,
            principal: CurrentPrincipal) -> Response:
    shown = results.summary_for(db, actor=principal, year=year, quarter=quarter, staff_id=staff_id)
    return render(request, "ratings/summary.html", {"summary": shown})


# --- HR: the quarter's raters ---------------------------------------------------------------------------

def _quarter_context(db: SessionDep, principal: Principal, year: int, quarter: int, department_id: str,
                     **extra: object) -> dict[str, object]:
    departments = org_service.list_departments(db)
    chosen = int(department_id) if department_id else (departments[0].id if departments else None)
    lines = service.raters_of_quarter(db, actor=principal, year=year, quarter=quarter, department_id=chosen)
    people: dict[int, list[service.RaterLine]] = {}
    for line in lines:
        people.setdefault(line.ratee.id, []).append(line)
    cycle = service.cycle_of(db, year, quarter)
    return {"year": year, "quarter": quarter, "quarter_label": service.label(year, quarter), "cycle": cycle,
            "phase_label": service.phase_label(cycle.phase), "adjustable": cycle.phase in service.ADJUSTABLE,
            "status": service.status(db, actor=principal, year=year, quarter=quarter), "people": people,
            "departments": departments, "department_id": chosen,
            "groups": service.group_names_of(db, year), "can_manage": principal.can(Perm.ratings_manage),
            "invitation_days": get_rating_settings().invitation_days, "Status": RatingStatus, **extra}


@router.get("/ratings/{year}/{quarter}")
def quarter_page(request: Request, year: Year, quarter: QuarterNo, db: SessionDep, principal: Reader,
                 department_id: IdFilter = "", saved: Text(20) = "") -> Response:
    notice = t(f"ratings.done_{saved}") if saved in service.DONE else None
    return render(request, "ratings/quarter.html", _quarter_context(db, principal, year, quarter, department_id,
                                                                    notice=notice))


def _back(year: int, quarter: int, department_id: str, done: str) -> RedirectResponse:
    tail = f"department_id={department_id}&" if department_id.isdigit() else ""
    return RedirectResponse(f"/ratings/{year}/{quarter}?{tail}saved={done}", status_code=303)


def _refused(request: Request, db: SessionDep, principal: Principal, year: int, quarter: int, department_id: str,
             exc: KaoheError, **extra: object) -> Response:
    return render(request, "ratings/quarter.html", _quarter_context(
        db, principal, year, quarter, department_id if department_id.isdigit() else "", error=exc.message,
        details=exc.details, **extra), status_code=exc.status_code)


@router.post("/ratings/{year}/{quarter}/propose")
def propose(request: Request, year: Year, quarter: QuarterNo, db: SessionDep, principal: Manager,
            department_id: Annotated[IdFilter, Form()] = "") -> Response:
    try:
        with attempt(db):
            service.propose(db, actor=principal, year=year, quarter=quarter, now=now())
    except KaoheError as exc:
        return _refused(request, db, principal, year, quarter, department_id, exc)
    return _back(year, quarter, department_id, "proposed")


@router.post("/ratings/{year}/{quarter}/raters")
async def add_rater(request: Request, year: Year, quarter: QuarterNo, db: SessionDep, principal: Manager) -> Response:
    posted = await request.form()
    department_id = str(posted.get("department_id") or "")
    raw = {k: str(v) for k, v in posted.items() if k in ("staff_no", "group", "rater_no", "reason")}
    try:
        with attempt(db):
            rater_in = validate(RaterAdd, raw)
            service.add_rater(db, actor=principal, year=year, quarter=quarter, rater_in=rater_in, now=now())
    except KaoheError as exc:
        return _refused(request, db, principal, year, quarter, department_id, exc, values=raw)
    return _back(year, quarter, department_id, "added")


@router.post("/ratings/{year}/{quarter}/raters/{assignment_id}/remove")
def remove_rater(request: Request, year: Year, quarter: QuarterNo, assignment_id: Id, db: SessionDep,
                 principal: Manager, reason: Annotated[Text(500, lines=True), Form()] = "",
                 department_id: Annotated[IdFilter, Form()] = "") -> Response:
    try:
        with attempt(db):
            row = service.get_assignment(db, actor=principal, year=year, quarter=quarter, assignment_id=assignment_id)
            service.remove_rater(db, actor=principal, assignment_id=row.id, reason=reason, now=now())
    except KaoheError as exc:
        return _refused(request, db, principal, year, quarter, department_id, exc)
    return _back(year, quarter, department_id, "removed")


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (segno), for a phone's camera."""
    return segno.make_qr(url, error="m").svg_inline(scale=5, border=2, dark="#1f2937")


@router.post("/ratings/{year}/{quarter}/invitations")
async def invite(request: Request, year: Year, quarter: QuarterNo, db: SessionDep, principal: Manager) -> Response:
    posted = await request.form()
    department_id = str(posted.get("department_id") or "")
    raw = {k: str(v) for k, v in posted.items() if k in ("staff_no", "note")}
    try:
        with attempt(db):
            made = service.invite(db, actor=principal, year=year, quarter=quarter,
                                  invitation_in=validate(InvitationCreate, raw), now=now())
    except KaoheError as exc:
        return _refused(request, db, principal, year, quarter, department_id, exc, invite_values=raw)
    url = f"{str(request.base_url).rstrip('/')}{made.path}"
    return render(request, "ratings/invited.html", {"made": made, "url": url, "qr": qr_svg(url),
                                                    "notice": t("ratings.done_invited"),
                                                    "quarter_label": service.label(year, quarter), "year": year,
                                                    "quarter": quarter})


# --- a service recipient's link (no account) ------------------------------------------------------------

@public.get("/r/{token}")
def recipient_form(request: Request, token: Text(100), db: SessionDep) -> Response:
    try:
        shown = filling.invitation_form(db, token=token, now=now())
    except filling.Gone as exc:
        return render(request, "ratings/gone.html", {"message": exc.message}, status_code=exc.status_code)
    return render(request, "ratings/form.html", {"form": shown, "action": f"/r/{token}", "drafts": False,
                                                 "anonymous": True})


@public.post("/r/{token}")
async def recipient_submit(request: Request, token: Text(100), db: SessionDep) -> Response:
    try:
        shown = filling.invitation_form(db, token=token, now=now())
    except filling.Gone as exc:
        return render(request, "ratings/gone.html", {"message": exc.message}, status_code=exc.status_code)
    posted = await request.form()
    try:
        with attempt(db):
            rating_in = _marks(posted, shown).model_copy(update={"action": "submit"})
            filling.submit_invitation(db, token=token, rating_in=rating_in, now=now())
    except filling.Gone as exc:
        return render(request, "ratings/gone.html", {"message": exc.message}, status_code=exc.status_code)
    except KaoheError as exc:
        values = {k[len(MARK_PREFIX):]: v for k, v in posted.items() if k.startswith(MARK_PREFIX)}
        return render(request, "ratings/form.html", {
            "form": shown, "action": f"/r/{token}", "drafts": False, "anonymous": True, "values": values,
            "comment": str(posted.get("comment") or ""), "error": exc.message, "details": exc.details},
            status_code=exc.status_code)
    return render(request, "ratings/thanks.html", {"quarter_label": shown.label,
                                                     "notice": t("ratings.saved_submit")})

