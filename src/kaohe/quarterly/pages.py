"""Quarterly cycles in the browser: the quarters and their deadlines, one quarter's phases, history and
what each phase still owes; HR's buttons to open a year, move a quarter on and reopen it."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from kaohe.auth.permissions import Perm, Principal
from kaohe.clock import now, today
from kaohe.errors import Forbidden, KaoheError, NotFound
from kaohe.messages import t
from kaohe.quarterly import phases, service
from kaohe.quarterly.models import TIMED, QuarterPhase
from kaohe.quarterly.schemas import QuarterAdvance, QuarterOpen, QuarterReopen
from kaohe.web.deps import SessionDep, requires
from kaohe.web.forms import attempt, done, validate
from kaohe.web.inputs import Int, Text, Year
from kaohe.web.templating import render

router = APIRouter(prefix="/quarterly")
Reader = requires(Perm.quarter_read)
Manager = requires(Perm.quarter_manage)
QuarterNo = Int(1, 12)
# What HR's button on a quarter in each phase does (the labels of the catalogue's quarterly.action.*).
ACTIONS = {QuarterPhase.pending: "quarter.action.pending", QuarterPhase.collection: "quarter.action.collection",
           QuarterPhase.rating: "quarter.action.rating", QuarterPhase.review: "quarter.action.review"}
# The success message after moving into each phase (messages/done.py).
DONE = {QuarterPhase.collection: "quarter_collection", QuarterPhase.rating: "quarter_rating",
        QuarterPhase.review: "quarter_review", QuarterPhase.closed: "quarter_closed"}


def day_label(day: date | None) -> str:
    """2026年10月8日（星期四）."""
    if day is None:
        return "—"
    return t("quarter.day", year=day.year, month=day.month, day=day.day, weekday=t(f"calendar.weekday.{day.weekday()}"))


def _helpers() -> dict[str, object]:
    return {"day_label": day_label, "phase_label": service.phase_label, "TIMED": TIMED, "Phase": QuarterPhase}


def _next_year(views: list[service.CycleView]) -> int:
    opened = {v.cycle.year for v in views}
    year = today().year
    while year in opened:
        year += 1
    return year


def _list_context(db: SessionDep, principal: Principal, **extra: object) -> dict[str, object]:
    views = service.overview(db, actor=principal, now=now())
    years: dict[int, list[service.CycleView]] = {}
    for view in views:
        years.setdefault(view.cycle.year, []).append(view)
    return {"years": years, "can_manage": principal.can(Perm.quarter_manage), "next_year": _next_year(views),
            **_helpers(), **extra}


@router.get("")
def quarters(request: Request, db: SessionDep, principal: Reader) -> Response:
    return render(request, "quarterly/list.html", _list_context(db, principal))


@router.post("/open")
def open_year(request: Request, db: SessionDep, principal: Manager,
              year: Annotated[Text(10), Form()] = "") -> Response:
    try:
        with attempt(db):
            opened = validate(QuarterOpen, {"year": year.strip() or None})
            service.open_year(db, actor=principal, year=opened.year, now=now())
    except KaoheError as exc:
        return render(request, "quarterly/list.html", _list_context(
            db, principal, error=exc.message, details=exc.details, typed_year=year), status_code=exc.status_code)
    return done("/quarterly", "quarter_opened")


def _detail_context(db: SessionDep, principal: Principal, year: int, quarter: int, **extra: object
                    ) -> dict[str, object]:
    shown = service.detail(db, actor=principal, year=year, quarter=quarter, now=now())
    phase = shown.cycle.phase
    following = phases.next_phase(phase)
    owed_now = sum(item.count for item in shown.owed.get(phase, []))
    return {"shown": shown, "cycle": shown.cycle, "can_manage": principal.can(Perm.quarter_manage),
            "action": t(ACTIONS[phase]) if phase in ACTIONS else "", "following": following,
            "owed_now": owed_now, **_helpers(), **extra}


@router.get("/{year}/{quarter}")
def quarter_page(request: Request, year: Year, quarter: QuarterNo, db: SessionDep, principal: Reader) -> Response:
    return render(request, "quarterly/detail.html", _detail_context(db, principal, year, quarter))


def _refused(request: Request, db: SessionDep, principal: Principal, year: int, quarter: int,
             exc: KaoheError, **extra: object) -> Response:
    if isinstance(exc, Forbidden | NotFound):
        raise exc  # a refusal is shown as one, never as the form again
    return render(request, "quarterly/detail.html", _detail_context(
        db, principal, year, quarter, error=exc.message, details=exc.details, **extra), status_code=exc.status_code)


@router.post("/{year}/{quarter}/advance")
def advance(request: Request, year: Year, quarter: QuarterNo, db: SessionDep, principal: Manager,
            reason: Annotated[Text(500, lines=True), Form()] = "",
            from_phase: Annotated[Text(24), Form()] = "") -> Response:
    try:
        with attempt(db):
            body = validate(QuarterAdvance, {"reason": reason, "from_phase": from_phase.strip() or None})
            cycle = service.advance(db, actor=principal, year=year, quarter=quarter, reason=body.reason,
                                    expected=body.from_phase, now=now())
    except KaoheError as exc:
        return _refused(request, db, principal, year, quarter, exc, reason=reason)
    return done(f"/quarterly/{year}/{quarter}", DONE[cycle.phase])


@router.post("/{year}/{quarter}/reopen")
def reopen(request: Request, year: Year, quarter: QuarterNo, db: SessionDep, principal: Manager,
           reason: Annotated[Text(500, lines=True), Form()] = "") -> Response:
    try:
        with attempt(db):
            body = validate(QuarterReopen, {"reason": reason.strip()})
            service.reopen(db, actor=principal, year=year, quarter=quarter, reason=body.reason, now=now())
    except KaoheError as exc:
        return _refused(request, db, principal, year, quarter, exc, reopen_reason=reason)
    return done(f"/quarterly/{year}/{quarter}", "quarter_reopened")
