"""Use cases of quarterly cycles (Q1, Q6): HR opens a year's quarters, moves each through its phases
(数据采集 → 评价 → 审核 → 已结束) against working-day deadlines, and reopens a closed one with a reason.
Every change writes its history row, an audit row and a ledger entry in the caller's transaction.

Other features call `require_open` (or `require_phase`) before changing anything of a quarter: a closed
quarter is frozen."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.calendar import service as calendar_service
from kaohe.calendar.workdays import CalendarError, WorkCalendar
from kaohe.clock import today as local_today
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.ledger import service as ledger_service
from kaohe.messages import t
from kaohe.quarterly import phases
from kaohe.quarterly.models import TIMED, PhaseRun, QuarterCycle, QuarterPhase, QuarterTransition
from kaohe.quarterly.owed import Owed, owed
from kaohe.scheme import service as scheme_service
from kaohe.scheme.models import Scheme

REASON_MAX = 500
FIRST_YEAR, LAST_YEAR = 2000, 2100
# 2026Q3, 2026-Q3, 2026 q3, 2026年第三季度, 2026年第3季度
_CODE = re.compile(r"^\s*(\d{4})\s*[-_/ ]?\s*[Qq]\s*(\d{1,2})\s*$")
_CHINESE = re.compile(r"^\s*(\d{4})\s*年\s*第?\s*([1-9一二三四五六七八九十]|十[一二])\s*(?:季度|期)?\s*$")
_NUMERALS = "一二三四五六七八九十"


def phase_label(phase: QuarterPhase | str) -> str:
    return t(f"quarter.phase.{QuarterPhase(phase).value}")


def quarter_label(year: int, quarter: int) -> str:
    """2026年第三季度."""
    return t("quarter.label", year=year, quarter=_NUMERALS[quarter - 1] if 1 <= quarter <= 10 else quarter)


def parse_quarter(text: str) -> tuple[int, int]:
    """(2026, 3) from 2026Q3, 2026-Q3 or 2026年第三季度; a Chinese refusal naming the text otherwise."""
    match = _CODE.match(text or "")
    if match:
        year, quarter = int(match[1]), int(match[2])
    else:
        match = _CHINESE.match(text or "")
        if match is None:
            raise Invalid(t("quarter.bad_quarter", text=(text or "").strip()[:40]))
        year = int(match[1])
        word = match[2]
        quarter = int(word) if word.isdigit() else (10 + _NUMERALS.index(word[1]) + 1 if len(word) == 2
                                                     else _NUMERALS.index(word) + 1)
    if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= quarter <= 12:
        raise Invalid(t("quarter.bad_quarter", text=text.strip()[:40]))
    return year, quarter


def _require_manage(actor: Principal) -> None:
    if not actor.can(Perm.quarter_manage):
        raise Forbidden(t("common.forbidden"))


def _require_read(actor: Principal) -> None:
    if not actor.can(Perm.quarter_read):
        raise Forbidden(t("common.forbidden"))


def working_days(scheme: Scheme, phase: QuarterPhase) -> int:
    """The scheme's duration of a timed phase (Q6: data collection within 5 working days). A limit
    written in hours counts one working day per started 24 hours."""
    limit = {QuarterPhase.collection: scheme.deadlines.data_collection, QuarterPhase.rating: scheme.deadlines.rating,
             QuarterPhase.review: scheme.deadlines.review}[phase]
    if limit.working_days is not None:
        return int(limit.working_days)
    return max(1, -(-int(limit.hours or 0) // 24))


# --- reading ------------------------------------------------------------------------------------------

def find_cycle(db: Session, year: int, quarter: int) -> QuarterCycle | None:
    return db.scalar(select(QuarterCycle).where(QuarterCycle.year == year, QuarterCycle.quarter == quarter))


def get_cycle(db: Session, *, actor: Principal, year: int, quarter: int) -> QuarterCycle:
    """The quarter, for those who may see the quarters; a Chinese 404 when it was never opened."""
    _require_read(actor)
    cycle = find_cycle(db, year, quarter)
    if cycle is None:
        raise NotFound(t("quarter.not_opened", label=quarter_label(year, quarter)))
    return cycle


def list_cycles(db: Session, *, actor: Principal) -> list[QuarterCycle]:
    """Every opened quarter, the newest year first."""
    _require_read(actor)
    return list(db.scalars(select(QuarterCycle).order_by(QuarterCycle.year.desc(), QuarterCycle.quarter)))


def runs_of(db: Session, cycle: QuarterCycle) -> dict[QuarterPhase, PhaseRun]:
    """The latest run of each phase the quarter has started."""
    out: dict[QuarterPhase, PhaseRun] = {}
    for run in db.scalars(select(PhaseRun).where(PhaseRun.cycle_id == cycle.id).order_by(PhaseRun.id)):
        out[run.phase] = run
    return out


def history(db: Session, cycle: QuarterCycle) -> list[QuarterTransition]:
    """Every phase change of the quarter, the latest first."""
    return list(db.scalars(select(QuarterTransition).where(QuarterTransition.cycle_id == cycle.id)
                           .order_by(QuarterTransition.id.desc())))


def current_run(db: Session, cycle: QuarterCycle) -> PhaseRun | None:
    if cycle.phase not in TIMED:
        return None
    return runs_of(db, cycle).get(cycle.phase)


@dataclass(frozen=True)
class Standing:
    """Where the quarter's current phase stands against its deadline today."""

    run: PhaseRun | None
    standing: phases.Standing | None
    error: str = ""  # the calendar could not answer (a year nobody loaded)

    @property
    def due_soon(self) -> bool:
        return self.standing is not None and not self.standing.is_overdue and self.standing.left <= DUE_SOON

    @property
    def overdue(self) -> bool:
        return self.standing is not None and self.standing.is_overdue


