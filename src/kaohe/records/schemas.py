"""Shapes of records, reviews and task-book items for forms and the API."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kaohe.records.models import RecordStatus


def _no_formula(value: str) -> str:
    value = value.strip()
    if value[:1] in ("=", "+", "-", "@"):
        raise ValueError("不能以 = + - @ 开头")
    return value


class RecordBase(BaseModel):
    title: str = Field(min_length=2, max_length=100)
    started_at: datetime
    ended_at: datetime
    stage_result: str = Field(min_length=5, max_length=2000)
    difficulties: str = Field(default="", max_length=2000)
    commendation: str = Field(default="", max_length=2000)
    task_item_id: int | None = None

    _clean = field_validator("title", "stage_result", "difficulties", "commendation")(_no_formula)


class RecordCreate(RecordBase):
    # Recording on someone else's behalf (a leader, the department, another system): their 工号.
    staff_no: str | None = Field(default=None, max_length=32)


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
    record_ids: list[int] = Field(min_length=1, max_length=500)
    action: str = Field(pattern="^(confirm|return)$")
    comment: str = Field(default="", max_length=500)
    quality_mark: int | None = Field(default=None, ge=0, le=100)  # the scheme's scale: service.review


class TaskBase(BaseModel):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    title: str = Field(min_length=2, max_length=200)
    target: str = Field(default="", max_length=2000)
    weight: int = Field(default=0, ge=0, le=100)
    deadline: date | None = None
    indicator_codes: list[str] = Field(default_factory=list, max_length=20)

    _clean = field_validator("title", "target")(_no_formula)


class TaskCreate(TaskBase):
    staff_no: str = Field(min_length=1, max_length=32)
    year: int = Field(ge=2000, le=2100)


class TaskRead(TaskBase):
    model_config = ConfigDict(from_attributes=True)
    id: int
    staff_id: int
    year: int
    progress: int
    progress_note: str
    progress_source: str


class ProgressIn(BaseModel):
    year: int = Field(ge=2000, le=2100)
    code: str
    progress: int = Field(ge=0, le=100)
    note: str = Field(default="", max_length=500)
