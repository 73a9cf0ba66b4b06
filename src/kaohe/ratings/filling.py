"""Filling in the forms (Q3, S2, P4): a rater's list of people to rate, one form per ratee with a mark per
qualitative indicator the scheme gives the rater's group, saved as a draft or submitted (final); and a
service recipient's form behind a single-use link, without an account.

Marks are entered only while the quarter is in its rating phase. Every state change writes a history row
(who, when, from, to) and an audit row that names the assignment by id only (the administrator reads the
audit log, and must not learn who rated whom)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, joinedload

from kaohe.audit import service as audit
from kaohe.auth.permissions import Principal
from kaohe.errors import Conflict, Invalid, KaoheError, NotFound
from kaohe.messages import t
from kaohe.org.models import Department, Staff
from kaohe.quarterly import service as quarters
from kaohe.quarterly.models import QuarterCycle, QuarterPhase
from kaohe.ratings import proposal
from kaohe.ratings.models import Invitation, RaterAssignment, Rating, RatingHistory, RatingStatus
from kaohe.ratings.schemas import RatingIn
from kaohe.ratings.service import group_names, label, token_hash
from kaohe.scheme import service as scheme_service
from kaohe.scheme.models import Scheme

COMMENT_MAX = 1000


class Gone(KaoheError):
    """An invitation link that is unknown, used, expired or withdrawn."""

    status_code = 410


def recipient_actor() -> Principal:
    """Who a service recipient is in history and audit rows: nobody signed in."""
    return Principal(user_id=None, username="recipient", display_name=t("ratings.recipient_actor"), staff_id=None,
                     staff_department_id=None, grants=())


class _Schemes(dict[int, Scheme]):
    def __init__(self, db: Session) -> None:
        super().__init__()
        self.db = db

    def __missing__(self, year: int) -> Scheme:
        self[year] = scheme_service.current(self.db, year=year)
        return self[year]


def leaves_of(scheme: Scheme, ratee: Staff, department: Department | None, group: str) -> list[proposal.Leaf]:
    return proposal.form_leaves(scheme, category=ratee.post_category, level=ratee.level,
                                department=department.code if department else None, post=ratee.post_name or None,
                                group=group)


@dataclass(frozen=True)
class MyItem:
    assignment: RaterAssignment
    ratee: Staff
    department: str
    group_name: str
    label: str
    phase: QuarterPhase
    total: int
    answered: int

    @property
    def editable(self) -> bool:
        return self.phase is QuarterPhase.rating and self.assignment.status is not RatingStatus.submitted


def my_assignments(db: Session, *, actor: Principal) -> list[MyItem]:
    """The people the actor rates in every quarter that is not closed, with each form's status and progress."""
    if actor.staff_id is None:
        return []
    rows = db.execute(
        select(RaterAssignment, QuarterCycle.phase)
        .join(QuarterCycle, (QuarterCycle.year == RaterAssignment.year) & (QuarterCycle.quarter == RaterAssignment.quarter))
        .options(joinedload(RaterAssignment.ratee).joinedload(Staff.department))
        .where(RaterAssignment.rater_id == actor.staff_id, RaterAssignment.active.is_(True),
               QuarterCycle.phase != QuarterPhase.closed)
        .order_by(RaterAssignment.year.desc(), RaterAssignment.quarter.desc(), RaterAssignment.id)).all()
    answered = dict(db.execute(select(Rating.assignment_id, func.count()).where(
        Rating.assignment_id.in_([row.id for row, _phase in rows])).group_by(Rating.assignment_id)).all()) if rows else {}
    schemes = _Schemes(db)
    sizes: dict[tuple[object, ...], int] = {}
    out = []
    for row, phase in rows:
        ratee = row.ratee
        key = (row.year, ratee.post_category, ratee.level, ratee.department_id, ratee.post_name, row.group)
        if key not in sizes:
            sizes[key] = len(leaves_of(schemes[row.year], ratee, ratee.department, row.group))
        out.append(MyItem(row, ratee, ratee.department.name, group_names(schemes[row.year]).get(row.group, row.group),
                          label(row.year, row.quarter), phase, sizes[key], answered.get(row.id, 0)))
    return out


@dataclass(frozen=True)
class Form:
    assignment: RaterAssignment
    ratee: Staff
    department: str
    group_name: str
    label: str
    phase: QuarterPhase
    leaves: list[proposal.Leaf]
    marks: dict[str, float] = field(default_factory=dict)

    @property
    def editable(self) -> bool:
        return self.phase is QuarterPhase.rating and self.assignment.status is not RatingStatus.submitted

    @property
    def closed_reason(self) -> str:
        """Why the form cannot be filled in now (empty when it can)."""
        if self.assignment.status is RatingStatus.submitted:
            return t("ratings.form_submitted")
        if self.phase is not QuarterPhase.rating:
            return t("ratings.form_not_rating", label=self.label, phase=quarters.phase_label(self.phase))
        return ""