# HR is reminded of a phase due within this many working days (or overdue).
DUE_SOON = 2


def standing_of(calendar: WorkCalendar, run: PhaseRun | None, today: date) -> Standing:
    if run is None or run.deadline is None:
        return Standing(run, None)
    try:
        return Standing(run, phases.standing(calendar, deadline=run.deadline, today=today))
    except CalendarError as exc:
        return Standing(run, None, exc.message)


def require_open(db: Session, year: int, quarter: int) -> QuarterCycle:
    """The quarter, if it was opened and is not closed: what every change of a quarter's data calls
    first (a closed quarter is frozen until HR reopens it)."""
    cycle = find_cycle(db, year, quarter)
    if cycle is None:
        raise NotFound(t("quarter.not_opened", label=quarter_label(year, quarter)))
    if cycle.phase is QuarterPhase.closed:
        raise Conflict(t("quarter.frozen", label=quarter_label(year, quarter)))
    return cycle


def require_phase(db: Session, year: int, quarter: int, *allowed: QuarterPhase) -> QuarterCycle:
    """The open quarter, if it is in one of the `allowed` phases (ratings only while rating, …)."""
    cycle = require_open(db, year, quarter)
    if allowed and cycle.phase not in allowed:
        raise Conflict(t("quarter.wrong_phase", label=quarter_label(year, quarter),
                         phase=phase_label(cycle.phase), allowed="、".join(phase_label(p) for p in allowed)))
    return cycle


# --- changing -----------------------------------------------------------------------------------------

def _history(db: Session, *, cycle: QuarterCycle, actor: Principal, action: str, before: str,
             reason: str, now: datetime) -> QuarterTransition:
    row = QuarterTransition(cycle_id=cycle.id, action=action, from_phase=before, to_phase=cycle.phase.value,
                            reason=reason, actor_id=actor.user_id, actor_name=actor.display_name, at=now)
    db.add(row)
    ledger_service.append(db, kind="quarter.phase", at=now, payload={
        "cycle": cycle.id, "year": cycle.year, "quarter": cycle.quarter, "action": action, "from": before,
        "to": cycle.phase.value, "by": actor.user_id, "by_name": actor.display_name, "reason": reason})
    return row


