"""Use cases of written feedback (Q4): open (with the system's proposal), save a draft, sign, answer; the
leader's list; the personal appraisal file.

Who does what: the person's leader (their 分管领导, Staff.supervisor_id, or their department's leader) or HR
drafts and edits; only the leader signs; only the person acknowledges or comments. After signing nobody
edits: a new version would need HR to reopen it, which is not supported yet. Feedback is drafted once the
quarter is under review or closed and the person has a result.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.clock import local
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.feedback import drafting
from kaohe.feedback.models import ANSWERED, Feedback, FeedbackHistory, FeedbackStatus
from kaohe.feedback.schemas import AnswerIn, FeedbackDraft, SignIn
from kaohe.ledger import service as ledger_service
from kaohe.messages import t
from kaohe.org.models import Department, Staff
from kaohe.quarterly import results as quarter_results
from kaohe.quarterly.models import QuarterCycle, QuarterPhase
from kaohe.quarterly.result_models import QuarterResult
from kaohe.quarterly.service import find_cycle, phase_label, quarter_label

# Feedback follows the results: leaders see them from the review phase (kaohe.quarterly.results).
PHASES = (QuarterPhase.review, QuarterPhase.closed)
TEXTS = ("strengths", "weaknesses", "goals", "measures")
COMMENT_MIN = 2


@dataclass
class FeedbackView:
    """One person's feedback for a quarter as the actor may see and act on it."""

    staff: Staff
    year: int
    quarter: int
    result: QuarterResult
    feedback: Feedback | None
    texts: dict[str, str]  # what the form shows: the saved draft, or the system's proposal
    deadline: object
    digest: str  # SHA-256 of what would be (or was) signed
    may_edit: bool
    may_sign: bool
    may_answer: bool
    history: list[FeedbackHistory] = field(default_factory=list)

    @property
    def status(self) -> FeedbackStatus | None:
        return self.feedback.status if self.feedback else None


# --- who ---------------------------------------------------------------------------------------------------

def leads(actor: Principal, staff: Staff) -> bool:
    """The actor is the person's 分管领导 or their department's leader (never for themself)."""
    if actor.staff_id is None or actor.staff_id == staff.id:
        return False
    head = staff.department.leader_id if staff.department is not None else None
    return actor.staff_id in (staff.supervisor_id, head)


def may_draft(actor: Principal, staff: Staff) -> bool:
    if actor.staff_id is not None and actor.staff_id == staff.id:
        return False
    return leads(actor, staff) or actor.has_unit_scope(Perm.feedback_manage)


def may_read_file(actor: Principal, staff: Staff) -> bool:
    return (actor.staff_id == staff.id or leads(actor, staff) or actor.has_unit_scope(Perm.feedback_read))


def _staff(db: Session, staff_id: int) -> Staff:
    staff = db.scalar(select(Staff).options(joinedload(Staff.department)).where(Staff.id == staff_id))
    if staff is None:
        raise NotFound(t("feedback.not_found"))
    return staff


def _find(db: Session, staff_id: int, year: int, quarter: int) -> Feedback | None:
    return db.scalar(select(Feedback).where(Feedback.staff_id == staff_id, Feedback.year == year,
                                            Feedback.quarter == quarter))


def _result(db: Session, staff_id: int, year: int, quarter: int) -> QuarterResult | None:
    return db.scalar(select(QuarterResult).where(QuarterResult.staff_id == staff_id, QuarterResult.year == year,
                                                 QuarterResult.quarter == quarter))


def _ready(db: Session, staff: Staff, year: int, quarter: int) -> tuple[QuarterCycle, QuarterResult]:
    """The quarter (under review or closed) and the person's result, or a Chinese refusal."""
    label = quarter_label(year, quarter)
    cycle = find_cycle(db, year, quarter)
    if cycle is None:
        raise NotFound(t("quarter.not_opened", label=label))
    if cycle.phase not in PHASES:
        raise Conflict(t("feedback.wrong_phase", quarter=label, phase=phase_label(cycle.phase)))
    result = _result(db, staff.id, year, quarter)
    if result is None:
        raise NotFound(t("feedback.no_result", name=staff.name, quarter=label))
    return cycle, result


# --- reading -----------------------------------------------------------------------------------------------

def digest_of(staff: Staff, year: int, quarter: int, texts: dict[str, str], deadline: object) -> str:
    """SHA-256 of the text that is signed: the person, the quarter, the four texts and the deadline."""
    body = {"staff_id": staff.id, "employee_no": staff.employee_no, "name": staff.name, "year": year,
            "quarter": quarter, **{k: texts.get(k, "") for k in TEXTS},
            "deadline": deadline.isoformat() if deadline is not None else None}  # type: ignore[attr-defined]
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True,
                                     separators=(",", ":")).encode()).hexdigest()


