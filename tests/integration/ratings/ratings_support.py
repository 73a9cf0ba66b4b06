"""Helpers shared by the ratings tests (integration and pages): a quarter moved into its rating phase
through the real use cases, with the system's proposal of raters, and forms filled in."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Principal
from kaohe.clock import zone
from kaohe.quarterly import service as quarters
from kaohe.ratings import filling, service
from kaohe.ratings.models import RaterAssignment
from kaohe.ratings.schemas import RatingIn

YEAR, QUARTER = 2026, 3


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(YEAR, month, day, hour, 0, tzinfo=zone())


# Collection starts after the quarter ends, rating a week later, review after that.
OPENED, COLLECTING, RATING, REVIEW = at(1, 5), at(10, 9), at(10, 16), at(10, 30)


def to_rating(db: Session, hr: Principal, *, propose: bool = True) -> None:
    """2026 opened, its third quarter collected, raters proposed, and the quarter in its rating phase."""
    quarters.open_year(db, actor=hr, year=YEAR, now=OPENED)
    quarters.advance(db, actor=hr, year=YEAR, quarter=QUARTER, now=COLLECTING)
    if propose:
        service.propose(db, actor=hr, year=YEAR, quarter=QUARTER, now=COLLECTING)
    quarters.advance(db, actor=hr, year=YEAR, quarter=QUARTER, now=RATING)
    db.commit()


def to_review(db: Session, hr: Principal) -> None:
    quarters.advance(db, actor=hr, year=YEAR, quarter=QUARTER, now=REVIEW)
    db.commit()


def assignments_of(db: Session, rater: Principal) -> list[RaterAssignment]:
    return list(db.scalars(select(RaterAssignment).where(RaterAssignment.rater_id == rater.staff_id,
                                                         RaterAssignment.active.is_(True))
                           .order_by(RaterAssignment.id)))


def raters_of(db: Session, staff_id: int, group: str) -> list[RaterAssignment]:
    return list(db.scalars(select(RaterAssignment).where(RaterAssignment.ratee_id == staff_id,
                                                         RaterAssignment.group == group,
                                                         RaterAssignment.active.is_(True))
                           .order_by(RaterAssignment.id)))


def full_marks(db: Session, rater: Principal, assignment_id: int, mark: float | None = None) -> dict[str, float]:
    """A mark for every indicator of the form: `mark` (kept within each indicator's scale), or its top mark."""
    form = filling.get_form(db, actor=rater, assignment_id=assignment_id)
    return {leaf.code: (leaf.high if mark is None else min(max(mark, leaf.low), leaf.high)) for leaf in form.leaves}


def submit(db: Session, rater: Principal, assignment_id: int, mark: float | None = None) -> None:
    filling.save(db, actor=rater, assignment_id=assignment_id, now=RATING, rating_in=RatingIn(
        marks=full_marks(db, rater, assignment_id, mark), action="submit"))
    db.commit()


def as_staff(db: Session, staff_id: int) -> Principal:
    """Any staff member as a plain 干事 (most people of the demo unit have no account of their own)."""
    from kaohe.auth.permissions import Grant
    from kaohe.auth.roles import Role
    from kaohe.org.models import Staff

    staff = db.get(Staff, staff_id)
    assert staff is not None
    return Principal(user_id=None, username=staff.employee_no, display_name=staff.name, staff_id=staff.id,
                     staff_department_id=staff.department_id, grants=(Grant(Role.staff, None),))
