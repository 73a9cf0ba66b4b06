"""The demo's appraisal year through the real use cases: HR opens the year; every quarter that ended long
enough ago moves through collection (values from the business systems, the daily-record figures), rating
(the proposed leaders and peers, experts HR assigns, service recipients through their links), its computed
results and review, and is closed; the current quarter waits for its end.

Values and marks are drawn from a seeded generator, so the same seed gives the same demo. Some people are
left without a rater group or short of raters on purpose, as happens in a real unit: the results say so.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.auth import service as auth_service
from kaohe.auth.models import User
from kaohe.auth.permissions import Principal
from kaohe.calendar import service as calendar_service
from kaohe.clock import zone
from kaohe.feedback import service as feedback_service
from kaohe.feedback.schemas import AnswerIn, FeedbackDraft, SignIn
from kaohe.metrics import collect as metrics_collect
from kaohe.metrics import service as metrics_service
from kaohe.metrics.catalog import Quarter
from kaohe.metrics.schemas import MetricBatchIn
from kaohe.org.enums import DepartmentKind, StaffStatus
from kaohe.org.models import Department, Staff
from kaohe.quarterly import results, service
from kaohe.ratings import filling
from kaohe.ratings import service as ratings_service
from kaohe.ratings.models import RaterAssignment
from kaohe.ratings.schemas import InvitationCreate, RaterAdd, RatingIn
from kaohe.scheme import service as scheme_service
from kaohe.scheme.indicators import Indicator

SOURCES_BY_SYSTEM = ("attendance_system", "project_system", "finance_system", "service_platform", "third_party")
RECIPIENTS_PER_WINDOW = 3  # service recipients invited for each person of a frontline department
RECIPIENTS_PER_OFFICE = 2  # and for everyone else: the colleagues of other departments they serve
EXPERTS_PER_PERSON = 2  # assigned by HR from the technical-support department (none for its own people)
# The phases of a finished quarter, in working days after it ended: start collecting, start rating, compute
# and start the review, close. Inside the scheme's default deadlines (5, 10, 5 working days).
STEPS = {"collection": 1, "rating": 5, "review": 14, "closed": 18}


def principal_of(db: Session, username: str) -> Principal:
    """The principal of the demo account signed in as `username` (a 工号 for staff)."""
    user = db.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return auth_service.principal_for(user)


def _value(rng: random.Random, node: Indicator) -> float:
    """A plausible value of a quantitative leaf, by its unit and direction."""
    measure = node.measure
    unit = getattr(measure, "unit", "") or ""
    lower_better = getattr(getattr(measure, "direction", None), "value", "") == "lower_better"
    if unit == "%":
        if lower_better:
            return round(rng.uniform(0, 4), 1)
        return round(min(100.0, rng.gauss(93, 4.5)), 1)
    if unit == "分":
        return round(min(100.0, rng.gauss(90, 4)), 1)
    if unit == "次":
        return float(rng.choices((0, 1, 2), (80, 15, 5))[0])
    if unit in ("项", "个", "件"):
        return float(rng.randint(1, 6))
    if unit == "万元":
        return float(rng.randint(80, 600))
    return round(rng.uniform(1, 8), 1)


def load_demo_quarters(db: Session, *, hr: Principal, principal: Callable[[str], Principal], today: date,
                       seed: int = 2026) -> dict[str, int]:
    """Open `today`'s appraisal year and take every quarter finished before the review could end through
    all of its phases; returns counts for the summary line."""
    year = today.year
    calendar = calendar_service.load_calendar(db)
    service.open_year(db, actor=hr, year=year, now=datetime(year, 1, 5, 9, tzinfo=zone()))
    closed = ratings = signed = 0
    for cycle in sorted(service.list_cycles(db, actor=hr), key=lambda c: c.quarter):
        if cycle.year != year:
            continue
        if cycle.ends_on >= today:
            continue  # the current quarter: its collection starts after it ends
        moments = {}
        day = cycle.ends_on
        for phase, working_days in STEPS.items():
            moments[phase] = datetime.combine(calendar.add_working_days(day, working_days), time(9, 30), tzinfo=zone())
        if moments["closed"].date() >= today:
            continue  # not finished long enough ago: it waits for its phases
        rng = random.Random(f"{seed}-{year}Q{cycle.quarter}")
        service.advance(db, actor=hr, year=year, quarter=cycle.quarter, now=moments["collection"])
        _collect(db, hr=hr, year=year, quarter=cycle.quarter, rng=rng, now=moments["collection"])
        service.advance(db, actor=hr, year=year, quarter=cycle.quarter, now=moments["rating"])
        ratings += _rate(db, hr=hr, principal=principal, year=year, quarter=cycle.quarter, rng=rng,
                         now=moments["rating"])
        service.advance(db, actor=hr, year=year, quarter=cycle.quarter, now=moments["review"])
        results.compute_quarter(db, actor=hr, year=year, quarter=cycle.quarter, now=moments["review"])
        signed += _feedback(db, principal=principal, year=year, quarter=cycle.quarter, rng=rng,
                            now=moments["review"], deadline=calendar.add_working_days(cycle.ends_on, 60))
        service.advance(db, actor=hr, year=year, quarter=cycle.quarter, now=moments["closed"],
                        reason="审核完成，结果已反馈")
        closed += 1
        db.flush()
    return {"quarters": closed, "ratings": ratings, "feedback": signed}


def _feedback(db: Session, *, principal: Callable[[str], Principal], year: int, quarter: int, rng: random.Random,
              now: datetime, deadline: date) -> int:
    """Each leader drafts from the system's proposal, agrees a deadline and signs; the person acknowledges
    the next working day, a few with a comment of their own."""
    people = list(db.scalars(select(Staff).where(Staff.status == StaffStatus.active, Staff.supervisor_id.is_not(None))
                             .order_by(Staff.employee_no)))
    numbers = dict(db.execute(select(Staff.id, Staff.employee_no)).all())
    signed = 0
    for person in people:
        leader = principal(numbers[person.supervisor_id])
        view = feedback_service.open_feedback(db, actor=leader, year=year, quarter=quarter, staff_id=person.id)
        feedback_service.save_draft(db, actor=leader, year=year, quarter=quarter, staff_id=person.id, now=now,
                                    draft_in=FeedbackDraft(**view.texts, deadline=deadline))
        view = feedback_service.open_feedback(db, actor=leader, year=year, quarter=quarter, staff_id=person.id)
        feedback_service.sign(db, actor=leader, year=year, quarter=quarter, staff_id=person.id, now=now,
                              sign_in=SignIn(digest=view.digest))
        comment = rng.random() < 0.08
        feedback_service.answer(db, actor=principal(person.employee_no), year=year, quarter=quarter,
                                staff_id=person.id, now=now + timedelta(days=1),
                                answer_in=AnswerIn(action="comment" if comment else "acknowledge",
                                                   comment="同意改进计划；第二项措施的时限希望延后两周。" if comment else ""))
        signed += 1
    return signed


def _collect(db: Session, *, hr: Principal, year: int, quarter: int, rng: random.Random, now: datetime) -> None:
    """Each business system's values for the people whose indicators it feeds, then the record figures.
    One window clerk's satisfaction stays under the warning threshold from the second quarter on, as in the
    seed's example (Q5): the computed results then warn HR and the leader."""
    period = Quarter(year, quarter)
    warnings = scheme_service.current(db, year=year).quarterly.warnings
    clerk = None
    wanted: dict[str, list[dict[str, object]]] = {source: [] for source in SOURCES_BY_SYSTEM}
    frontline = set(db.scalars(select(Department.id).where(Department.kind == DepartmentKind.frontline)))
    for staff in db.scalars(select(Staff).where(Staff.status == StaffStatus.active).order_by(Staff.employee_no)):
        expected = metrics_collect.expected_for(db, staff=staff, quarter=period)
        if clerk is None and staff.department_id in frontline and any(
                node.code == warnings.satisfaction_indicator for node in expected):
            clerk = staff.id  # the first window clerk whose satisfaction the warning watches
        for source, nodes in metrics_collect.by_source(expected).items():
            if source in wanted:
                wanted[source] += [{"employee_no": staff.employee_no, "indicator_code": node.code,
                                    "value": str(round(warnings.satisfaction_threshold - rng.uniform(1, 4), 1)
                                                 if staff.id == clerk and quarter >= 2
                                                 and node.code == warnings.satisfaction_indicator
                                                 else _value(rng, node))} for node in nodes]
    for source, items in wanted.items():
        if items:
            metrics_service.import_api(db, actor=hr, idempotency_key=None, now=now, batch_in=MetricBatchIn(
                source=source, year=year, quarter=quarter, items=items))
    metrics_collect.collect_records(db, actor=hr, quarter=period, now=now)


