"""The working-day calendar over /api/v1: ask a day, compute a deadline, import a year."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from kaohe.auth.permissions import Perm
from kaohe.calendar import service
from kaohe.calendar.schemas import CalendarImportResult, DeadlineAnswer, WorkdayAnswer
from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.sheets import UploadBudget, parse_off_loop
from kaohe.web.deps import CurrentPrincipal, SessionDep, SettingsDep, requires
from kaohe.web.inputs import Int

router = APIRouter(tags=["工作日历"])
CALENDAR_FILE_MAX = 1024 * 1024


@router.get("/calendar/workday", response_model=WorkdayAnswer, summary="某日是否工作日")
def is_workday(day: date, db: SessionDep, principal: CurrentPrincipal) -> WorkdayAnswer:
    return WorkdayAnswer(day=day, is_workday=service.load_calendar(db).is_workday(day))


@router.get("/calendar/deadline", response_model=DeadlineAnswer, summary="计算期限（小时或工作日）")
def deadline(start: datetime, db: SessionDep, principal: CurrentPrincipal,
             hours: Annotated[Int(0, 24 * 366) | None, Query()] = None,
             working_days: Annotated[Int(0, 366) | None, Query()] = None) -> DeadlineAnswer:
    if (hours is None) == (working_days is None):
        raise Invalid(t("common.invalid_input"))
    end = service.load_calendar(db).deadline(start, hours=hours, working_days=working_days)
    return DeadlineAnswer(deadline=end)


@router.post("/calendar/import", response_model=CalendarImportResult, summary="导入某年日历安排")
async def import_calendar(year: Annotated[Int(1900, 2200), Query()], db: SessionDep,
                          settings: SettingsDep, principal: requires(Perm.calendar_write),
                          file: Annotated[UploadFile, File()]) -> CalendarImportResult:
    data = await file.read(CALENDAR_FILE_MAX + 1)
    # In a parser thread, so reading the file never holds the event loop (kaohe.sheets.offload).
    official, closures = await parse_off_loop(UploadBudget.of(settings), service.import_year, db, actor=principal,
                                              data=data, filename=file.filename or "", year=year)
    return CalendarImportResult(official=official, closures=closures)