def proposal_for(db: Session, staff: Staff, result: QuarterResult) -> drafting.Proposal:
    """The system's draft from the person's result and their department's results of the same quarter."""
    department = list(db.scalars(select(QuarterResult).join(Staff, QuarterResult.staff_id == Staff.id).where(
        QuarterResult.year == result.year, QuarterResult.quarter == result.quarter,
        Staff.department_id == staff.department_id)))
    scores = [r.quarterly_score for r in department if r.quarterly_score is not None]
    mean = drafting.two(sum(scores, Decimal(0)) / len(scores)) if scores else None
    return drafting.propose(result.breakdown or {}, [r.breakdown or {} for r in department],
                            quarter_results.leaf_names(db, result.year), flags=result.flags or [],
                            department_score=mean)


def open_feedback(db: Session, *, actor: Principal, year: int, quarter: int, staff_id: int) -> FeedbackView:
    """The feedback as the actor may see it: leaders and HR from the result on (with the proposal while
    nothing is saved), the inspector to read, the person once it is signed. Anyone else: not found."""
    staff = _staff(db, staff_id)
    drafter = may_draft(actor, staff)
    reader = drafter or actor.has_unit_scope(Perm.feedback_read)
    own = actor.staff_id == staff.id
    found = _find(db, staff.id, year, quarter)
    if not reader and not (own and found is not None and found.status is not FeedbackStatus.draft):
        raise NotFound(t("feedback.not_found"))
    if found is not None and found.status is not FeedbackStatus.draft:
        result = db.get(QuarterResult, found.result_id) if found.result_id else None
        result = result or _result(db, staff.id, year, quarter)
        if result is None:
            raise NotFound(t("feedback.not_found"))
    else:
        _cycle, result = _ready(db, staff, year, quarter)
    if found is None:
        texts = proposal_for(db, staff, result).texts()
        deadline = None
    else:
        texts = {k: getattr(found, k) for k in TEXTS}
        deadline = found.deadline
    status = found.status if found else None
    history = list(db.scalars(select(FeedbackHistory).where(FeedbackHistory.feedback_id == found.id)
                              .order_by(FeedbackHistory.id))) if found else []
    return FeedbackView(
        staff=staff, year=year, quarter=quarter, result=result, feedback=found, texts=texts, deadline=deadline,
        digest=found.signed_hash if found and found.signed_hash else digest_of(staff, year, quarter, texts, deadline),
        may_edit=drafter and status in (None, FeedbackStatus.draft),
        may_sign=leads(actor, staff) and status is FeedbackStatus.draft,
        may_answer=own and status is FeedbackStatus.signed, history=history)


# --- changing ----------------------------------------------------------------------------------------------

def _history(db: Session, *, row: Feedback, actor: Principal, before: str, reason: str,
             now: datetime) -> FeedbackHistory:
    entry = FeedbackHistory(feedback_id=row.id, from_status=before, to_status=row.status.value, reason=reason,
                            actor_id=actor.user_id, actor_name=actor.display_name, at=now)
    db.add(entry)
    return entry


def _snapshot(row: Feedback) -> dict[str, object]:
    return {"status": row.status.value, **{k: getattr(row, k) for k in TEXTS},
            "deadline": row.deadline.isoformat() if row.deadline else None}


