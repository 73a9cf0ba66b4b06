"""Use cases of a quarter's raters (Q3, P4): the system proposes the 分管领导 and peers of every person in
one pass, HR adds and removes raters (experts, adjustments) with a reason, and invites service recipients
by single-use links. Every change writes a history row and an audit row in the caller's transaction.

Who rates whom is read by HR and the inspector only (`Perm.ratings_read`). Audit rows therefore name the
assignment by its id and never the pair: the audit log is also read by the administrator.
A quarter's raters change only while it is before its review (`quarterly.service.require_phase`).
"""

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, joinedload

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.messages import t
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Department, Staff
from kaohe.quarterly import service as quarters
from kaohe.quarterly.models import QuarterCycle, QuarterPhase
from kaohe.ratings import proposal
from kaohe.ratings.models import Invitation, RaterAssignment, RaterSource, Rating, RatingHistory, RatingStatus
from kaohe.ratings.schemas import InvitationCreate, RaterAdd
from kaohe.ratings.settings import get_rating_settings
from kaohe.scheme import service as scheme_service
from kaohe.scheme.models import Scheme

# Raters may be proposed and adjusted until the rating phase ends.
ADJUSTABLE = (QuarterPhase.pending, QuarterPhase.collection, QuarterPhase.rating)
TOKEN_BYTES = 24
# What the quarter's raters page says after each of HR's actions (messages ratings.done_*).
DONE = ("proposed", "added", "removed")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def label(year: int, quarter: int) -> str:
    return quarters.quarter_label(year, quarter)


def group_names(scheme: Scheme) -> dict[str, str]:
    """The scheme's rater groups, key → Chinese name, in the scheme's order."""
    return {group.key: group.name for group in scheme.raters.groups}


def group_names_of(db: Session, year: int) -> dict[str, str]:
    return group_names(scheme_service.current(db, year=year))


def phase_label(phase: QuarterPhase) -> str:
    return quarters.phase_label(phase)


def require_manage(actor: Principal) -> None:
    if not actor.can(Perm.ratings_manage):
        raise Forbidden(t("common.forbidden"))


def require_read(actor: Principal) -> None:
    """Who rated whom and individual marks: HR and the inspector only."""
    if not actor.can(Perm.ratings_read):
        raise Forbidden(t("common.forbidden"))


def _history(db: Session, assignment: RaterAssignment, *, actor: Principal, action: str, before: str,
             reason: str = "", now: datetime) -> None:
    db.add(RatingHistory(assignment_id=assignment.id, action=action, from_status=before,
                         to_status=assignment.status.value if assignment.active else "removed", reason=reason,
                         actor_id=actor.user_id, actor_name=actor.display_name, at=now))


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if len(reason) < 2:
        raise Invalid(t("ratings.reason_required"))
    return reason


def _staff_by_no(db: Session, employee_no: str, field: str) -> Staff:
    staff = db.scalar(select(Staff).where(Staff.employee_no == employee_no.strip()))
    if staff is None:
        raise Invalid(t("ratings.staff_unknown", field=t(f"field.{field}"), no=employee_no.strip()[:32]))
    if staff.status is not StaffStatus.active:
        raise Invalid(t("ratings.staff_inactive", field=t(f"field.{field}"), name=staff.name))
    return staff


# --- proposing ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Proposed:
    added: int  # assignments made by this run
    people: int  # active people considered
    kept: int  # proposed pairs that existed already (or that HR removed: not proposed again)


