"""Shapes of raters, invitations and rating forms for the pages and the API."""

from datetime import datetime

from pydantic import BaseModel, Field

from kaohe.ratings.models import RaterSource, RatingStatus
from kaohe.web.inputs import Text

MARKS_MAX = 100  # indicators on one form: far more than any scheme gives one rater group


class RatingIn(BaseModel):
    """One form: a mark per indicator code (blank ones left out of a draft), a comment, draft or submit."""

    marks: dict[Text(40), float | None] = Field(default_factory=dict, max_length=MARKS_MAX)
    comment: Text(1000, lines=True) = ""
    action: str = Field(default="draft", pattern="^(draft|submit)$")


class RaterAdd(BaseModel):
    staff_no: Text(32, min_length=1)  # the person rated
    group: Text(40, min_length=1)
    rater_no: Text(32, min_length=1)
    reason: Text(500, lines=True) = ""


class RaterRemove(BaseModel):
    reason: Text(500, lines=True) = ""


class InvitationCreate(BaseModel):
    staff_no: Text(32, min_length=1)
    note: Text(100) = ""  # whom the link is given to: a service counter, a company


class InvitationRead(BaseModel):
    id: int
    staff_id: int
    href: str
    expires_at: datetime


class ProposedRead(BaseModel):
    count: int  # assignments added by this run
    people: int


class AssignmentRead(BaseModel):
    """One person the signed-in rater rates: no marks of anyone else."""

    id: int
    year: int
    quarter: int
    staff_id: int
    name: str
    department: str
    group: str
    label: str  # the group's Chinese name
    status: RatingStatus
    progress: int  # indicators marked
    count: int  # indicators on the form


class IndicatorRead(BaseModel):
    code: str
    name: str
    low: int
    high: int


class FormRead(AssignmentRead):
    indicators: list[IndicatorRead]
    marks: dict[str, float]
    comment: str


class RaterRead(BaseModel):
    """Who rates whom, with their marks: HR and the inspector only."""

    id: int
    staff_id: int
    name: str
    group: str
    rater_id: int | None
    rater_name: str
    source: RaterSource
    status: RatingStatus
    marks: dict[str, float]
