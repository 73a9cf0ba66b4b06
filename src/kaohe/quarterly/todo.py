"""What quarterly cycles make HR owe (待办): a phase whose deadline has passed, or falls within the next
`service.DUE_SOON` working days, links to the quarter's page; `kaohe.todo` gathers it."""

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Perm, Principal
from kaohe.calendar import service as calendar_service
from kaohe.clock import today
from kaohe.messages import t
from kaohe.quarterly import service
from kaohe.quarterly.models import TIMED, PhaseRun, QuarterCycle
from kaohe.todo import Todo, Urgency


def owed(db: Session, actor: Principal, now: datetime) -> Iterator[Todo]:
    if not actor.can(Perm.quarter_manage):
        return
    rows = db.execute(select(QuarterCycle, PhaseRun).join(PhaseRun, PhaseRun.cycle_id == QuarterCycle.id)
                      .where(QuarterCycle.phase.in_(TIMED), PhaseRun.phase == QuarterCycle.phase)
                      .order_by(QuarterCycle.year, QuarterCycle.quarter, PhaseRun.id)).all()
    if not rows:
        return
    latest = {cycle.id: (cycle, run) for cycle, run in rows}  # the last run of the current phase wins
    calendar = calendar_service.load_calendar(db)
    day = today(now)
    for cycle, run in latest.values():
        standing = service.standing_of(calendar, run, day)
        label = service.quarter_label(cycle.year, cycle.quarter)
        href = f"/quarterly/{cycle.year}/{cycle.quarter}"
        phase = service.phase_label(cycle.phase)
        deadline = t("quarter.todo_deadline", date=run.deadline.strftime("%Y年%m月%d日")) if run.deadline else ""
        if standing.overdue:
            assert standing.standing is not None
            yield Todo("quarter.deadline", t("quarter.todo_overdue", label=label, phase=phase,
                                               days=standing.standing.overdue), 1, href, detail=deadline,
                       urgency=Urgency.overdue)
        elif standing.due_soon:
            assert standing.standing is not None
            left = standing.standing.left
            title = (t("quarter.todo_due", label=label, phase=phase, days=left) if left
                     else t("quarter.todo_due_today", label=label, phase=phase))
            yield Todo("quarter.deadline", title, 1, href, detail=deadline, urgency=Urgency.soon)
        elif standing.error:
            yield Todo("quarter.calendar", t("quarter.todo_calendar", label=label), 1, "/calendar",
                       detail=standing.error, urgency=Urgency.soon)