def _reason(text: str | None, *, required: bool) -> str:
    reason = (text or "").strip()
    if required and len(reason) < 2:
        raise Invalid(t("quarter.reason_required"))
    if len(reason) > REASON_MAX:
        raise Invalid(t("quarter.reason_too_long", max=REASON_MAX))
    return reason


def open_year(db: Session, *, actor: Principal, year: int, now: datetime) -> list[QuarterCycle]:
    """Open an appraisal year: one quarter per the year's scheme (`cycle.quarters`), each not started."""
    _require_manage(actor)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(t("quarter.year_out_of_range", year=year, first=FIRST_YEAR, last=LAST_YEAR))
    if db.scalar(select(QuarterCycle.id).where(QuarterCycle.year == year).limit(1)) is not None:
        raise Conflict(t("quarter.year_already_open", year=year))
    scheme = scheme_service.current(db, year=year)
    version = scheme_service.current_version(db, year=year)
    made = []
    for period in phases.periods(year, scheme.cycle.quarters):
        cycle = QuarterCycle(year=year, quarter=period.quarter, starts_on=period.starts_on,
                             ends_on=period.ends_on, phase=QuarterPhase.pending,
                             scheme_version=version.version if version else None, opened_by=actor.user_id,
                             opened_at=now, updated_at=now)
        db.add(cycle)
        db.flush()
        _history(db, cycle=cycle, actor=actor, action="open", before="", reason="", now=now)
        made.append(cycle)
    audit.record(db, actor=actor, action="quarter.open", entity_type="quarter_cycle", entity_id=year,
                 summary=t("quarter.audit_open", year=year, count=len(made)),
                 after={"year": year, "count": len(made),
                        "scheme_version": version.version if version else None})
    db.flush()
    return made


def advance(db: Session, *, actor: Principal, year: int, quarter: int, now: datetime,
            reason: str | None = None, expected: QuarterPhase | None = None) -> QuarterCycle:
    """Move the quarter into its next phase; a timed phase gets its start and working-day deadline.

    `expected` is the phase the person saw when they asked: if someone moved the quarter meanwhile, the
    request is refused rather than skipping a phase."""
    _require_manage(actor)
    cycle = get_cycle(db, actor=actor, year=year, quarter=quarter)
    label = quarter_label(year, quarter)
    if cycle.phase is QuarterPhase.closed:
        raise Conflict(t("quarter.already_closed", label=label))
    if expected is not None and expected is not cycle.phase:
        raise Conflict(t("quarter.moved_meanwhile", label=label, phase=phase_label(cycle.phase)))
    text = _reason(reason, required=False)
    target = phases.next_phase(cycle.phase)
    assert target is not None
    before = cycle.phase
    runs = runs_of(db, cycle)
    run = None
    if target in TIMED:
        scheme = scheme_service.current(db, year=year)
        days = working_days(scheme, target)
        window = phases.window(calendar_service.load_calendar(db), phase=target, quarter_ends_on=cycle.ends_on,
                               today=local_today(now), working_days=days)
        run = PhaseRun(cycle_id=cycle.id, phase=target, starts_on=window.starts_on, deadline=window.deadline,
                       working_days=days, started_by=actor.user_id, started_at=now)
        db.add(run)
    if before in runs:
        runs[before].ended_at = now
    cycle.phase = target
    cycle.updated_at = now
    db.flush()
    _history(db, cycle=cycle, actor=actor, action="advance", before=before.value, reason=text, now=now)
    after: dict[str, object] = {"phase": target.value}
    if run is not None:
        after |= {"starts_on": run.starts_on.isoformat(), "deadline": run.deadline.isoformat() if run.deadline
                  else None}
    audit.record(db, actor=actor, action="quarter.advance", entity_type="quarter_cycle", entity_id=cycle.id,
                 summary=t("quarter.audit_advance", label=label, before=phase_label(before),
                           after=phase_label(target)),
                 before={"phase": before.value}, after=after)
    db.flush()
    return cycle


