"""What ratings make a rater owe (待办): while a quarter is in its rating phase, "N 人待评" linking to
/ratings, N being the people whose form the rater has not submitted; `kaohe.todo` gathers it."""

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Principal
from kaohe.messages import t
from kaohe.quarterly import service as quarters
from kaohe.quarterly.models import QuarterCycle, QuarterPhase
from kaohe.ratings.models import RaterAssignment, RatingStatus
from kaohe.todo import Todo


def owed(db: Session, actor: Principal, now: datetime) -> Iterator[Todo]:
    if actor.staff_id is None:
        return
    rows = db.execute(
        select(RaterAssignment.year, RaterAssignment.quarter, func.count())
        .join(QuarterCycle, (QuarterCycle.year == RaterAssignment.year) & (QuarterCycle.quarter == RaterAssignment.quarter))
        .where(RaterAssignment.rater_id == actor.staff_id, RaterAssignment.active.is_(True),
               RaterAssignment.status != RatingStatus.submitted, QuarterCycle.phase == QuarterPhase.rating)
        .group_by(RaterAssignment.year, RaterAssignment.quarter)
        .order_by(RaterAssignment.year, RaterAssignment.quarter)).all()
    for year, quarter, count in rows:
        yield Todo("ratings.to_give", t("ratings.todo_title"), count, "/ratings",
                   detail=t("ratings.todo_detail", label=quarters.quarter_label(year, quarter)))
