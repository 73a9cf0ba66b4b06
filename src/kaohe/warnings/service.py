"""Use cases of quarterly warnings (Q5): raise them for a quarter in bulk, read them at the reader's scope,
mark one handled. Every status change writes its history row and an audit row in the same step.

Raising is idempotent: one row per person, quarter and kind. Evaluating a quarter again
- raises a warning that now triggers and has no row (待处理);
- updates the figures of a pending one whose figures changed;
- brings back to 待处理 one that had been withdrawn and triggers again;
- withdraws (已撤销) a pending one that no longer triggers: the row and its history stay.
A warning already handled (已处理) stays handled whatever a recomputation says: what was done was done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.errors import Forbidden, Invalid, NotFound
from kaohe.messages import t
from kaohe.metrics.models import MetricValue
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Staff
from kaohe.quarterly.result_models import QuarterResult
from kaohe.quarterly.service import quarter_label, require_open
from kaohe.scheme import service as scheme_service
from kaohe.scheme.models import Scheme
from kaohe.warnings import rules
from kaohe.warnings.models import QuarterWarning, WarningHistory, WarningStatus
from kaohe.warnings.rules import Kind

NOTE_MAX = 1000


@dataclass(frozen=True)
class EvaluateSummary:
    year: int
    quarter: int
    raised: int
    updated: int
    withdrawn: int
    reraised: int
    pending: int


def thresholds(scheme: Scheme) -> rules.Thresholds:
    w = scheme.quarterly.warnings
    return rules.Thresholds(satisfaction_indicator=w.satisfaction_indicator,
                            satisfaction_threshold=w.satisfaction_threshold,
                            satisfaction_quarters=w.satisfaction_quarters,
                            task_progress_indicator=w.task_progress_indicator,
                            task_progress_min=w.task_progress_min, score_drop_margin=w.score_drop_margin)


def kind_label(kind: str) -> str:
    return t(f"warnings.kind.{kind}")


def status_label(status: WarningStatus | str) -> str:
    return t(f"warnings.status.{WarningStatus(status).value}")


def _suggested(scheme: Scheme, kind: Kind) -> str:
    return str(getattr(scheme.quarterly.warnings.suggested_action, kind.value))


def _values(db: Session, code: str, pairs: list[tuple[int, int]]) -> dict[tuple[int, int, int], Decimal]:
    rows = db.execute(select(MetricValue.staff_id, MetricValue.year, MetricValue.quarter, MetricValue.value)
                      .where(MetricValue.indicator_code == code,
                             or_(*[and_(MetricValue.year == y, MetricValue.quarter == q) for y, q in pairs])))
    return {(staff_id, year, quarter): value for staff_id, year, quarter, value in rows}


def _scores(db: Session, year: int, quarter: int) -> dict[int, Decimal | None]:
    return dict(db.execute(select(QuarterResult.staff_id, QuarterResult.quarterly_score)
                           .where(QuarterResult.year == year, QuarterResult.quarter == quarter)).all())


def _history(db: Session, warning: QuarterWarning, actor: Principal | None, action: str, before: str,
             comment: str, now: datetime) -> None:
    db.add(WarningHistory(warning_id=warning.id, actor_id=actor.user_id if actor else None,
                          actor_name=actor.display_name if actor else t("warnings.system"), action=action,
                          from_status=before, to_status=warning.status.value, comment=comment, at=now))


def _audit(db: Session, warning: QuarterWarning, actor: Principal | None, action: str, name: str,
           before: dict[str, object] | None, after: dict[str, object] | None) -> None:
    audit.record(db, actor=actor, action=f"warning.{action}", entity_type="quarter_warning", entity_id=warning.id,
                 summary=t(f"warnings.audit_{action}", quarter=quarter_label(warning.year, warning.quarter),
                           name=name, kind=kind_label(warning.kind)), before=before, after=after)


def evaluate_quarter(db: Session, *, year: int, quarter: int, now: datetime,
                     actor: Principal | None = None) -> EvaluateSummary:
    """Raise, update or withdraw the quarter's warnings for every active person, by the year's scheme rules.
    Runs after every computation of the quarter (`kaohe.quarterly.results.compute_quarter`)."""
    if actor is not None and not actor.can(Perm.quarter_manage):
        raise Forbidden(t("common.forbidden"))
    require_open(db, year, quarter)
    scheme = scheme_service.current(db, year=year)
    per_year = scheme.cycle.quarters
    limits = thresholds(scheme)
    people = dict(db.execute(select(Staff.id, Staff.name).where(Staff.status == StaffStatus.active)).all())
    run = rules.run_of(year, quarter, limits.satisfaction_quarters, per_year)
    previous = rules.previous_quarter(year, quarter, per_year)
    progress = {staff_id: value for (staff_id, _y, _q), value in
                _values(db, limits.task_progress_indicator, [(year, quarter)]).items()}
    raised = rules.evaluate(year=year, quarter=quarter, per_year=per_year, rules=limits,
                            satisfaction=_values(db, limits.satisfaction_indicator, run), progress=progress,
                            scores=_scores(db, year, quarter), previous_scores=_scores(db, *previous),
                            people=list(people))
    wanted = {(r.staff_id, r.kind.value): r for r in raised}
    existing = {(w.staff_id, w.kind): w for w in db.scalars(
        select(QuarterWarning).where(QuarterWarning.year == year, QuarterWarning.quarter == quarter))}
    label = quarter_label(year, quarter)
    counts = dict.fromkeys(("raised", "updated", "withdrawn", "reraised"), 0)

    fresh = [QuarterWarning(staff_id=r.staff_id, year=year, quarter=quarter, kind=r.kind.value,
                            status=WarningStatus.pending, figures=r.figures,
                            suggested_action=_suggested(scheme, r.kind), raised_at=now, updated_at=now)
             for key, r in wanted.items() if key not in existing]
    db.add_all(fresh)
    db.flush()  # one batch: the new rows' ids for their history
    for warning in fresh:
        _history(db, warning, actor, "raise", "", t("warnings.why_raised", quarter=label), now)
        _audit(db, warning, actor, "raise", people[warning.staff_id], None,
               {"status": warning.status.value, "figures": warning.figures})
    counts["raised"] = len(fresh)

    for key, warning in existing.items():
        hit = wanted.get(key)
        name = people.get(warning.staff_id, "")
        before = warning.status.value
        if warning.status is WarningStatus.handled:
            continue
        if hit is None:
            if warning.status is WarningStatus.pending:
                warning.status, warning.updated_at = WarningStatus.withdrawn, now
                _history(db, warning, actor, "withdraw", before, t("warnings.why_withdrawn", quarter=label), now)
                _audit(db, warning, actor, "withdraw", name, {"status": before}, {"status": warning.status.value})
                counts["withdrawn"] += 1
            continue
        old_figures = warning.figures
        if warning.status is WarningStatus.withdrawn:
            warning.status, warning.figures, warning.updated_at = WarningStatus.pending, hit.figures, now
            warning.suggested_action = _suggested(scheme, hit.kind)
            _history(db, warning, actor, "reraise", before, t("warnings.why_reraised", quarter=label), now)
            _audit(db, warning, actor, "reraise", name, {"status": before, "figures": old_figures},
                   {"status": warning.status.value, "figures": hit.figures})
            counts["reraised"] += 1
        elif old_figures != hit.figures:
            warning.figures, warning.updated_at = hit.figures, now
            _history(db, warning, actor, "update", before, t("warnings.why_updated"), now)
            _audit(db, warning, actor, "update", name, {"figures": old_figures}, {"figures": hit.figures})
            counts["updated"] += 1
    db.flush()
    pending = db.scalar(select(func.count()).select_from(QuarterWarning).where(
        QuarterWarning.year == year, QuarterWarning.quarter == quarter,
        QuarterWarning.status == WarningStatus.pending)) or 0
    return EvaluateSummary(year, quarter, pending=pending, **counts)


# --- reading ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    year: int | None = None
    quarter: int | None = None
    kind: str | None = None
    status: str | None = None
    department_id: int | None = None


def check_filters(*, kind: str | None, status: str | None) -> None:
    if kind and kind not in {k.value for k in Kind}:
        raise Invalid(t("warnings.bad_kind", text=kind[:20]))
    if status and status not in {s.value for s in WarningStatus}:
        raise Invalid(t("warnings.bad_status", text=status[:20]))


def _visible(actor: Principal) -> Select[tuple[QuarterWarning]]:
    return (select(QuarterWarning).join(Staff, QuarterWarning.staff_id == Staff.id)
            .options(joinedload(QuarterWarning.staff).joinedload(Staff.department))
            .where(actor.staff_filter(Perm.warnings_read)))


def list_warnings(db: Session, *, actor: Principal, filters: Filters = Filters()) -> list[QuarterWarning]:
    """The warnings the actor may see (HR and the inspector all, a leader their people's, everyone their
    own), newest quarter first, pending first, then by 工号."""
    check_filters(kind=filters.kind, status=filters.status)
    stmt = _visible(actor)
    if filters.year is not None:
        stmt = stmt.where(QuarterWarning.year == filters.year)
    if filters.quarter is not None:
        stmt = stmt.where(QuarterWarning.quarter == filters.quarter)
    if filters.kind:
        stmt = stmt.where(QuarterWarning.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(QuarterWarning.status == WarningStatus(filters.status))
    if filters.department_id is not None:
        stmt = stmt.where(Staff.department_id == filters.department_id)
    order = {WarningStatus.pending: 0, WarningStatus.handled: 1, WarningStatus.withdrawn: 2}
    rows = list(db.scalars(stmt))
    rows.sort(key=lambda w: (-w.year, -w.quarter, order[w.status], w.staff.employee_no, w.kind))
    return rows


def get_warning(db: Session, *, actor: Principal, warning_id: int) -> QuarterWarning:
    """The warning if the actor may see its person; otherwise not found (its existence stays secret)."""
    found = db.scalar(_visible(actor).where(QuarterWarning.id == warning_id))
    if found is None:
        raise NotFound(t("warnings.not_found"))
    return found


def history_of(db: Session, warning: QuarterWarning) -> list[WarningHistory]:
    return list(db.scalars(select(WarningHistory).where(WarningHistory.warning_id == warning.id)
                           .order_by(WarningHistory.at, WarningHistory.id)))


def may_handle(actor: Principal, warning: QuarterWarning) -> bool:
    """HR, or the person's own 分管领导; never about oneself; only while pending."""
    return (warning.status is WarningStatus.pending and warning.staff_id != actor.staff_id
            and _handles(actor, warning.staff))


