"""Shapes of quarterly cycles for the forms and the API."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from kaohe.quarterly.models import QuarterPhase
from kaohe.web.inputs import Text, Year


class QuarterOpen(BaseModel):
    year: Year


class QuarterAdvance(BaseModel):
    reason: Text(500, lines=True) = ""
    # The phase the person saw when they asked: refused if the quarter has moved on meanwhile.
    from_phase: QuarterPhase | None = None


class QuarterReopen(BaseModel):
    reason: Text(500, min_length=2, lines=True)


class PhaseRunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    phase: QuarterPhase
    starts_on: date
    deadline: date | None
    working_days: int
    started_at: datetime
    ended_at: datetime | None


class TransitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    action: str
    from_phase: str
    to_phase: str
    reason: str
    actor_name: str
    at: datetime


class OwedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    key: str
    what: str
    who: str
    department: str
    count: int
    href: str


class QuarterRead(BaseModel):
    year: int
    quarter: int
    code: str
    label: str
    phase: QuarterPhase
    phase_label: str
    starts_on: date
    ends_on: date
    scheme_version: int | None
    deadline: date | None  # of the current phase
    days_left: int | None
    days_overdue: int | None
    calendar_error: str = ""


class QuarterDetail(QuarterRead):
    phases: list[PhaseRunRead]
    history: list[TransitionRead]
    owed: dict[QuarterPhase, list[OwedRead]]
