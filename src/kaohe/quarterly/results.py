"""Compute a quarter (R6): load the whole unit in bulk, score it in one pass of the pure engine
(`kaohe.scoring.quarterly`), write the results back. Also: reading results with data scope, and the export.

The inputs: every active person's post (their indicator tree and level target), the quarter's metric values
(`kaohe.metrics`), the submitted ratings' means and counts per leaf and rater group (`kaohe.ratings`), and the
daily-record tallies (`kaohe.records.scores`). Every rule, weight and policy comes from the year's scheme.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, joinedload

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal, Scope
from kaohe.errors import Forbidden, Invalid, NotFound
from kaohe.messages import t
from kaohe.metrics.models import MetricValue
from kaohe.org.models import Department, Staff
from kaohe.quarterly.history import parse_history
from kaohe.quarterly.models import QuarterPhase
from kaohe.quarterly.result_models import QuarterResult, QuarterResultRun
from kaohe.quarterly.service import find_cycle, quarter_label, require_phase
from kaohe.ratings.results import ratings_for_quarter
from kaohe.records.scores import quarter_tallies
from kaohe.scheme import service as scheme_service
from kaohe.scoring.quarterly import score_quarter
from kaohe.scoring.quarterly_from_scheme import Post, RecordTally, forest, quarter_inputs, quarter_setup
from kaohe.warnings.service import evaluate_quarter

MAX_SHOWN_ERRORS = 200  # a refused file lists at most this many problems (the count says how many in all)
# A quarter is computed once its metrics and ratings are in (review), and may be recomputed until it closes.
COMPUTABLE = (QuarterPhase.rating, QuarterPhase.review)
# Besides HR and the inspector, people see results once the quarter is under review (their leaders, to
# prepare feedback) or closed (everyone, their own).
SHOWN_FROM = {QuarterPhase.review: "leaders", QuarterPhase.closed: "everyone"}


@dataclass(frozen=True)
class ComputeSummary:
    year: int
    quarter: int
    people: int
    changed: int
    flagged: int
    digest: str


def _code(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def two_places(value: float | None) -> Decimal | None:
    """A score as stored and shown: to the hundredth, half up; None for a value not judged (None or NaN)."""
    if value is None or value != value:
        return None
    return Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def compute_quarter(db: Session, *, actor: Principal, year: int, quarter: int, now: datetime) -> ComputeSummary:
    """Score every active person of the unit for the quarter in one pass and store the results (replacing
    the quarter's earlier ones). Refused for a quarter not in its rating or review phase."""
    if not actor.can(Perm.quarter_manage):
        raise Forbidden(t("common.forbidden"))
    require_phase(db, year, quarter, *COMPUTABLE)
    version = scheme_service.current_version(db, year=year)
    scheme = scheme_service.scheme_of(version) if version else scheme_service.current(db, year=year)
    scheme_hash = version.sha256 if version else scheme_service.sha256(scheme_service.default_text(year))
    code = _code(year, quarter)

    tallies = quarter_tallies(db, code, subject=(Staff.id, Staff.level, Staff.post_category, Staff.department_id,
                                                  Staff.post_name))
    departments = dict(db.execute(select(Department.id, Department.code)).all())
    people = [(row[0], Post(level=row[1], category=row[2], department=departments.get(row[3]), post=row[4]))
              for row in tallies]
    records = {row[0]: RecordTally(submitted=row[5], confirmed=row[6], returned=row[7], late=row[8],
                                   mean_mark=float(row[9]) if row[9] is not None else None)
               for row in tallies if row[5]}
    active = {person_id for person_id, _post in people}
    setup = quarter_setup(scheme)
    known = set(setup.quantitative_index)
    values = [(staff_id, leaf, float(value)) for staff_id, leaf, value in db.execute(
        select(MetricValue.staff_id, MetricValue.indicator_code, MetricValue.value)
        .where(MetricValue.year == year, MetricValue.quarter == quarter))
        if staff_id in active and leaf in known]
    qualitative = set(setup.qualitative_index)
    ratings = [r for r in ratings_for_quarter(db, year, quarter) if r[0] in active and r[1] in qualitative]
    results = score_quarter(quarter_inputs(setup, scheme_hash=scheme_hash, people=people, values=values,
                                           ratings=ratings, records=records))

    before = dict(db.execute(select(QuarterResult.staff_id, QuarterResult.inputs_hash)
                             .where(QuarterResult.year == year, QuarterResult.quarter == quarter)).all())
    hashes = results.inputs_hash
    digest = hashlib.sha256("\n".join(hashes).encode()).hexdigest()
    changed = sum(1 for person_id, h in zip(results.person_ids, hashes, strict=True) if before.get(person_id) != h)
    run = QuarterResultRun(year=year, quarter=quarter, people=len(hashes), changed=changed,
                           scheme_version=version.version if version else None, scheme_hash=scheme_hash,
                           digest=digest, actor_id=actor.user_id, actor_name=actor.display_name, at=now)
    db.add(run)
    db.flush()
    db.execute(delete(QuarterResult).where(QuarterResult.year == year, QuarterResult.quarter == quarter))
    breakdowns = results.breakdowns()
    record, indicator = results.record_score.tolist(), results.indicator_score.tolist()
    total = results.quarterly_score.tolist()
    flags = [results.flag_names(i) for i in range(len(hashes))]
    if hashes:
        db.execute(insert(QuarterResult.__table__), [
            {"staff_id": person_id, "year": year, "quarter": quarter, "record_score": two_places(record[i]),
             "indicator_score": two_places(indicator[i]), "quarterly_score": two_places(total[i]),
             "record_weight": two_places(results.record_weight), "flags": list(flags[i]), "breakdown": breakdowns[i],
             "scheme_version": run.scheme_version, "scheme_hash": scheme_hash, "inputs_hash": hashes[i],
             "run_id": run.id, "computed_at": now, "origin": "computed"}
            for i, person_id in enumerate(results.person_ids)])
    flagged = sum(1 for f in flags if f)
    evaluate_quarter(db, year=year, quarter=quarter, now=now, actor=actor)  # Q5: warnings follow every computation
    audit.record(db, actor=actor, action="quarter.compute", entity_type="quarter_result_run", entity_id=run.id,
                 summary=t("quarterly_results.audit_computed", quarter=quarter_label(year, quarter),
                           people=len(hashes), changed=changed, flagged=flagged))
    return ComputeSummary(year, quarter, len(hashes), changed, flagged, digest)


def _sees_all(actor: Principal) -> bool:
    return any(scope == Scope.unit for scope, _d in actor.scopes(Perm.quarter_manage)) or \
        actor.can(Perm.audit_read)


def results_of(db: Session, *, actor: Principal, year: int, quarter: int) -> list[QuarterResult]:
    """The quarter's results the actor may see, best first: HR and the inspector all of them at any time;
    leaders and heads their people's from the review phase; everyone their own once the quarter is closed."""
    cycle = find_cycle(db, year, quarter)
    phase = cycle.phase if cycle is not None else None
    if cycle is None:
        # A quarter from before kaohe: its imported results are final, as a closed quarter's.
        if not db.scalar(select(func.count()).select_from(QuarterResult).where(
                QuarterResult.year == year, QuarterResult.quarter == quarter)):
            raise NotFound(t("quarterly_results.no_quarter", quarter=quarter_label(year, quarter)))
        phase = QuarterPhase.closed
    stmt = (select(QuarterResult).join(Staff, QuarterResult.staff_id == Staff.id)
            .options(joinedload(QuarterResult.staff).joinedload(Staff.department))
            .where(QuarterResult.year == year, QuarterResult.quarter == quarter))
    if not _sees_all(actor):
        shown = SHOWN_FROM.get(phase)
        if shown is None:
            return []
        stmt = stmt.where(actor.staff_filter(Perm.staff_read))
        if shown == "leaders" and actor.staff_id is not None:
            # Under review leaders see their people's results; their own waits for the quarter to close.
            stmt = stmt.where(Staff.id != actor.staff_id)
    rows = list(db.scalars(stmt))
    rows.sort(key=lambda r: (r.quarterly_score is None, -(r.quarterly_score or 0), r.staff.employee_no))
    return rows


def result_of(db: Session, *, actor: Principal, year: int, quarter: int, staff_id: int) -> QuarterResult:
    for row in results_of(db, actor=actor, year=year, quarter=quarter):
        if row.staff_id == staff_id:
            return row
    raise NotFound(t("quarterly_results.not_found"))


def explain_flags(row: QuarterResult, names: dict[str, str], *, brief: bool = False) -> str:
    """The 缺评说明 of a result in Chinese: which rater groups were missing, which leaves were short of
    raters or without a metric, and whether the person had no records. `brief`: counts instead of names,
    for lists."""
    parts: list[str] = []
    breakdown = row.breakdown or {}
    if row.origin == "imported" and row.provenance:
        note = t("quarterly_results.history.imported_note", file=row.provenance.get("file", ""),
                 row=row.provenance.get("row", ""))
        return "；".join(p for p in (note, row.provenance.get("notes", "")) if p)

    def named(codes: list[str]) -> str:
        return "、".join(names.get(c, c) for c in codes)

    if breakdown.get("missing_groups"):
        groups = breakdown["missing_groups"]
        parts.append(t("quarterly_results.missing_groups_brief", count=len(groups)) if brief else
                     t("quarterly_results.missing_groups", groups=named(groups)))
    for key in ("short_of_raters", "missing_metrics"):
        if breakdown.get(key):
            codes = breakdown[key]
            parts.append(t(f"quarterly_results.{key}_brief", count=len(codes)) if brief else
                         t(f"quarterly_results.{key}", leaves=named(codes)))
    if "no_records" in (row.flags or []):
        parts.append(t("quarterly_results.no_records"))
    return "；".join(parts)


def ranks(scores: list[Decimal | None]) -> list[int | None]:
    """Competition ranks of scores already sorted best first: equal scores share a rank (1, 1, 3 …); a
    result not judged has none."""
    out: list[int | None] = []
    for i, score in enumerate(scores):
        if score is None:
            out.append(None)
        elif i and scores[i - 1] == score:
            out.append(out[-1])
        else:
            out.append(i + 1)
    return out


def leaf_names(db: Session, year: int) -> dict[str, str]:
    """Chinese names of the year's rater groups and indicators, for 缺评说明 and breakdowns."""
    scheme = scheme_service.current(db, year=year)
    names = {group.key: group.name for group in scheme.raters.groups}
    for node, _parent in forest(scheme):
        names.setdefault(node.code, node.name)
    return names


EXPORT_COLUMNS = ("col_staff_no", "col_name", "col_department", "col_record", "col_indicator", "col_quarterly",
                  "col_notes")


def export_rows(db: Session, *, actor: Principal, year: int, quarter: int) -> list[list[object]]:
    """One row per person in 工号 order: 工号, 姓名, 部门, 记录得分, 指标得分, 季度得分, 缺评说明."""
    names = leaf_names(db, year)
    rows = sorted(results_of(db, actor=actor, year=year, quarter=quarter), key=lambda r: r.staff.employee_no)
    return [[r.staff.employee_no, r.staff.name, r.staff.department.name, r.record_score, r.indicator_score,
             r.quarterly_score if r.quarterly_score is not None else t("quarterly_results.not_judged"),
             explain_flags(r, names)] for r in rows]


def write_xlsx(rows: list[list[object]]) -> bytes:
    """The results as .xlsx, every text cell made inert for a spreadsheet (no formula can start one)."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from kaohe.org.roster_export import neutralise

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(t("quarterly_results.sheet"))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for key in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=t(f"quarterly_results.{key}"))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class HistoryImported:
    count: int
    people: int
    quarters: int
    replaced: int


def import_history(db: Session, *, actor: Principal, data: bytes, filename: str, replace: bool,
                   now: datetime) -> HistoryImported:
    """Past quarterly results from the unit's earlier system, every row or none. Refused for a quarter kaohe
    runs itself (its cycle is opened, or it has computed results); a quarter imported before is replaced only
    when asked. Each row keeps its file, SHA-256 and row number."""
    if not actor.can(Perm.quarter_manage):
        raise Forbidden(t("common.forbidden"))
    staff = dict(db.execute(select(Staff.employee_no, Staff.id)).all())
    parsed = parse_history(data, filename, known_employees=set(staff))
    if not parsed.ok:
        raise Invalid(t("quarterly_results.history.failed", count=len(parsed.errors)),
                      details=[e.message for e in parsed.errors[:MAX_SHOWN_ERRORS]])
    wanted = sorted({(row.year, row.quarter) for row in parsed.rows})
    problems: list[str] = []
    existing: dict[tuple[int, int], int] = {}
    for year, quarter in wanted:
        first = next(r.row for r in parsed.rows if (r.year, r.quarter) == (year, quarter))
        label = quarter_label(year, quarter)
        if find_cycle(db, year, quarter) is not None:
            problems.append(t("quarterly_results.history.opened", row=first, quarter=label))
            continue
        origins = dict(db.execute(select(QuarterResult.origin, func.count()).where(
            QuarterResult.year == year, QuarterResult.quarter == quarter).group_by(QuarterResult.origin)).all())
        if origins.get("computed"):
            problems.append(t("quarterly_results.history.computed", row=first, quarter=label))
        elif origins.get("imported") and not replace:
            problems.append(t("quarterly_results.history.exists", quarter=label, count=origins["imported"]))
        existing[(year, quarter)] = origins.get("imported", 0)
    if problems:
        raise Invalid(t("quarterly_results.history.failed", count=len(problems)), details=problems)
    digest = hashlib.sha256(data).hexdigest()
    replaced = 0
    for year, quarter in wanted:
        replaced += existing[(year, quarter)]
        db.execute(delete(QuarterResult).where(QuarterResult.year == year, QuarterResult.quarter == quarter,
                                               QuarterResult.origin == "imported"))
    runs: dict[tuple[int, int], QuarterResultRun] = {}
    for year, quarter in wanted:
        count = sum(1 for r in parsed.rows if (r.year, r.quarter) == (year, quarter))
        runs[(year, quarter)] = QuarterResultRun(
            year=year, quarter=quarter, people=count, changed=count, scheme_version=None, scheme_hash="",
            digest=digest, actor_id=actor.user_id, actor_name=actor.display_name, at=now, origin="imported")
    db.add_all(runs.values())
    db.flush()
    name = filename[:200]
    db.execute(insert(QuarterResult.__table__), [
        {"staff_id": staff[row.employee_no], "year": row.year, "quarter": row.quarter,
         "record_score": row.record_score, "indicator_score": row.indicator_score,
         "quarterly_score": row.quarterly_score, "record_weight": Decimal(0), "flags": ["imported"],
         "breakdown": {"lines": [], "missing_groups": [], "short_of_raters": [], "missing_metrics": [],
                       "record_part": None, "indicator_part": None},
         "scheme_version": None, "scheme_hash": "", "run_id": runs[(row.year, row.quarter)].id,
         "inputs_hash": hashlib.sha256(f"{digest}:{row.row}".encode()).hexdigest(), "computed_at": now,
         "origin": "imported", "provenance": {"file": name, "sha256": digest, "row": row.row, "notes": row.notes}}
        for row in parsed.rows])
    labels = "、".join(quarter_label(y, q) for y, q in wanted)
    audit.record(db, actor=actor, action="quarter.import_history", entity_type="quarter_result_run",
                 entity_id=",".join(str(run.id) for run in runs.values()),
                 summary=t("quarterly_results.history.audit", count=len(parsed.rows), quarters=labels,
                           replaced=replaced),
                 after={"file": name, "sha256": digest, "rows": len(parsed.rows), "replaced": replaced})
    return HistoryImported(len(parsed.rows), len({r.employee_no for r in parsed.rows}), len(wanted), replaced)
