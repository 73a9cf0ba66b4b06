"""Written feedback in the browser: the leader's list of their people for a quarter, one person's feedback
(the proposal prefilled, save draft, sign after confirming), the person's 确认收到 / 提出意见, and the personal
appraisal file (个人考核档案, also as 我的考核档案)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from kaohe.auth.permissions import Principal
from kaohe.clock import now
from kaohe.errors import Forbidden, KaoheError, NotFound
from kaohe.feedback import service
from kaohe.feedback.schemas import TEXT_MAX, AnswerIn, FeedbackDraft, SignIn
from kaohe.messages import t
from kaohe.quarterly import service as quarterly
from kaohe.web.deps import CurrentPrincipal, SessionDep
from kaohe.web.forms import attempt, done, validate
from kaohe.web.inputs import Id, Int, Text, Year
from kaohe.web.templating import render

router = APIRouter(prefix="/feedback")
QuarterNo = Int(1, 12)
Long = Annotated[Text(TEXT_MAX, lines=True), Form()]
Short = Annotated[Text(64), Form()]


def _status(row: object) -> str:
    status = getattr(row, "status", None)
    return t(f"feedback.status.{status.value}") if status is not None else t("feedback.status.none")


@router.get("")
def people(request: Request, db: SessionDep, principal: CurrentPrincipal,
           quarter: Text(20) = "") -> Response:
    if quarter.strip():
        year, number = quarterly.parse_quarter(quarter)
    else:
        year, number = service.latest_quarter(db) or (now().year, 1)
    rows = service.people_of(db, actor=principal, year=year, quarter=number)
    return render(request, "feedback/list.html", {
        "year": year, "quarter": number, "quarter_text": quarterly.quarter_label(year, number), "rows": rows,
        "status_of": _status, "pending": sum(1 for r in rows if r.feedback is None or r.feedback.status.value ==
                                              "draft")})


def _form_context(db: SessionDep, principal: Principal, year: int, quarter: int, staff_id: int,
                  **extra: object) -> dict[str, object]:
    view = service.open_feedback(db, actor=principal, year=year, quarter=quarter, staff_id=staff_id)
    return {"view": view, "year": year, "quarter": quarter, "quarter_text": quarterly.quarter_label(year, quarter),
            "status_text": _status(view.feedback), "own": principal.staff_id == view.staff.id, **extra}


def _refused(request: Request, db: SessionDep, principal: Principal, year: int, quarter: int, staff_id: int,
             exc: KaoheError, **extra: object) -> Response:
    if isinstance(exc, Forbidden | NotFound):
        raise exc  # a refusal is shown as one, never as the form again
    return render(request, "feedback/form.html", _form_context(
        db, principal, year, quarter, staff_id, error=exc.message, details=exc.details, **extra),
        status_code=exc.status_code)


def _base(year: int, quarter: int, staff_id: int) -> str:
    return f"/feedback/{year}/{quarter}/{staff_id}"


@router.get("/file/me")
def my_file(request: Request, db: SessionDep, principal: CurrentPrincipal) -> Response:
    if principal.staff_id is None:
        raise NotFound(t("feedback.no_own_file"))
    return _file(request, db, principal, principal.staff_id)


@router.get("/file/{staff_id}")
def file_page(request: Request, db: SessionDep, principal: CurrentPrincipal, staff_id: Id) -> Response:
    return _file(request, db, principal, staff_id)


def _file(request: Request, db: SessionDep, principal: Principal, staff_id: int) -> Response:
    staff, quarters = service.file_of(db, actor=principal, staff_id=staff_id)
    own = principal.staff_id == staff.id
    return render(request, "feedback/file.html", {
        "staff": staff, "quarters": quarters, "own": own, "status_of": _status,
        "title": t("feedback.my_file") if own else t("feedback.file_title", name=staff.name)})


@router.get("/{year}/{quarter}/{staff_id}")
def feedback_page(request: Request, db: SessionDep, principal: CurrentPrincipal, year: Year, quarter: QuarterNo,
                  staff_id: Id) -> Response:
    return render(request, "feedback/form.html", _form_context(db, principal, year, quarter, staff_id))


@router.post("/{year}/{quarter}/{staff_id}")
def save(request: Request, db: SessionDep, principal: CurrentPrincipal, year: Year, quarter: QuarterNo,
         staff_id: Id, strengths: Long = "", weaknesses: Long = "", goals: Long = "", measures: Long = "",
         deadline: Short = "") -> Response:
    typed = {"strengths": strengths, "weaknesses": weaknesses, "goals": goals, "measures": measures,
             "deadline": deadline.strip() or None}
    try:
        with attempt(db):
            draft = validate(FeedbackDraft, typed)
            service.save_draft(db, actor=principal, year=year, quarter=quarter, staff_id=staff_id, draft_in=draft,
                               now=now())
    except KaoheError as exc:
        return _refused(request, db, principal, year, quarter, staff_id, exc, typed=typed)
    return done(_base(year, quarter, staff_id), "feedback_saved")


@router.post("/{year}/{quarter}/{staff_id}/sign")
def sign(request: Request, db: SessionDep, principal: CurrentPrincipal, year: Year, quarter: QuarterNo,
         staff_id: Id, digest: Short = "") -> Response:
    try:
        with attempt(db):
            service.sign(db, actor=principal, year=year, quarter=quarter, staff_id=staff_id,
                         sign_in=validate(SignIn, {"digest": digest.strip() or None}), now=now())
    except KaoheError as exc:
        return _refused(request, db, principal, year, quarter, staff_id, exc)
    return done(_base(year, quarter, staff_id), "feedback_signed")


@router.post("/{year}/{quarter}/{staff_id}/answer")
def answer(request: Request, db: SessionDep, principal: CurrentPrincipal, year: Year, quarter: QuarterNo,
           staff_id: Id, action: Short = "", comment: Long = "") -> Response:
    try:
        with attempt(db):
            body = validate(AnswerIn, {"action": action.strip() or None, "comment": comment})
            row = service.answer(db, actor=principal, year=year, quarter=quarter, staff_id=staff_id,
                                 answer_in=body, now=now())
    except KaoheError as exc:
        return _refused(request, db, principal, year, quarter, staff_id, exc, comment=comment)
    return done(_base(year, quarter, staff_id), f"feedback_{row.status.value}")
