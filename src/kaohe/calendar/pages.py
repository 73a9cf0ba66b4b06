"""The working-day calendar in the browser: a year at a glance, import, single-day edits."""

import calendar as month_calendar
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from kaohe.auth.permissions import Perm
from kaohe.calendar import service
from kaohe.calendar.workdays import DayKind
from kaohe.db import utcnow
from kaohe.errors import Invalid, KaoheError
from kaohe.messages import t
from kaohe.sheets import UploadBudget, parse_off_loop
from kaohe.web.deps import CurrentPrincipal, SessionDep, SettingsDep, requires
from kaohe.web.forms import attempt, done
from kaohe.web.inputs import Int, Text
from kaohe.web.templating import render

router = APIRouter(prefix="/calendar")
CalendarAdmin = requires(Perm.calendar_write)


def _context(db: SessionDep, principal: CurrentPrincipal, year: int, **extra: object) -> dict[str, object]:
    days = {d.day: d for d in service.special_days(db, year)}
    years = service.loaded_years(db)
    loaded = any(y.year == year for y in years)
    months = []
    for month in range(1, 13):
        weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        months.append((month, [[(d, days.get(d), d.month == month) for d in week] for week in weeks]))
    return {"year": year, "years": years, "loaded": loaded, "days": list(days.values()), "months": months,
            "kinds": list(DayKind), "can_edit": principal.can(Perm.calendar_write), **extra}


@router.get("")
def calendar_page(request: Request, db: SessionDep, principal: CurrentPrincipal, year: Int(0, 9999) = 0) -> Response:
    year = year if 2000 <= year <= 2100 else utcnow().year
    return render(request, "calendar/year.html", _context(db, principal, year))


@router.post("/import")
async def calendar_import(request: Request, db: SessionDep, settings: SettingsDep, principal: CalendarAdmin,
                          year: Annotated[Int(1900, 2200), Form()], file: Annotated[UploadFile | None, File()] = None) -> Response:
    try:
        with attempt(db):
            if file is None or not file.filename:
                raise Invalid(t("common.file_missing"))
            data = await file.read(1024 * 1024 + 1)
            # In a parser thread, so reading the file never holds the event loop (kaohe.sheets.offload).
            official, closures = await parse_off_loop(UploadBudget.of(settings), service.import_year, db,
                                                      actor=principal, data=data, filename=file.filename, year=year)
    except KaoheError as exc:
        return render(request, "calendar/year.html", _context(db, principal, year, error=exc.message,
                                                              details=exc.details), status_code=exc.status_code)
    return render(request, "calendar/year.html", _context(
        db, principal, year, notice=t("calendar.import_done", year=year, official=official, closures=closures)))


@router.post("/seed")
def calendar_seed(request: Request, db: SessionDep, principal: CalendarAdmin) -> Response:
    years = service.seed_from_package(db, actor=principal)
    notice = t("calendar.seeded", years="、".join(map(str, years))) if years else t("calendar.nothing_seeded")
    return render(request, "calendar/year.html", _context(db, principal, utcnow().year, notice=notice))


@router.post("/days")
def calendar_set_day(request: Request, db: SessionDep, principal: CalendarAdmin,
                     day: Annotated[Text(10), Form()], kind: Annotated[Text(20), Form()],
                     name: Annotated[Text(60), Form()] = "") -> Response:
    try:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            raise Invalid(t("calendar.bad_date")) from None
        if kind == "none":
            service.remove_day(db, actor=principal, day=when)
        else:
            service.set_day(db, actor=principal, day=when, kind=DayKind(kind), name=name)
    except (KaoheError, ValueError) as exc:
        year = int(day[:4]) if day[:4].isdigit() else utcnow().year
        message = exc.message if isinstance(exc, KaoheError) else t("common.invalid_input")
        return render(request, "calendar/year.html", _context(db, principal, year, error=message),
                      status_code=422)
    return done(f"/calendar?year={when.year}", "day_saved")
