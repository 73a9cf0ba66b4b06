"""Quarterly warnings over the API: a warning with its figures and history, the handling note, and what an
evaluation of a quarter did."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from kaohe.web.inputs import Text


class WarningHistoryRead(BaseModel):
    action: str
    from_status: str
    to_status: str
    actor_name: str
    comment: str
    at: datetime


class WarningRead(BaseModel):
    id: int
    staff_id: int
    employee_no: str
    name: str
    department: str
    year: int
    quarter: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    figures: dict[str, Any]
    explanation: str
    suggested_action: str
    note: str
    raised_at: datetime
    handled_at: datetime | None
    history: list[WarningHistoryRead] | None = None


class WarningHandleIn(BaseModel):
    note: Text(1000, lines=True) = ""


class WarningEvaluateRead(BaseModel):
    year: int
    quarter: int
    raised: int
    updated: int
    withdrawn: int
    reraised: int
    pending: int