def _minute(moment: datetime | None) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def save_draft(db: Session, *, actor: Principal, year: int, quarter: int, staff_id: int,
               draft_in: FeedbackDraft, now: datetime) -> Feedback:
    """Save the leader's (or HR's) draft; the first save creates the feedback from the system's proposal."""
    staff = _staff(db, staff_id)
    if actor.staff_id is not None and actor.staff_id == staff.id:
        raise Forbidden(t("feedback.not_own"))
    if not may_draft(actor, staff):
        if actor.has_unit_scope(Perm.feedback_read) or actor.may_see_staff(staff):
            raise Forbidden(t("feedback.not_leader"))
        raise NotFound(t("feedback.not_found"))
    row = _find(db, staff.id, year, quarter)
    if row is not None and row.status is not FeedbackStatus.draft:
        raise Conflict(t("feedback.signed_frozen", at=_minute(row.signed_at)))
    cycle, result = _ready(db, staff, year, quarter)
    if draft_in.deadline is not None and draft_in.deadline <= cycle.ends_on:
        raise Invalid(t("feedback.deadline_before", deadline=draft_in.deadline.isoformat(),
                        ends=cycle.ends_on.isoformat()))
    label = quarter_label(year, quarter)
    texts = draft_in.model_dump(include=set(TEXTS))
    if row is None:
        proposal = proposal_for(db, staff, result)
        row = Feedback(staff_id=staff.id, year=year, quarter=quarter, result_id=result.id,
                       status=FeedbackStatus.draft, proposal=proposal.as_json() | {"texts": proposal.texts()},
                       drafted_by=actor.user_id, drafted_name=actor.display_name, created_at=now, updated_at=now,
                       **texts, deadline=draft_in.deadline)
        row.edited = texts != proposal.texts()
        db.add(row)
        db.flush()
        _history(db, row=row, actor=actor, before="", reason=t("feedback.why.drafted"), now=now)
        audit.record(db, actor=actor, action="feedback.draft", entity_type="feedback", entity_id=row.id,
                     summary=t("feedback.audit_drafted", name=staff.name, quarter=label), after=_snapshot(row))
        return row
    before = _snapshot(row)
    for key, value in texts.items():
        setattr(row, key, value)
    row.deadline = draft_in.deadline
    row.result_id = result.id  # a recomputed quarter replaces the result rows
    row.edited = texts != row.proposal.get("texts", {})
    row.drafted_by, row.drafted_name, row.updated_at = actor.user_id, actor.display_name, now
    audit.record(db, actor=actor, action="feedback.save", entity_type="feedback", entity_id=row.id,
                 summary=t("feedback.audit_saved", name=staff.name, quarter=label), before=before,
                 after=_snapshot(row))
    db.flush()
    return row


def sign(db: Session, *, actor: Principal, year: int, quarter: int, staff_id: int, sign_in: SignIn,
         now: datetime) -> Feedback:
    """The leader's electronic signature: the text's hash, the time and the signer go to the ledger, and the
    feedback is final."""
    staff = _staff(db, staff_id)
    if not leads(actor, staff):
        if actor.staff_id is not None and actor.staff_id == staff.id:
            raise Forbidden(t("feedback.not_own"))
        if actor.has_unit_scope(Perm.feedback_read) or actor.may_see_staff(staff):
            raise Forbidden(t("feedback.only_leader_signs"))
        raise NotFound(t("feedback.not_found"))
    row = _find(db, staff.id, year, quarter)
    if row is None:
        _ready(db, staff, year, quarter)
        raise Conflict(t("feedback.not_draft_yet"))
    if row.status is not FeedbackStatus.draft:
        raise Conflict(t("feedback.signed_frozen", at=_minute(row.signed_at)))
    _ready(db, staff, year, quarter)
    missing = [t(f"field.{k}") for k in TEXTS if not getattr(row, k).strip()]
    if row.deadline is None:
        missing.append(t("field.feedback_draft.deadline"))
    if missing:
        raise Invalid(t("feedback.incomplete", fields="、".join(missing)))
    texts = {k: getattr(row, k) for k in TEXTS}
    digest = digest_of(staff, year, quarter, texts, row.deadline)
    if sign_in.digest and sign_in.digest != digest:
        raise Conflict(t("feedback.changed_meanwhile"))
    before = row.status.value
    row.status, row.signed_by, row.signed_name = FeedbackStatus.signed, actor.user_id, actor.display_name
    row.signed_at, row.signed_hash, row.updated_at = now, digest, now
    pending = ledger_service.append(db, kind="feedback.sign", at=now, payload={
        "feedback": row.id, "staff": staff.id, "employee_no": staff.employee_no, "year": year, "quarter": quarter,
        "sha256": digest, "by": actor.user_id, "by_name": actor.display_name,
        "deadline": row.deadline.isoformat()})
    row.ledger_seq = ledger_service.sealed_entry(db, pending).seq
    db.expunge(pending)  # chained and gone from its table: a later pending row may reuse its id
    _history(db, row=row, actor=actor, before=before, reason=t("feedback.why.signed", digest=digest[:12]), now=now)
    audit.record(db, actor=actor, action="feedback.sign", entity_type="feedback", entity_id=row.id,
                 summary=t("feedback.audit_signed", name=staff.name, quarter=quarter_label(year, quarter)),
                 before={"status": before}, after={"status": row.status.value, "signed_hash": digest})
    db.flush()
    return row