def _handles(actor: Principal, staff: Staff) -> bool:
    if actor.has_unit_scope(Perm.warnings_handle):
        return True
    return actor.can(Perm.warnings_handle) and actor.staff_id is not None and staff.supervisor_id == actor.staff_id


def handle(db: Session, *, actor: Principal, warning_id: int, note: str, now: datetime) -> QuarterWarning:
    """HR or the person's leader marks a pending warning handled, saying what was done (required)."""
    if not actor.can(Perm.warnings_handle):
        raise Forbidden(t("common.forbidden"))
    warning = get_warning(db, actor=actor, warning_id=warning_id)
    if warning.staff_id == actor.staff_id:
        raise Forbidden(t("warnings.not_own"))
    if not _handles(actor, warning.staff):
        raise Forbidden(t("warnings.not_yours", name=warning.staff.name))
    if warning.status is not WarningStatus.pending:
        raise Invalid(t("warnings.not_pending", status=status_label(warning.status)))
    text = (note or "").strip()
    if len(text) < 2:
        raise Invalid(t("warnings.note_required"))
    if len(text) > NOTE_MAX:
        raise Invalid(t("warnings.note_too_long", max=NOTE_MAX))
    before = warning.status.value
    warning.status, warning.note = WarningStatus.handled, text
    warning.handled_by, warning.handled_at, warning.updated_at = actor.user_id, now, now
    _history(db, warning, actor, "handle", before, text, now)
    _audit(db, warning, actor, "handle", warning.staff.name, {"status": before},
           {"status": warning.status.value, "note": text})
    db.flush()
    return warning


