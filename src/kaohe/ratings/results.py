"""What submitted ratings add up to (Q3, S2), and who may see it.

- `ratings_for_quarter`: what the quarterly scoring reads, per person × indicator × rater group, the mean and
  count of submitted marks, for the whole unit in one query.
- `summary_for`: a person's ratings as they (and their leader) may see them: only after the rating phase,
  only aggregated (mean per indicator and group, and how many answered), and only where at least the
  scheme's minimum number of raters answered (else 未达交叉验证人数). Who gave what stays with HR and the
  inspector (`service.raters_of_quarter`).
- `owed_ratings`: the quarterly cycle's "still owed" list for its rating phase (`quarterly/owed.py`).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from kaohe.auth.permissions import Perm, Principal
from kaohe.errors import NotFound
from kaohe.messages import t
from kaohe.org.models import Department, Staff
from kaohe.quarterly import service as quarters
from kaohe.quarterly.models import QuarterCycle, QuarterPhase
from kaohe.quarterly.owed import Owed
from kaohe.ratings.filling import leaves_of
from kaohe.ratings.models import RaterAssignment, Rating, RatingStatus
from kaohe.ratings.service import group_names, label
from kaohe.scheme import service as scheme_service

# The phases after which a ratee and their leader see their aggregated ratings.
REVEALED = (QuarterPhase.review, QuarterPhase.closed)


def ratings_for_quarter(db: Session, year: int, quarter: int) -> list[tuple[int, str, str, float, int]]:
    """(staff id, indicator code, group key, mean mark, raters) of every submitted rating of the quarter, by
    active raters, on the indicator's own scale: the `ratings` argument of
    `kaohe.scoring.quarterly_from_scheme.quarter_inputs`. One query, whatever the size of the unit."""
    rows = db.execute(
        select(RaterAssignment.ratee_id, Rating.indicator_code, RaterAssignment.group, func.avg(Rating.mark),
               func.count())
        .join(Rating, Rating.assignment_id == RaterAssignment.id)
        .where(RaterAssignment.year == year, RaterAssignment.quarter == quarter, RaterAssignment.active.is_(True),
               RaterAssignment.status == RatingStatus.submitted)
        .group_by(RaterAssignment.ratee_id, Rating.indicator_code, RaterAssignment.group)
        .order_by(RaterAssignment.ratee_id, Rating.indicator_code, RaterAssignment.group))
    return [(int(staff_id), code, group, float(mean), int(count)) for staff_id, code, group, mean, count in rows]


@dataclass(frozen=True)
class Cell:
    mean: float | None
    count: int
    enough: bool  # at least the indicator's minimum number of raters answered


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    low: int
    high: int
    min_raters: int
    cells: dict[str, Cell]  # by group key, the groups that rate this indicator


@dataclass(frozen=True)
class Summary:
    ratee: Staff
    label: str
    phase: QuarterPhase
    visible: bool
    groups: dict[str, str]
    lines: list[Line]


def may_see_summary(actor: Principal, staff: Staff, department: Department | None) -> bool:
    """The person, their 分管领导 (their supervisor, or their department's leader), HR and the inspector."""
    if actor.can(Perm.ratings_read):
        return True
    if actor.staff_id is None:
        return False
    return actor.staff_id in (staff.id, staff.supervisor_id, department.leader_id if department else None)


def summary_for(db: Session, *, actor: Principal, year: int, quarter: int, staff_id: int) -> Summary:
    """A person's ratings, aggregated, for those who may see them; hidden until the rating phase is over."""
    staff = db.get(Staff, staff_id, options=[joinedload(Staff.department)])
    if staff is None or not may_see_summary(actor, staff, staff.department):
        raise NotFound(t("ratings.person_not_found"))
    cycle = quarters.find_cycle(db, year, quarter)
    if cycle is None:
        raise NotFound(t("quarter.not_opened", label=label(year, quarter)))
    scheme = scheme_service.current(db, year=year)
    groups = group_names(scheme)
    visible = cycle.phase in REVEALED or actor.can(Perm.ratings_read)
    lines: list[Line] = []
    if visible:
        found = {(code, group): (mean, count) for _id, code, group, mean, count in db.execute(
            select(RaterAssignment.ratee_id, Rating.indicator_code, RaterAssignment.group, func.avg(Rating.mark),
                   func.count())
            .join(Rating, Rating.assignment_id == RaterAssignment.id)
            .where(RaterAssignment.year == year, RaterAssignment.quarter == quarter,
                   RaterAssignment.ratee_id == staff.id, RaterAssignment.active.is_(True),
                   RaterAssignment.status == RatingStatus.submitted)
            .group_by(RaterAssignment.ratee_id, Rating.indicator_code, RaterAssignment.group))}
        by_code: dict[str, Line] = {}
        for group in groups:
            for leaf in leaves_of(scheme, staff, staff.department, group):
                line = by_code.get(leaf.code)
                if line is None:
                    line = by_code[leaf.code] = Line(leaf.code, leaf.name, leaf.low, leaf.high, leaf.min_raters, {})
                    lines.append(line)
                mean, count = found.get((leaf.code, group), (None, 0))
                enough = count >= leaf.min_raters
                # Below the minimum the mean is not shown at all: a single mark would be one person's.
                line.cells[group] = Cell(float(mean) if enough and mean is not None else None, int(count), enough)
    return Summary(staff, label(year, quarter), cycle.phase, visible, groups, lines)


def revealed_quarters(db: Session) -> list[QuarterCycle]:
    """The quarters whose rating phase is over (a ratee may see their aggregates), the newest first."""
    return list(db.scalars(select(QuarterCycle).where(QuarterCycle.phase.in_(REVEALED))
                           .order_by(QuarterCycle.year.desc(), QuarterCycle.quarter.desc())))


def owed_ratings(db: Session, cycle: QuarterCycle, actor: Principal) -> Iterator[Owed]:
    """The rating phase still waits for every form not submitted: per rater, how many (not for whom)."""
    rows = db.execute(
        select(Staff.name, Department.name, func.count())
        .select_from(RaterAssignment)
        .join(Staff, RaterAssignment.rater_id == Staff.id)
        .join(Department, Staff.department_id == Department.id)
        .where(RaterAssignment.year == cycle.year, RaterAssignment.quarter == cycle.quarter,
               RaterAssignment.active.is_(True), RaterAssignment.status != RatingStatus.submitted)
        .group_by(Staff.id, Staff.name, Department.name, Department.code)
        .order_by(Department.code, Staff.name))
    for name, department, count in rows:
        yield Owed("ratings.forms", t("ratings.owed_forms", count=count), name, department, count, "/ratings")
    recipients = db.scalar(select(func.count()).select_from(RaterAssignment).where(
        RaterAssignment.year == cycle.year, RaterAssignment.quarter == cycle.quarter,
        RaterAssignment.active.is_(True), RaterAssignment.rater_id.is_(None),
        RaterAssignment.status != RatingStatus.submitted)) or 0
    if recipients:
        yield Owed("ratings.invitations", t("ratings.owed_invitations", count=recipients), t("ratings.recipient"),
                   "—", recipients, f"/ratings/{cycle.year}/{cycle.quarter}")
