"""The annual task book (年度工作任务书): key tasks per person, their progress, from HR, the leader,
or a project system (file or API)."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.messages import t
from kaohe.org.models import Staff
from kaohe.records.models import TaskItem
from kaohe.records.schemas import ProgressIn, TaskBase, TaskCreate
from kaohe.sheets import HeaderSpec, Limits, SheetRefused, data_rows, is_blank, locate_header, read_sheet

TASK_FIELDS = ("code", "title", "target", "weight", "deadline", "indicator_codes", "progress")
PROGRESS_HEADERS = {"年度": "year", "任务编号": "code", "进度": "progress", "说明": "note"}
_PROGRESS_SPEC = HeaderSpec(columns=tuple(PROGRESS_HEADERS))
_PROGRESS_LIMITS = Limits(max_bytes=5 * 1024 * 1024, max_rows=20000)


def _may_write_for(actor: Principal, staff: Staff) -> bool:
    # Nobody sets or scores their own task book, a leader included: it is what they are judged by.
    return staff.id != actor.staff_id and actor.may_see_staff(staff, Perm.tasks_write)


def tasks_of(db: Session, *, actor: Principal, staff_id: int, year: int) -> list[TaskItem]:
    """A person's task book for the year, if the actor may see the person."""
    staff = db.get(Staff, staff_id)
    if staff is None or not actor.may_see_staff(staff):
        raise NotFound(t("org.staff_not_found"))
    return list(db.scalars(select(TaskItem).where(TaskItem.staff_id == staff_id, TaskItem.year == year)
                           .order_by(TaskItem.code)))


def create_task(db: Session, *, actor: Principal, task_in: TaskCreate) -> TaskItem:
    """HR or the person's leader adds a key task to their task book."""
    staff = db.scalar(select(Staff).where(Staff.employee_no == task_in.staff_no.strip()))
    if staff is None or not _may_write_for(actor, staff):
        raise Forbidden(t("records.tasks_forbidden"))
    if db.scalar(select(TaskItem.id).where(TaskItem.year == task_in.year, TaskItem.code == task_in.code)):
        raise Conflict(t("records.task_code_taken", code=task_in.code, year=task_in.year))
    task = TaskItem(staff_id=staff.id, year=task_in.year, code=task_in.code, title=task_in.title,
                    target=task_in.target, weight=task_in.weight, deadline=task_in.deadline,
                    indicator_codes=list(task_in.indicator_codes), progress=0)
    db.add(task)
    db.flush()
    audit.record(db, actor=actor, action="task.create", entity_type="task_item", entity_id=task.id,
                 summary=t("records.audit_task_create", title=task.title, name=staff.name),
                 after=audit.snapshot(task, TASK_FIELDS))
    db.flush()
    return task


def update_task(db: Session, *, actor: Principal, task_id: int, task_in: TaskBase) -> TaskItem:
    task = db.get(TaskItem, task_id, options=[joinedload(TaskItem.staff)])
    if task is None or not _may_write_for(actor, task.staff):
        raise Forbidden(t("records.tasks_forbidden"))
    before = audit.snapshot(task, TASK_FIELDS)
    for name in ("title", "target", "weight", "deadline"):
        setattr(task, name, getattr(task_in, name))
    task.indicator_codes = list(task_in.indicator_codes)
    audit.record(db, actor=actor, action="task.update", entity_type="task_item", entity_id=task.id,
                 summary=t("records.audit_task_update", title=task.title), before=before,
                 after=audit.snapshot(task, TASK_FIELDS))
    db.flush()
    return task


def set_progress(db: Session, *, actor: Principal, items: Sequence[ProgressIn], source: str,
                 errors_prefix: Sequence[str] = ()) -> int:
    """Apply progress figures (by year and task code) all together or not at all."""
    problems = list(errors_prefix)
    tasks = []
    for index, item in enumerate(items, start=1):
        task = db.scalar(select(TaskItem).options(joinedload(TaskItem.staff))
                         .where(TaskItem.year == item.year, TaskItem.code == item.code))
        if task is None or not _may_write_for(actor, task.staff):
            problems.append(t("records.progress_unknown_task", n=index, code=item.code, year=item.year))
            continue
        tasks.append((task, item))
    if problems:
        raise Invalid(t("records.progress_refused", count=len(problems)), details=problems)
    for task, item in tasks:
        before = {"progress": task.progress}
        task.progress = item.progress
        task.progress_note = item.note
        task.progress_source = source[:40]
        audit.record(db, actor=actor, action="task.progress", entity_type="task_item", entity_id=task.id,
                     summary=t("records.audit_progress", title=task.title, progress=item.progress),
                     before=before, after={"progress": item.progress})
    db.flush()
    return len(tasks)


@dataclass(frozen=True)
class ProgressFile:
    """What a progress file said: its good rows, and one Chinese line per row it could not read."""

    items: list[ProgressIn]
    problems: list[str]


def read_progress(data: bytes, filename: str) -> ProgressFile:
    """A project system's export (.xlsx/.csv: 年度, 任务编号, 进度, 说明) read, no database: this is
    the part a web upload runs in a parser thread (kaohe.sheets.parse_off_loop)."""
    try:
        sheet = read_sheet(data, filename, limits=_PROGRESS_LIMITS)
        found = locate_header(sheet, _PROGRESS_SPEC, _PROGRESS_LIMITS)
        rows = data_rows(sheet, found, _PROGRESS_LIMITS)
    except SheetRefused as refused:
        raise Invalid(refused.message) from None
    header = found.names
    missing = [h for h in ("年度", "任务编号", "进度") if h not in header]
    if missing:
        raise Invalid(t("records.progress_headers", missing="、".join(missing)))
    position = {PROGRESS_HEADERS[h]: i for i, h in enumerate(header) if h in PROGRESS_HEADERS}
    items, problems = [], []
    for row_number, cells in rows:
        values = {name: cells[i] if i < len(cells) else None for name, i in position.items()}
        try:
            items.append(ProgressIn(
                year=int(float(str(values["year"]))), code=str(values["code"]).strip(),
                progress=int(float(str(values["progress"]).rstrip("%"))),
                note="" if is_blank(values.get("note")) else str(values["note"])[:500]))
        except (ValueError, TypeError):
            problems.append(t("records.progress_bad_row", row=row_number))
    if not items and not problems:
        raise Invalid(t("records.progress_empty"))
    return ProgressFile(items=items, problems=problems)


def apply_progress(db: Session, *, actor: Principal, progress: ProgressFile, filename: str) -> int:
    """Apply a read progress file: every row or, with any problem, none."""
    return set_progress(db, actor=actor, items=progress.items, source=f"file:{filename[:30]}",
                        errors_prefix=progress.problems)
