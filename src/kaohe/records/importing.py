"""Bulk import of past daily work records (日常动态记录), the pure part: bytes in, rows and errors out.

Units moving from spreadsheets bring their history in one .xlsx or .csv file. The import is all or
nothing: `parse_records` reports every bad row with its spreadsheet row number and a Chinese reason,
and returns rows only when there is no error at all. No clock is read here: the caller passes `now`.

Times are read in the unit's time zone and returned aware. A date without a time means the whole
day: 00:00 as a start, 23:59 as an end or entry time. Because such a value says only the day, it is
compared with other times and with `now` by its day, so "ended today" is not "in the future".
An Excel date-time cell at exactly 00:00 is how Excel stores a plain date, so it is read as one.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from kaohe.messages import t
from kaohe.sheets import (
    CellRules,
    Columns,
    HeaderSpec,
    ImportResult,
    Limits,
    Row,
    SheetError,
    error_order,
    field_error,
    fold,
    parse_datetime_text,
    read_row,
    read_table,
    row_error,
    shown,
)

# The column headers are the file format units fill in, so they are fixed here, not in the catalogue.
EMPLOYEE_NO = "工号"
TITLE = "工作事项"
STARTED_AT = "开始时间"
ENDED_AT = "结束时间"
STAGE_RESULT = "阶段成果"
TASK_CODE = "任务编号"
DIFFICULTIES = "困难及解决措施"
COMMENDATION = "表彰或批评"
ENTERED_AT = "录入时间"
STATUS = "状态"
REVIEW_COMMENT = "审核意见"

RECORD_HEADERS: tuple[str, ...] = (
    EMPLOYEE_NO,
    TITLE,
    STARTED_AT,
    ENDED_AT,
    STAGE_RESULT,
    TASK_CODE,
    DIFFICULTIES,
    COMMENDATION,
    ENTERED_AT,
    STATUS,
    REVIEW_COMMENT,
)
REQUIRED_HEADERS: tuple[str, ...] = (EMPLOYEE_NO, TITLE, STARTED_AT, ENDED_AT, STAGE_RESULT)

# 状态 label → the status stored. Historical records were reviewed long ago, hence the default.
STATUS_OF_LABEL: dict[str, str] = {"已确认": "confirmed", "待审核": "submitted", "已退回": "returned"}
DEFAULT_STATUS = "confirmed"

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50000
TITLE_LENGTH = (2, 100)
# R2: a record states what was achieved, "no chronicle of trivia"; five characters is the least
# that can name a result ("完成初稿撰写"), and anything stricter would refuse honest history.
STAGE_RESULT_MIN = 5
TEXT_MAX = 2000

_DATETIME_COLUMNS = (STARTED_AT, ENDED_AT, ENTERED_AT)
# Free text where a line break is part of the content (Alt+Enter in Excel).
_MULTILINE = frozenset({STAGE_RESULT, DIFFICULTIES, COMMENDATION, REVIEW_COMMENT})
_MAX_LENGTH = {TITLE: TITLE_LENGTH[1], TASK_CODE: 100, **dict.fromkeys(_MULTILINE, TEXT_MAX)}
SPEC = HeaderSpec(columns=RECORD_HEADERS, required=REQUIRED_HEADERS, ignored=frozenset({"序号"}))
# Full-width digits, letters and colons ("Ａ００１", "９：００") are folded to ASCII in some columns;
# Excel date cells of the time columns stay dates.
RULES = CellRules(
    required=REQUIRED_HEADERS,
    dates=frozenset(_DATETIME_COLUMNS),
    multiline=_MULTILINE,
    folded=frozenset({EMPLOYEE_NO, TASK_CODE, STATUS, *_DATETIME_COLUMNS}),
)
_ORDER = error_order(RECORD_HEADERS)
_END_OF_DAY = time(23, 59)
_SEPARATOR = "、"


@dataclass(frozen=True, kw_only=True)
class RecordRow:
    """One valid record of the import; `row` is its spreadsheet row number."""

    row: int
    employee_no: str
    title: str
    started_at: datetime
    ended_at: datetime
    stage_result: str
    task_code: str | None
    difficulties: str
    commendation: str
    entered_at: datetime  # when it was first recorded; the end time when the file does not say
    status: str  # "confirmed" | "submitted" | "returned"
    review_comment: str


# One reason the import is refused (row None for the file as a whole), and the outcome of parsing:
# the shared import types, named for the records import.
RecordImportError = SheetError
RecordImportResult = ImportResult[RecordRow]


def parse_records(
    data: bytes,
    filename: str,
    *,
    known_employees: Collection[str],
    known_task_codes: Mapping[str, str],
    tz: tzinfo,
    now: datetime,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> RecordImportResult:
    """Parse and check an .xlsx or .csv of past records; `known_task_codes` maps code to owner 工号."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    table = read_table(data, filename, SPEC, limits=Limits(max_bytes=max_bytes, max_rows=max_rows))
    if table.columns is None or not table.readable:
        return RecordImportResult(errors=sorted(table.errors, key=_ORDER))

    checker = _RowChecker(
        table.columns, known_employees=known_employees, known_task_codes=known_task_codes, tz=tz, now=now
    )
    errors = list(table.errors)
    rows: list[RecordRow] = []
    first_row: dict[_Key, int] = {}
    for row in table.rows:
        number = row.number
        record, key = checker.check(row, errors)
        # A duplicate is reported even when either row has other errors, so one pass shows it all.
        if key is not None and key in first_row:
            errors.append(row_error(number, t("records_import.row.duplicate", first=first_row[key])))
        elif key is not None:
            first_row[key] = number
        if record is not None:
            rows.append(record)
    if errors:
        return RecordImportResult(errors=sorted(errors, key=_ORDER))
    return RecordImportResult(rows=rows)