def answer(db: Session, *, actor: Principal, year: int, quarter: int, staff_id: int, answer_in: AnswerIn,
           now: datetime) -> Feedback:
    """The person acknowledges the signed feedback, or adds their own comment (有异议; still received)."""
    staff = _staff(db, staff_id)
    row = _find(db, staff.id, year, quarter)
    if actor.staff_id != staff.id:
        if may_draft(actor, staff) or actor.has_unit_scope(Perm.feedback_read):
            raise Forbidden(t("feedback.only_person_answers"))
        raise NotFound(t("feedback.not_found"))
    if row is None or row.status is FeedbackStatus.draft:
        raise NotFound(t("feedback.not_found"))
    if row.status in ANSWERED:
        raise Conflict(t("feedback.already_answered", at=_minute(row.answered_at)))
    if answer_in.action == "comment" and len(answer_in.comment) < COMMENT_MIN:
        raise Invalid(t("feedback.comment_required"))
    before = row.status.value
    disputed = answer_in.action == "comment"
    row.status = FeedbackStatus.disputed if disputed else FeedbackStatus.acknowledged
    row.comment = answer_in.comment if disputed else ""
    row.answered_at, row.updated_at = now, now
    _history(db, row=row, actor=actor, before=before,
             reason=row.comment if disputed else t("feedback.why.acknowledged"), now=now)
    label = quarter_label(year, quarter)
    audit.record(db, actor=actor, action="feedback.dispute" if disputed else "feedback.acknowledge",
                 entity_type="feedback", entity_id=row.id,
                 summary=t("feedback.audit_disputed" if disputed else "feedback.audit_acknowledged",
                           name=staff.name, quarter=label),
                 before={"status": before}, after={"status": row.status.value, "comment": row.comment})
    db.flush()
    return row


# --- lists -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListRow:
    staff: Staff
    result: QuarterResult
    feedback: Feedback | None


def people_of(db: Session, *, actor: Principal, year: int, quarter: int) -> list[ListRow]:
    """The quarter's results of the people whose feedback the actor drafts (HR: everyone; leaders: their
    people), in 工号 order, with their feedback if any. Empty before the quarter is under review."""
    cycle = find_cycle(db, year, quarter)
    if cycle is None or cycle.phase not in PHASES:
        return []
    stmt = (select(QuarterResult, Staff).join(Staff, QuarterResult.staff_id == Staff.id)
            .options(joinedload(Staff.department))
            .where(QuarterResult.year == year, QuarterResult.quarter == quarter).order_by(Staff.employee_no))
    if not actor.has_unit_scope(Perm.feedback_manage):
        if actor.staff_id is None:
            return []
        stmt = stmt.where(_led(actor.staff_id))
    rows = db.execute(stmt).all()
    feedback = {f.staff_id: f for f in db.scalars(select(Feedback).where(Feedback.year == year,
                                                                          Feedback.quarter == quarter))}
    return [ListRow(staff, result, feedback.get(staff.id)) for result, staff in rows if may_draft(actor, staff)]


def latest_quarter(db: Session) -> tuple[int, int] | None:
    """The latest quarter under review or closed that has results: the list's default."""
    row = db.execute(select(QuarterCycle.year, QuarterCycle.quarter).where(QuarterCycle.phase.in_(PHASES))
                     .where(select(QuarterResult.id).where(QuarterResult.year == QuarterCycle.year,
                                                           QuarterResult.quarter == QuarterCycle.quarter)
                            .exists())
                     .order_by(QuarterCycle.year.desc(), QuarterCycle.quarter.desc()).limit(1)).first()
    return (row[0], row[1]) if row else None


@dataclass(frozen=True)
class FileQuarter:
    year: int
    quarter: int
    label: str
    result: QuarterResult | None  # None: not shown to this reader yet
    notes: str
    feedback: Feedback | None  # drafts only for those who draft


def _result_shown(actor: Principal, cycle: QuarterCycle, staff: Staff) -> bool:
    """The rule of `kaohe.quarterly.results.results_of`, for one person (without loading the whole quarter):
    HR and the inspector always; others the people in their scope from the phase the quarter shows results
    in, a leader's own result only once the quarter is closed."""
    if actor.has_unit_scope(Perm.quarter_manage) or actor.can(Perm.audit_read):
        return True
    shown = quarter_results.SHOWN_FROM.get(cycle.phase)
    if shown is None or not actor.may_see_staff(staff):
        return False
    return not (shown == "leaders" and actor.staff_id == staff.id)