def _rate(db: Session, *, hr: Principal, principal: Callable[[str], Principal], year: int, quarter: int,
          rng: random.Random, now: datetime) -> int:
    """Proposed leaders and peers, two experts each, service recipients through their links; everyone submits,
    except a few who never do (their ratee is then short of raters, or misses the group)."""
    ratings_service.propose(db, actor=hr, year=year, quarter=quarter, now=now)
    staff = list(db.scalars(select(Staff).where(Staff.status == StaffStatus.active).order_by(Staff.employee_no)))
    departments = {d.id: d for d in db.scalars(select(Department))}
    experts = [s for s in staff if departments[s.department_id].kind is DepartmentKind.tech_support]
    for person in staff:
        chosen = [e for e in experts if e.department_id != person.department_id][:EXPERTS_PER_PERSON]
        for expert in chosen:
            ratings_service.add_rater(db, actor=hr, year=year, quarter=quarter, now=now, rater_in=RaterAdd(
                staff_no=person.employee_no, group="experts", rater_no=expert.employee_no, reason="专家评议"))
            experts.append(experts.pop(experts.index(expert)))  # the next person gets the next experts
    submitted = 0
    marks_for = lambda form: {leaf.code: _mark(rng, leaf) for leaf in form.leaves}  # noqa: E731
    rows = list(db.scalars(select(RaterAssignment).where(RaterAssignment.year == year, RaterAssignment.quarter == quarter,
                                                         RaterAssignment.rater_id.is_not(None))
                           .order_by(RaterAssignment.id)))
    numbers = {s.id: s.employee_no for s in staff}
    for row in rows:
        if rng.random() < 0.04:
            continue  # a rater who never submitted: the form stays open until the phase closes
        actor = principal(numbers[row.rater_id])
        form = filling.get_form(db, actor=actor, assignment_id=row.id)
        filling.save(db, actor=actor, assignment_id=row.id, now=now,
                     rating_in=RatingIn(marks=marks_for(form), comment="", action="submit"))
        submitted += 1
    for person in staff:
        frontline = departments[person.department_id].kind is DepartmentKind.frontline
        for n in range(RECIPIENTS_PER_WINDOW if frontline else RECIPIENTS_PER_OFFICE):
            invited = ratings_service.invite(db, actor=hr, year=year, quarter=quarter, now=now,
                                             invitation_in=InvitationCreate(staff_no=person.employee_no,
                                                                            note=f"服务对象 {n + 1}"))
            form = filling.invitation_form(db, token=invited.token, now=now)
            filling.submit_invitation(db, token=invited.token, now=now + timedelta(hours=2),
                                      rating_in=RatingIn(marks=marks_for(form), action="submit"))
            submitted += 1
    return submitted


def _mark(rng: random.Random, leaf: object) -> float:
    low, high = getattr(leaf, "low", None), getattr(leaf, "high", None)
    if low is None or high is None:
        low, high = getattr(leaf, "scale", (0, 100))
    if high <= 5:
        return float(rng.choices(range(int(low), int(high) + 1), (2, 5, 20, 45, 28)[-(int(high) - int(low) + 1):])[0])
    return float(round(min(high, max(low, rng.gauss(high * 0.88, high * 0.06)))))