# 工号, 工作事项 and 开始时间: the same three twice in one file is the same record entered twice.
_Key = tuple[str, str, datetime]


@dataclass(frozen=True)
class _When:
    """A parsed time; `date_only` when the cell gave a day without a time of day."""

    at: datetime
    date_only: bool

    def shown(self) -> str:
        return self.at.strftime("%Y-%m-%d") if self.date_only else self.at.strftime("%Y-%m-%d %H:%M")


def _before(earlier: _When, later: _When) -> bool:
    """Whether `later` is before `earlier`; a date-only side is compared by its day."""
    if earlier.date_only or later.date_only:
        return later.at.date() < earlier.at.date()
    return later.at < earlier.at


class _RowChecker:
    """Checks one data row at a time; the errors go to the caller's list, a good row comes back."""

    def __init__(
        self,
        columns: Columns,
        *,
        known_employees: Collection[str],
        known_task_codes: Mapping[str, str],
        tz: tzinfo,
        now: datetime,
    ) -> None:
        self._columns = columns
        self._employees = frozenset(fold(no.strip()) for no in known_employees)
        self._tasks = {fold(code.strip()): fold(owner.strip()) for code, owner in known_task_codes.items()}
        self._tz = tz
        self._now = _When(now.astimezone(tz), date_only=False)

    def check(self, row: Row, errors: list[RecordImportError]) -> tuple[RecordRow | None, _Key | None]:
        """The row if it is good, and its duplicate key if 工号, 工作事项 and 开始时间 could be read."""
        cells = read_row(row, self._columns, RULES)
        number = row.number
        found = cells.errors
        refused = cells.refused
        texts = cells.texts
        text = cells.text

        employee_no = text(EMPLOYEE_NO)
        if employee_no and employee_no not in self._employees:
            detail = t("records_import.employee_no.unknown", value=shown(employee_no))
            found.append(field_error(number, EMPLOYEE_NO, detail))

        title = text(TITLE)
        low, high = TITLE_LENGTH
        if title and not low <= len(title) <= high:
            detail = t("records_import.title.length", low=low, high=high, length=len(title))
            found.append(field_error(number, TITLE, detail))
        stage_result = text(STAGE_RESULT)
        if stage_result and len(stage_result) < STAGE_RESULT_MIN:
            detail = t(
                "records_import.stage_result.too_short", limit=STAGE_RESULT_MIN, length=len(stage_result)
            )
            found.append(field_error(number, STAGE_RESULT, detail))
        for column, limit in _MAX_LENGTH.items():
            length = len(text(column))
            if length > limit and column != TITLE:
                detail = t("records_import.field.too_long", limit=limit, length=length)
                found.append(field_error(number, column, detail))

        task_code = text(TASK_CODE) or None
        if task_code is not None and task_code not in self._tasks:
            found.append(
                field_error(number, TASK_CODE, t("records_import.task.unknown", value=shown(task_code)))
            )
        elif task_code is not None and employee_no and self._tasks[task_code] != employee_no:
            detail = t(
                "records_import.task.other_owner",
                value=shown(task_code),
                owner=self._tasks[task_code],
                employee=shown(employee_no),
            )
            found.append(field_error(number, TASK_CODE, detail))

        status_label = text(STATUS)
        status = STATUS_OF_LABEL.get(status_label) if status_label else DEFAULT_STATUS
        if status is None:
            allowed = _SEPARATOR.join(STATUS_OF_LABEL)
            detail = t("records_import.status.choice", value=shown(status_label), allowed=allowed)
            found.append(field_error(number, STATUS, detail))

        started, ended, entered = self._times(number, texts, cells.dates, refused, found)
        errors.extend(found)
        key = (employee_no, title, started.at) if employee_no and title and started is not None else None
        if found or started is None or ended is None:
            return None, key
        record = RecordRow(
            row=number,
            employee_no=employee_no,
            title=title,
            started_at=started.at,
            ended_at=ended.at,
            stage_result=stage_result,
            task_code=task_code,
            difficulties=text(DIFFICULTIES),
            commendation=text(COMMENDATION),
            entered_at=entered.at if entered is not None else ended.at,
            status=status or DEFAULT_STATUS,
            review_comment=text(REVIEW_COMMENT),
        )
        return record, key

    def _times(
        self,
        number: int,
        texts: dict[str, str],
        cells: Mapping[str, date],
        refused: set[str | None],
        found: list[RecordImportError],
    ) -> tuple[_When | None, _When | None, _When | None]:
        """The start, end and entry times, checked against each other and against `now`."""
        parsed: dict[str, _When] = {}
        for column in _DATETIME_COLUMNS:
            if column in refused:
                continue
            when = self._when(column, cells.get(column), texts.get(column, ""))
            if when is None and texts.get(column):
                detail = t("records_import.datetime.invalid", value=shown(texts[column]))
                found.append(field_error(number, column, detail))
            elif when is not None and _before(when, self._now):
                detail = t("records_import.datetime.future", value=when.shown())
                found.append(field_error(number, column, detail))
            elif when is not None:
                parsed[column] = when
        started, ended, entered = (parsed.get(column) for column in _DATETIME_COLUMNS)
        if started is not None and ended is not None and _before(started, ended):
            detail = t("records_import.ended.before_started", ended=ended.shown(), started=started.shown())
            found.append(field_error(number, ENDED_AT, detail))
        if ended is not None and entered is not None and _before(ended, entered):
            detail = t("records_import.entered.before_ended", entered=entered.shown(), ended=ended.shown())
            found.append(field_error(number, ENTERED_AT, detail))
        return started, ended, entered

    def _when(self, column: str, cell: date | None, text: str) -> _When | None:
        # A start without a time of day begins the day; an end or entry without one closes it.
        day_time = time.min if column == STARTED_AT else _END_OF_DAY
        if isinstance(cell, datetime) and cell.time() != time.min:
            return _When(self._local(cell), date_only=False)
        if isinstance(cell, date):
            day = cell.date() if isinstance(cell, datetime) else cell
            return _When(datetime.combine(day, day_time, tzinfo=self._tz), date_only=True)
        found = parse_datetime_text(text, dots=True)
        if found is None:
            return None
        day, clock = found
        moment = datetime.combine(day, clock if clock is not None else day_time, tzinfo=self._tz)
        return _When(moment, date_only=clock is None)

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            return moment.replace(tzinfo=self._tz)
        return moment.astimezone(self._tz)
