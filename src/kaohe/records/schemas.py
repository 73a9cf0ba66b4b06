"""Shapes of records, reviews and task-book items for forms and the API."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kaohe.records.models import RecordStatus
from kaohe.web.inputs import Id, Text, Year


def _no_formula(value: str) -> str:
    value = value.strip()
    if value[:1] in ("=", "+", "-", "@"):
        raise ValueError("不能以 = + - @ 开头")
    return value


class RecordBase(BaseModel):
    title: Text(100, min_length=2)
    started_at: datetime
    ended_at: datetime
    stage_result: Text(2000, min_length=5, lines=True)
    difficulties: Text(2000, lines=True) = ""
    commendation: Text(2000, lines=True) = ""
    task_item_id: Id | None = None

    _clean = field_validator("title", "stage_result", "difficulties", "commendation")(_no_formula)


class RecordCreate(RecordBase):
    # Recording on someone else's behalf (a leader, the department, another system): their 工号.
    staff_no: Text(32) | None = None


class RecordUpdate(RecordBase):
    pass


class RecordRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    staff_id: int
    task_item_id: int | None
    title: str
    started_at: datetime
    ended_at: datetime
    stage_result: str
    difficulties: str
    commendation: str
    entered_at: datetime
    late: bool
    status: RecordStatus
    version: int
    source: str
    review_comment: str
    quality_mark: int | None


class ReviewIn(BaseModel):
    record_ids: list[Id] = Field(min_length=1, max_length=500)
    action: str = Field(pattern="^(confirm|return)$")
    comment: Text(500, lines=True) = ""
    quality_mark: int | None = Field(default=None, ge=0, le=100)  # the scheme's scale: service.review


class TaskBase(BaseModel):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    title: Text(200, min_length=2)
    target: Text(2000, lines=True) = ""
    weight: int = Field(default=0, ge=0, le=100)
    deadline: date | None = None
    indicator_codes: list[Text(40)] = Field(default_factory=list, max_length=20)

    _clean = field_validator("title", "target")(_no_formula)


class TaskCreate(TaskBase):
    staff_no: Text(32, min_length=1)
    year: Year


class TaskRead(TaskBase):
    model_config = ConfigDict(from_attributes=True)
    id: int
    staff_id: int
    year: int
    progress: int
    progress_note: str
    progress_source: str


class ProgressIn(BaseModel):
    year: Year
    code: Text(40, min_length=1)
    progress: int = Field(ge=0, le=100)
    note: Text(500, lines=True) = ""