def _form(db: Session, row: RaterAssignment) -> Form:
    cycle = quarters.find_cycle(db, row.year, row.quarter)
    phase = cycle.phase if cycle is not None else QuarterPhase.pending
    scheme = scheme_service.current(db, year=row.year)
    ratee = db.get(Staff, row.ratee_id, options=[joinedload(Staff.department)])
    assert ratee is not None
    marks = dict(db.execute(select(Rating.indicator_code, Rating.mark).where(Rating.assignment_id == row.id)).all())
    return Form(row, ratee, ratee.department.name, group_names(scheme).get(row.group, row.group),
                label(row.year, row.quarter), phase, leaves_of(scheme, ratee, ratee.department, row.group), marks)


def get_form(db: Session, *, actor: Principal, assignment_id: int) -> Form:
    """The actor's own form for one ratee; anyone else's answers 404, so assignments do not leak."""
    row = db.get(RaterAssignment, assignment_id)
    if row is None or not row.active or actor.staff_id is None or row.rater_id != actor.staff_id:
        raise NotFound(t("ratings.assignment_not_found"))
    return _form(db, row)


def _checked_marks(form: Form, marks: Mapping[str, float | None], *, complete: bool) -> dict[str, float]:
    known = {leaf.code: leaf for leaf in form.leaves}
    problems = [t("ratings.mark_unknown_indicator", code=code[:40]) for code in marks if code not in known]
    out: dict[str, float] = {}
    for leaf in form.leaves:
        value = marks.get(leaf.code)
        if value is None:
            if complete:
                problems.append(t("ratings.mark_missing", name=leaf.name, low=leaf.low, high=leaf.high))
            continue
        if value != int(value) or not leaf.low <= value <= leaf.high:
            problems.append(t("ratings.mark_out_of_scale", name=leaf.name, value=f"{value:g}", low=leaf.low,
                              high=leaf.high))
            continue
        out[leaf.code] = float(value)
    if problems:
        raise Invalid(t("ratings.form_refused", count=len(problems)), details=problems)
    return out


def _save(db: Session, form: Form, rating_in: RatingIn, *, actor: Principal, submit: bool, now: datetime) -> None:
    row = form.assignment
    if row.status is RatingStatus.submitted:
        raise Conflict(t("ratings.already_submitted"))
    quarters.require_phase(db, row.year, row.quarter, QuarterPhase.rating)
    if not form.leaves:
        raise Invalid(t("ratings.nothing_to_rate", group=form.group_name))
    marks = _checked_marks(form, rating_in.marks, complete=submit)
    before = row.status
    db.execute(delete(Rating).where(Rating.assignment_id == row.id))
    db.add_all([Rating(assignment_id=row.id, indicator_code=code, mark=mark) for code, mark in marks.items()])
    row.comment = rating_in.comment.strip()
    row.status = RatingStatus.submitted if submit else RatingStatus.draft
    row.updated_at = now
    if submit:
        row.submitted_at = now
    action = "submit" if submit else "draft"
    db.add(RatingHistory(assignment_id=row.id, action=action, from_status=before.value, to_status=row.status.value,
                         actor_id=actor.user_id, actor_name=actor.display_name, at=now))
    changed = {"before": {"status": before.value}, "after": {"status": row.status.value, "marks": len(marks)}}
    if submit:
        audit.record(db, actor=actor, action="ratings.submit", entity_type="rater_assignment", entity_id=row.id,
                     summary=t("ratings.audit_submit", label=form.label, id=row.id), **changed)
    else:
        audit.record(db, actor=actor, action="ratings.draft", entity_type="rater_assignment", entity_id=row.id,
                     summary=t("ratings.audit_draft", label=form.label, id=row.id), **changed)
    db.flush()


def save(db: Session, *, actor: Principal, assignment_id: int, rating_in: RatingIn, now: datetime) -> RaterAssignment:
    """Save the actor's form as a draft (marks may be missing) or submit it (every mark given; final)."""
    form = get_form(db, actor=actor, assignment_id=assignment_id)
    _save(db, form, rating_in, actor=actor, submit=rating_in.action == "submit", now=now)
    return form.assignment


# --- service recipients ---------------------------------------------------------------------------------

def _invitation(db: Session, token: str, now: datetime) -> tuple[Invitation, RaterAssignment]:
    invitation = db.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token or "")))
    if invitation is None:
        raise Gone(t("ratings.link_unknown"))
    if invitation.used_at is not None:
        raise Gone(t("ratings.link_used"))
    row = db.scalar(select(RaterAssignment).where(RaterAssignment.invitation_id == invitation.id))
    if row is None or not row.active or invitation.expires_at <= now:
        raise Gone(t("ratings.link_expired"))
    return invitation, row


def invitation_form(db: Session, *, token: str, now: datetime) -> Form:
    """The form behind a recipient's link; a Chinese 410 when the link is unknown, used or expired."""
    _found, row = _invitation(db, token, now)
    return _form(db, row)


def submit_invitation(db: Session, *, token: str, rating_in: RatingIn, now: datetime) -> RaterAssignment:
    """A service recipient submits their form; the link is then used up (no drafts: it works once)."""
    invitation, row = _invitation(db, token, now)
    form = _form(db, row)
    actor = recipient_actor()
    _save(db, form, rating_in, actor=actor, submit=True, now=now)
    # Only one of two concurrent submissions of the same link wins.
    used = db.execute(update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
                      .values(used_at=now))
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise Gone(t("ratings.link_used"))
    return row