def pending_for(db: Session, actor: Principal) -> tuple[int, tuple[int, int] | None]:
    """How many pending warnings the actor may handle (HR all, a leader their people's), and the oldest
    quarter among them: what the 待办 counts."""
    if not actor.can(Perm.warnings_handle):
        return 0, None
    stmt = (select(func.count(), func.min(QuarterWarning.year * 100 + QuarterWarning.quarter))
            .select_from(QuarterWarning).join(Staff, QuarterWarning.staff_id == Staff.id)
            .where(QuarterWarning.status == WarningStatus.pending))
    if not actor.has_unit_scope(Perm.warnings_handle):
        if actor.staff_id is None:
            return 0, None
        stmt = stmt.where(Staff.supervisor_id == actor.staff_id, Staff.id != actor.staff_id)
    count, oldest = db.execute(stmt).one()
    return int(count or 0), (divmod(int(oldest), 100) if oldest else None)


# --- showing ------------------------------------------------------------------------------------------

def number(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return f"{number:.2f}".rstrip("0").rstrip(".") if number != int(number) else str(int(number))


def code_label(code: str) -> str:
    year, _, quarter = code.partition("-Q")
    return quarter_label(int(year), int(quarter))


def explain(warning: QuarterWarning, names: dict[str, str]) -> str:
    """What triggered the warning, in Chinese, from its stored figures."""
    f = warning.figures or {}
    quarters = f.get("quarters", [])
    if warning.kind == Kind.satisfaction:
        values = "、".join(t("warnings.explain.value", quarter=code_label(q["quarter"]), value=number(q["value"]))
                          for q in quarters)
        return t("warnings.explain.satisfaction", indicator=names.get(f.get("indicator", ""), f.get("indicator", "")),
                 count=len(quarters), threshold=number(f.get("threshold", 0)), values=values)
    if warning.kind == Kind.task_progress:
        value = quarters[-1]["value"] if quarters else 0
        return t("warnings.explain.task_progress", indicator=names.get(f.get("indicator", ""), f.get("indicator", "")),
                 value=number(value), minimum=number(f.get("minimum", 0)))
    before, after = (quarters[0]["value"], quarters[-1]["value"]) if len(quarters) == 2 else (0, 0)
    return t("warnings.explain.score_drop", before=number(before), after=number(after),
             drop=number(f.get("drop", 0)), margin=number(f.get("margin", 0)))


def indicator_names(db: Session, years: set[int]) -> dict[str, str]:
    """Chinese names of the indicators the shown warnings name."""
    from kaohe.quarterly.results import leaf_names

    names: dict[str, str] = {}
    for year in sorted(years):
        names.update({k: v for k, v in leaf_names(db, year).items() if k not in names})
    return names
