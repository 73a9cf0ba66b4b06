"""Pydantic shapes of the working-day calendar's answers."""

from datetime import date, datetime

from pydantic import BaseModel


class WorkdayAnswer(BaseModel):
    day: date
    is_workday: bool


class DeadlineAnswer(BaseModel):
    deadline: datetime


class CalendarImportResult(BaseModel):
    official: int
    closures: int