def file_of(db: Session, *, actor: Principal, staff_id: int) -> tuple[Staff, list[FileQuarter]]:
    """The personal appraisal file: every quarter with a result or feedback, latest first. Shown to the
    person, their leaders, HR and the inspector; anyone else finds nothing."""
    staff = _staff(db, staff_id)
    if not may_read_file(actor, staff):
        raise NotFound(t("feedback.not_found"))
    drafter = may_draft(actor, staff) or actor.has_unit_scope(Perm.feedback_read)
    results = {(r.year, r.quarter): r for r in db.scalars(select(QuarterResult).where(
        QuarterResult.staff_id == staff.id))}
    quarters = set(results)
    feedback = {(f.year, f.quarter): f for f in db.scalars(select(Feedback).where(Feedback.staff_id == staff.id))}
    quarters |= set(feedback)
    out: list[FileQuarter] = []
    names_by_year: dict[int, dict[str, str]] = {}
    for year, quarter in sorted(quarters, reverse=True):
        cycle = find_cycle(db, year, quarter)
        result = results.get((year, quarter)) if cycle is not None and _result_shown(actor, cycle, staff) else None
        notes = ""
        if result is not None:
            names = names_by_year.setdefault(year, quarter_results.leaf_names(db, year))
            notes = quarter_results.explain_flags(result, names)
        found = feedback.get((year, quarter))
        if found is not None and found.status is FeedbackStatus.draft and not drafter:
            found = None
        out.append(FileQuarter(year, quarter, quarter_label(year, quarter), result, notes, found))
    return staff, out


def _led(actor_staff_id: int) -> ColumnElement[bool]:
    """Staff whose 分管领导 or department leader the given person is (never themself)."""
    headed = select(Department.id).where(Department.leader_id == actor_staff_id)
    return and_(Staff.id != actor_staff_id,
                or_(Staff.supervisor_id == actor_staff_id, Staff.department_id.in_(headed)))


def owed_signatures(db: Session, *, actor: Principal) -> dict[tuple[int, int], int]:
    """(year, quarter) → how many of the actor's people have a result but no signed feedback, for the quarters
    under review or closed: one grouped query."""
    if actor.staff_id is None:
        return {}
    rows = db.execute(
        select(QuarterResult.year, QuarterResult.quarter, func.count())
        .join(Staff, QuarterResult.staff_id == Staff.id)
        .join(QuarterCycle, and_(QuarterCycle.year == QuarterResult.year, QuarterCycle.quarter == QuarterResult.quarter))
        .outerjoin(Feedback, and_(Feedback.staff_id == QuarterResult.staff_id, Feedback.year == QuarterResult.year,
                                  Feedback.quarter == QuarterResult.quarter))
        .where(QuarterCycle.phase.in_(PHASES), _led(actor.staff_id),
               or_(Feedback.id.is_(None), Feedback.status == FeedbackStatus.draft))
        .group_by(QuarterResult.year, QuarterResult.quarter)).all()
    return {(year, quarter): count for year, quarter, count in rows if count}


def awaiting_answer(db: Session, *, actor: Principal) -> list[Feedback]:
    """The actor's own signed feedback not yet acknowledged or commented."""
    if actor.staff_id is None:
        return []
    return list(db.scalars(select(Feedback).where(Feedback.staff_id == actor.staff_id,
                                                  Feedback.status == FeedbackStatus.signed)
                           .order_by(Feedback.year, Feedback.quarter)))


STATES = (None, *FeedbackStatus)


def counts_by_department(db: Session, *, year: int, quarter: int) -> list[tuple[str, int, dict[str | None, int]]]:
    """(department, people with a result, how many feedbacks in each state; None: not drafted), in the
    departments' order: what `kaohe feedback status` prints."""
    feedback = {f.staff_id: f.status for f in db.scalars(select(Feedback).where(Feedback.year == year,
                                                                                 Feedback.quarter == quarter))}
    rows = db.execute(select(Department.name, Department.id, QuarterResult.staff_id)
                      .join(Staff, QuarterResult.staff_id == Staff.id)
                      .join(Department, Staff.department_id == Department.id)
                      .where(QuarterResult.year == year, QuarterResult.quarter == quarter)
                      .order_by(Department.id)).all()
    out: dict[int, tuple[str, int, dict[str | None, int]]] = {}
    for name, department_id, staff_id in rows:
        _name, people, states = out.setdefault(department_id, (name, 0, dict.fromkeys(
            (s.value if s else None for s in STATES), 0)))
        state = feedback.get(staff_id)
        states[state.value if state else None] += 1
        out[department_id] = (name, people + 1, states)
    return list(out.values())
