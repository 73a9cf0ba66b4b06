"""What a person's home page holds: their 待办, their profile, the people they see, and small charts."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Perm, Principal
from kaohe.auth.roles import Role
from kaohe.bootstrap import todo_providers
from kaohe.clock import zone
from kaohe.messages import t
from kaohe.org import service as org_service
from kaohe.org.enums import PostCategory, StaffStatus
from kaohe.org.models import Staff
from kaohe.records.dashboard import Chart, charts
from kaohe.scheme import service as scheme_service
from kaohe.todo import Todo, gather, total


@dataclass(frozen=True)
class Home:
    me: Staff | None
    todos: list[Todo]
    charts: list[Chart]
    visible: int
    by_category: list[tuple[PostCategory, int]]
    departments: int
    duties: list[str]


def todos(db: Session, *, actor: Principal, now: datetime) -> list[Todo]:
    """Everything the actor owes, from every feature's provider, the most urgent first."""
    return gather(db, actor, now, todo_providers())


def todo_count(db: Session, *, actor: Principal, now: datetime) -> int:
    return total(todos(db, actor=actor, now=now))


def home(db: Session, *, actor: Principal, now: datetime) -> Home:
    active = (actor.staff_filter(Perm.staff_read), Staff.status == StaffStatus.active)
    by_category = dict(db.execute(select(Staff.post_category, func.count()).where(*active)
                                  .group_by(Staff.post_category)).all())
    return Home(
        me=db.get(Staff, actor.staff_id) if actor.staff_id else None,
        todos=todos(db, actor=actor, now=now),
        charts=charts(db, actor, now),
        visible=sum(by_category.values()),
        by_category=[(c, by_category.get(c, 0)) for c in PostCategory],
        departments=len(org_service.list_departments(db)),
        duties=duties(db, actor=actor, now=now),
    )


def duties(db: Session, *, actor: Principal, now: datetime) -> list[str]:
    """What the committee and the staff representatives will do in the year's appraisal, and when,
    in the numbers of the year's scheme (A1–A4, F3)."""
    is_committee, is_rep = Role.committee in actor.roles, Role.staff_rep in actor.roles
    if not (is_committee or is_rep):
        return []
    year = now.astimezone(zone()).year
    scheme = scheme_service.current(db, year=year)
    numbers = {"quarters": scheme.cycle.quarters, "minutes": scheme.annual_review.self_report_max_minutes,
               "notice": scheme.deadlines.public_notice.working_days,
               "appeal": scheme.deadlines.appeal.working_days}
    keys = []
    if is_committee:
        keys += ["committee_when", "committee_hear", "committee_vote", "committee_notice", "committee_appeal"]
    if is_rep:
        keys += ["rep_vote", "rep_notice"]
    return [t(f"workspace.duty.{key}", **numbers) for key in keys] + [
        t("workspace.duty.not_started", year=year)]