def propose(db: Session, *, actor: Principal, year: int, quarter: int, now: datetime) -> Proposed:
    """Propose the leader and peers of every active person of the unit for the quarter, in one pass.

    Idempotent: a pair that exists already, or that HR removed, is left as it is."""
    require_manage(actor)
    quarters.require_phase(db, year, quarter, *ADJUSTABLE)
    scheme = scheme_service.current(db, year=year)
    people = [proposal.Person(id, department_id, supervisor_id) for id, department_id, supervisor_id in db.execute(
        select(Staff.id, Staff.department_id, Staff.supervisor_id).where(Staff.status == StaffStatus.active))]
    leaders = dict(db.execute(select(Department.id, Department.leader_id)).all())
    wanted = proposal.propose(people, department_leaders=leaders, peers_per_person=scheme.quarterly.peers_per_person,
                              seed=f"{year}Q{quarter}")
    existing = set(db.execute(select(RaterAssignment.ratee_id, RaterAssignment.group, RaterAssignment.rater_id)
                              .where(RaterAssignment.year == year, RaterAssignment.quarter == quarter)).all())
    made = [{"year": year, "quarter": quarter, "ratee_id": ratee, "group": group, "rater_id": rater,
             "source": RaterSource.proposed, "active": True, "status": RatingStatus.pending, "comment": "",
             "created_by": actor.user_id, "created_at": now, "updated_at": now}
            for ratee, group, rater in wanted if (ratee, group, rater) not in existing]
    # Bulk statements: a unit of 10,000 people gets some 50,000 assignments and their history in seconds.
    db.flush()
    before = db.scalar(select(func.max(RaterAssignment.id))) or 0
    ids: list[int] = []
    if made:
        db.execute(insert(RaterAssignment.__table__), made)  # Core executemany: no per-row round trip
        ids = list(db.scalars(select(RaterAssignment.id).where(
            RaterAssignment.id > before, RaterAssignment.year == year, RaterAssignment.quarter == quarter,
            RaterAssignment.source == RaterSource.proposed, RaterAssignment.created_at == now)))
    if ids:
        db.execute(insert(RatingHistory.__table__), [
            {"assignment_id": assignment_id, "action": "propose", "from_status": "",
             "to_status": RatingStatus.pending.value, "reason": "", "actor_id": actor.user_id,
             "actor_name": actor.display_name, "at": now} for assignment_id in ids])
    groups = Counter(row["group"] for row in made)
    audit.record(db, actor=actor, action="ratings.propose", entity_type="quarter_cycle",
                 entity_id=f"{year}Q{quarter}", summary=t("ratings.audit_propose", label=label(year, quarter),
                                                          count=len(made)),
                 after={"added": len(made), "by_group": dict(groups), "people": len(people)})
    db.flush()
    return Proposed(len(made), len(people), len(wanted) - len(made))


# --- adjusting ------------------------------------------------------------------------------------------

def add_rater(db: Session, *, actor: Principal, year: int, quarter: int, rater_in: RaterAdd,
              now: datetime) -> RaterAssignment:
    """HR adds one rater (an expert, or a leader or peer the proposal missed), with a reason."""
    require_manage(actor)
    quarters.require_phase(db, year, quarter, *ADJUSTABLE)
    scheme = scheme_service.current(db, year=year)
    names = group_names(scheme)
    if rater_in.group not in names or rater_in.group == proposal.RECIPIENTS:
        raise Invalid(t("ratings.group_not_addable", group=rater_in.group[:40],
                        groups="、".join(n for k, n in names.items() if k != proposal.RECIPIENTS)))
    reason = _reason(rater_in.reason)
    ratee = _staff_by_no(db, rater_in.staff_no, "staff_no")
    rater = _staff_by_no(db, rater_in.rater_no, "rater_no")
    if ratee.id == rater.id:
        raise Invalid(t("ratings.not_oneself", name=ratee.name))
    row = db.scalar(select(RaterAssignment).where(
        RaterAssignment.year == year, RaterAssignment.quarter == quarter, RaterAssignment.ratee_id == ratee.id,
        RaterAssignment.group == rater_in.group, RaterAssignment.rater_id == rater.id))
    if row is not None and row.active:
        raise Conflict(t("ratings.already_rater", rater=rater.name, name=ratee.name, group=names[rater_in.group]))
    action = "restore" if row is not None else "add"
    if row is None:
        row = RaterAssignment(year=year, quarter=quarter, ratee_id=ratee.id, group=rater_in.group, rater_id=rater.id,
                              source=RaterSource.hr, created_by=actor.user_id, created_at=now, updated_at=now)
        db.add(row)
    row.active = True
    row.updated_at = now
    db.flush()
    _history(db, row, actor=actor, action=action, before="" if action == "add" else "removed", reason=reason, now=now)
    audit.record(db, actor=actor, action="ratings.add", entity_type="rater_assignment", entity_id=row.id,
                 summary=t("ratings.audit_add", label=label(year, quarter), group=names[row.group], id=row.id,
                           reason=reason),
                 after={"group": row.group, "active": True, "reason": reason, "restored": action == "restore"})
    db.flush()
    return row


