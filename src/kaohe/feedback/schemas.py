"""Shapes of written feedback for forms and the API."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, field_validator

from kaohe.feedback.models import FeedbackStatus
from kaohe.web.inputs import Text

TEXT_MAX = 2000


def _strip(value: str) -> str:
    return value.strip()


class FeedbackDraft(BaseModel):
    """What the leader saves: the four texts and the agreed deadline (all may stay empty in a draft)."""

    strengths: Text(TEXT_MAX, lines=True) = ""
    weaknesses: Text(TEXT_MAX, lines=True) = ""
    goals: Text(TEXT_MAX, lines=True) = ""
    measures: Text(TEXT_MAX, lines=True) = ""
    deadline: date | None = None

    _clean = field_validator("strengths", "weaknesses", "goals", "measures")(_strip)


class SignIn(BaseModel):
    """The signature: `digest` is the signed text's SHA-256 as the leader saw it (refused if it changed)."""

    digest: Text(64) | None = None


class AnswerIn(BaseModel):
    """The person's answer: acknowledge, or add their own comment (required then)."""

    action: Literal["acknowledge", "comment"]
    comment: Text(TEXT_MAX, lines=True) = ""

    _clean = field_validator("comment")(_strip)


class FeedbackRead(BaseModel):
    staff_id: int
    employee_no: str
    name: str
    year: int
    quarter: int
    status: FeedbackStatus | None
    strengths: str
    weaknesses: str
    goals: str
    measures: str
    deadline: date | None
    digest: str
    signed_name: str
    signed_at: datetime | None
    ledger_seq: int | None
    answered_at: datetime | None
    comment: str
    may_edit: bool
    may_sign: bool
    may_answer: bool