def reopen(db: Session, *, actor: Principal, year: int, quarter: int, reason: str | None, now: datetime
           ) -> QuarterCycle:
    """Reopen a closed quarter for review again: HR only, with a reason, and a new review deadline."""
    _require_manage(actor)
    cycle = get_cycle(db, actor=actor, year=year, quarter=quarter)
    label = quarter_label(year, quarter)
    if cycle.phase is not QuarterPhase.closed:
        raise Conflict(t("quarter.reopen_not_closed", label=label, phase=phase_label(cycle.phase)))
    text = _reason(reason, required=True)
    scheme = scheme_service.current(db, year=year)
    days = working_days(scheme, QuarterPhase.review)
    window = phases.window(calendar_service.load_calendar(db), phase=QuarterPhase.review,
                           quarter_ends_on=cycle.ends_on, today=local_today(now), working_days=days)
    run = PhaseRun(cycle_id=cycle.id, phase=QuarterPhase.review, starts_on=window.starts_on,
                   deadline=window.deadline, working_days=days, started_by=actor.user_id, started_at=now)
    db.add(run)
    cycle.phase = QuarterPhase.review
    cycle.updated_at = now
    db.flush()
    _history(db, cycle=cycle, actor=actor, action="reopen", before=QuarterPhase.closed.value, reason=text, now=now)
    audit.record(db, actor=actor, action="quarter.reopen", entity_type="quarter_cycle", entity_id=cycle.id,
                 summary=t("quarter.audit_reopen", label=label, reason=text),
                 before={"phase": QuarterPhase.closed.value},
                 after={"phase": QuarterPhase.review.value, "deadline": window.deadline.isoformat(),
                        "reason": text})
    db.flush()
    return cycle


# --- what the pages and the API show ------------------------------------------------------------------

@dataclass(frozen=True)
class CycleView:
    cycle: QuarterCycle
    label: str
    phase_label: str
    standing: Standing

    @property
    def run(self) -> PhaseRun | None:
        return self.standing.run


@dataclass(frozen=True)
class CycleDetail(CycleView):
    runs: dict[QuarterPhase, PhaseRun]
    history: list[QuarterTransition]
    owed: dict[QuarterPhase, list[Owed]]


def _calendar(db: Session) -> WorkCalendar:
    return calendar_service.load_calendar(db)


def _view(db: Session, cycle: QuarterCycle, calendar: WorkCalendar, today: date,
          runs: dict[QuarterPhase, PhaseRun] | None = None) -> CycleView:
    runs = runs_of(db, cycle) if runs is None else runs
    run = runs.get(cycle.phase) if cycle.phase in TIMED else None
    return CycleView(cycle, quarter_label(cycle.year, cycle.quarter), phase_label(cycle.phase),
                     standing_of(calendar, run, today))


def overview(db: Session, *, actor: Principal, now: datetime) -> list[CycleView]:
    """Every opened quarter with its phase and where its deadline stands today."""
    cycles = list_cycles(db, actor=actor)
    if not cycles:
        return []
    calendar, day = _calendar(db), local_today(now)
    runs: dict[int, dict[QuarterPhase, PhaseRun]] = {c.id: {} for c in cycles}
    for run in db.scalars(select(PhaseRun).where(PhaseRun.cycle_id.in_(list(runs))).order_by(PhaseRun.id)):
        runs[run.cycle_id][run.phase] = run
    return [_view(db, c, calendar, day, runs[c.id]) for c in cycles]


def detail(db: Session, *, actor: Principal, year: int, quarter: int, now: datetime) -> CycleDetail:
    """One quarter: its phases' dates, its history and what each phase still owes, by whom."""
    cycle = get_cycle(db, actor=actor, year=year, quarter=quarter)
    runs = runs_of(db, cycle)
    view = _view(db, cycle, _calendar(db), local_today(now), runs)
    return CycleDetail(view.cycle, view.label, view.phase_label, view.standing, runs=runs,
                       history=history(db, cycle), owed=owed(db, cycle=cycle, actor=actor))