def remove_rater(db: Session, *, actor: Principal, assignment_id: int, reason: str, now: datetime
                 ) -> RaterAssignment:
    """HR removes a rater with a reason; the row stays (inactive), with what they had entered."""
    require_manage(actor)
    row = db.get(RaterAssignment, assignment_id)
    if row is None or not row.active:
        raise NotFound(t("ratings.assignment_not_found"))
    quarters.require_phase(db, row.year, row.quarter, *ADJUSTABLE)
    text = _reason(reason)
    before = row.status.value
    row.active = False
    row.updated_at = now
    if row.invitation_id is not None:  # a recipient's link stops working with its assignment
        invitation = db.get(Invitation, row.invitation_id)
        if invitation is not None and invitation.used_at is None:
            invitation.expires_at = min(invitation.expires_at, now)
    _history(db, row, actor=actor, action="remove", before=before, reason=text, now=now)
    audit.record(db, actor=actor, action="ratings.remove", entity_type="rater_assignment", entity_id=row.id,
                 summary=t("ratings.audit_remove", label=label(row.year, row.quarter), id=row.id, reason=text),
                 before={"active": True, "status": before}, after={"active": False, "reason": text})
    db.flush()
    return row


# --- inviting service recipients ------------------------------------------------------------------------

@dataclass(frozen=True)
class Invited:
    token: str  # shown once, in the link and its QR code; only its hash is stored
    invitation: Invitation
    assignment: RaterAssignment
    ratee: Staff

    @property
    def path(self) -> str:
        return f"/r/{self.token}"


def invite(db: Session, *, actor: Principal, year: int, quarter: int, invitation_in: InvitationCreate,
           now: datetime) -> Invited:
    """A single-use link for one service recipient to rate one person for the quarter, without an account."""
    require_manage(actor)
    quarters.require_phase(db, year, quarter, *ADJUSTABLE)
    scheme = scheme_service.current(db, year=year)
    if proposal.RECIPIENTS not in group_names(scheme):
        raise Invalid(t("ratings.no_recipients_group"))
    ratee = _staff_by_no(db, invitation_in.staff_no, "staff_no")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    days = get_rating_settings().invitation_days
    invitation = Invitation(year=year, quarter=quarter, ratee_id=ratee.id, token_hash=token_hash(token),
                            note=invitation_in.note.strip(), expires_at=now + timedelta(days=days),
                            created_by=actor.user_id, created_at=now)
    db.add(invitation)
    db.flush()
    row = RaterAssignment(year=year, quarter=quarter, ratee_id=ratee.id, group=proposal.RECIPIENTS,
                          invitation_id=invitation.id, source=RaterSource.invitation, created_by=actor.user_id,
                          created_at=now, updated_at=now)
    db.add(row)
    db.flush()
    _history(db, row, actor=actor, action="invite", before="", reason=invitation.note, now=now)
    audit.record(db, actor=actor, action="ratings.invite", entity_type="rater_assignment", entity_id=row.id,
                 summary=t("ratings.audit_invite", label=label(year, quarter), id=row.id, days=days),
                 after={"invitation": invitation.id, "expires_at": invitation.expires_at.isoformat()})
    db.flush()
    return Invited(token, invitation, row, ratee)


# --- reading (HR and the inspector) ---------------------------------------------------------------------

@dataclass(frozen=True)
class RaterLine:
    assignment: RaterAssignment
    ratee: Staff
    rater_name: str  # a staff member's name, or the recipient invitation's note
    group_name: str
    marks: dict[str, float]


def raters_of_quarter(db: Session, *, actor: Principal, year: int, quarter: int, department_id: int | None = None,
                      staff_id: int | None = None) -> list[RaterLine]:
    """Every active assignment of the quarter with its marks (who rated whom): HR and the inspector."""
    require_read(actor)
    _cycle(db, year, quarter)
    names = group_names(scheme_service.current(db, year=year))
    query = (select(RaterAssignment).join(Staff, RaterAssignment.ratee_id == Staff.id)
             .options(joinedload(RaterAssignment.ratee), joinedload(RaterAssignment.rater))
             .where(RaterAssignment.year == year, RaterAssignment.quarter == quarter, RaterAssignment.active.is_(True))
             .order_by(Staff.department_id, Staff.employee_no, RaterAssignment.group, RaterAssignment.id))
    if department_id is not None:
        query = query.where(Staff.department_id == department_id)
    if staff_id is not None:
        query = query.where(Staff.id == staff_id)
    rows = list(db.scalars(query))
    marks: dict[int, dict[str, float]] = {row.id: {} for row in rows}
    notes = dict(db.execute(select(Invitation.id, Invitation.note).where(
        Invitation.id.in_([r.invitation_id for r in rows if r.invitation_id is not None]))).all()) if rows else {}
    for start in range(0, len(rows), 500):
        ids = [row.id for row in rows[start:start + 500]]
        for assignment_id, code, mark in db.execute(select(Rating.assignment_id, Rating.indicator_code, Rating.mark)
                                                    .where(Rating.assignment_id.in_(ids))):
            marks[assignment_id][code] = mark
    return [RaterLine(row, row.ratee, row.rater.name if row.rater else (notes.get(row.invitation_id or 0) or
                                                                        t("ratings.recipient")),
                      names.get(row.group, row.group), marks[row.id]) for row in rows]


def get_assignment(db: Session, *, actor: Principal, year: int, quarter: int, assignment_id: int
                   ) -> RaterAssignment:
    """One active assignment of the quarter, for HR and the inspector."""
    require_read(actor)
    row = db.get(RaterAssignment, assignment_id, options=[joinedload(RaterAssignment.ratee),
                                                          joinedload(RaterAssignment.rater)])
    if row is None or not row.active or (row.year, row.quarter) != (year, quarter):
        raise NotFound(t("ratings.assignment_not_found"))
    return row


def quarters_to_manage(db: Session, *, actor: Principal) -> list[QuarterCycle]:
    """Every opened quarter, the newest first, for those who see who rates whom (else none)."""
    if not actor.can(Perm.ratings_read):
        return []
    return list(db.scalars(select(QuarterCycle).order_by(QuarterCycle.year.desc(), QuarterCycle.quarter.desc())))


def cycle_of(db: Session, year: int, quarter: int) -> QuarterCycle:
    """The quarter, or a Chinese 404 when it was never opened."""
    return _cycle(db, year, quarter)


def _cycle(db: Session, year: int, quarter: int) -> QuarterCycle:
    cycle = quarters.find_cycle(db, year, quarter)
    if cycle is None:
        raise NotFound(t("quarter.not_opened", label=label(year, quarter)))
    return cycle


@dataclass(frozen=True)
class GroupStatus:
    key: str
    name: str
    assigned: int
    submitted: int
    draft: int
    people_without: int  # active people with nobody of this group


def status(db: Session, *, actor: Principal, year: int, quarter: int) -> list[GroupStatus]:
    """Per rater group: forms assigned, submitted and in draft, and how many people have nobody of it."""
    require_read(actor)
    _cycle(db, year, quarter)
    names = group_names(scheme_service.current(db, year=year))
    counts: dict[tuple[str, RatingStatus], int] = {}
    covered: dict[str, int] = {}
    where = (RaterAssignment.year == year, RaterAssignment.quarter == quarter, RaterAssignment.active.is_(True))
    for group, state, count in db.execute(select(RaterAssignment.group, RaterAssignment.status, func.count())
                                          .where(*where).group_by(RaterAssignment.group, RaterAssignment.status)):
        counts[(group, state)] = count
    for group, people in db.execute(select(RaterAssignment.group, func.count(func.distinct(RaterAssignment.ratee_id)))
                                    .where(*where).group_by(RaterAssignment.group)):
        covered[group] = people
    active = db.scalar(select(func.count()).select_from(Staff).where(Staff.status == StaffStatus.active)) or 0
    out = []
    for key, name in names.items():
        assigned = sum(c for (g, _s), c in counts.items() if g == key)
        out.append(GroupStatus(key, name, assigned, counts.get((key, RatingStatus.submitted), 0),
                               counts.get((key, RatingStatus.draft), 0), max(0, active - covered.get(key, 0))))
    return out
