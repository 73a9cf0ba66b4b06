"""Reading a year's holiday arrangement and the unit's closures from a CSV or Excel file.

HR types the State Council's notice for a year the chinesecalendar package does not know yet (and
the unit's own closures) into a sheet with the columns 日期, 类型, 名称. The file is checked as a
whole: one wrong row and nothing is taken, so a half-imported year never silently shifts deadlines.
"""

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from kaohe.calendar.workdays import DayKind, SpecialDay, YearArrangement, weekday_name
from kaohe.messages import t

MAX_BYTES = 1024 * 1024
# A year has at most 366 dates; anything far beyond that is not an arrangement and is not read on.
MAX_ROWS = 2000
# Blank rows count too, up to a point: Excel leaves formatted empty rows behind, and a 1 MB xlsx
# can unpack to millions of them.
MAX_SCANNED_ROWS = 50_000
MAX_ERRORS = 50
# Matches the length of CalendarDay.name.
MAX_NAME_LENGTH = 60

# The file format's own vocabulary, kept out of the message catalogue on purpose: rewording a
# message must never change which files are accepted.
COLUMN_DATE = "日期"
COLUMN_KIND = "类型"
COLUMN_NAME = "名称"
COLUMNS = (COLUMN_DATE, COLUMN_KIND, COLUMN_NAME)
KINDS: dict[str, DayKind] = {
    "放假": DayKind.holiday,
    "调休上班": DayKind.workday,
    "单位停工": DayKind.closure,
}

_DATE_WITH_SEPARATORS = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?"
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")

Cell = str | int | float | date | datetime | None


class _FileRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_arrangement_file(
    data: bytes, filename: str, *, year: int
) -> tuple[YearArrangement | None, list[SpecialDay], list[str]]:
    """Read an arrangement file: (official holidays and adjusted workdays, closures, errors).

    All or nothing: with any error the result is (None, [], errors). A valid file with closures
    only gives (None, closures, []), since it says nothing about the year's official days.
    """
    if len(data) > MAX_BYTES:
        size = f"{math.ceil(len(data) * 100 / MAX_BYTES) / 100:.2f} MB"
        return None, [], [t("calendar.import.too_large", size=size, limit="1 MB")]
    name = filename.strip().lower()
    try:
        if name.endswith(".csv"):
            rows = _read_csv(data)
        elif name.endswith(".xlsx"):
            rows = _read_xlsx(data)
        else:
            raise _FileRefused(t("calendar.import.bad_extension", filename=filename))
    except _FileRefused as refused:
        return None, [], [refused.message]

    days, errors = _parse_rows(rows, year)
    if errors:
        if len(errors) > MAX_ERRORS:
            more = len(errors) - MAX_ERRORS
            errors = [*errors[:MAX_ERRORS], t("calendar.import.more_errors", count=more)]
        return None, [], errors
    official = tuple(sorted((d for d in days if d.kind is not DayKind.closure), key=lambda d: d.day))
    closures = sorted((d for d in days if d.kind is DayKind.closure), key=lambda d: d.day)
    arrangement = YearArrangement(year=year, days=official) if official else None
    return arrangement, closures, []


def _read_csv(data: bytes) -> list[Sequence[Cell]]:
    # Excel on Chinese Windows saves CSV as GB18030 (GBK); everything else as UTF-8, often with BOM.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise _FileRefused(t("calendar.import.bad_encoding")) from None
    rows: list[Sequence[Cell]] = []
    # strict: a stray quote must be reported, not silently swallow the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        _collect(reader, rows)
    except csv.Error:
        raise _FileRefused(t("calendar.import.bad_csv", row=len(rows) + 1)) from None
    return rows


def _read_xlsx(data: bytes) -> list[Sequence[Cell]]:
    from openpyxl import load_workbook

    # openpyxl raises many exception types on a damaged or foreign file; all mean the same to HR.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise _FileRefused(t("calendar.import.bad_xlsx")) from None
    try:
        if not workbook.worksheets:
            return []
        rows: list[Sequence[Cell]] = []
        try:
            _collect(workbook.worksheets[0].iter_rows(values_only=True), rows)
        except _FileRefused:
            raise
        except Exception:
            raise _FileRefused(t("calendar.import.bad_xlsx")) from None
        return rows
    finally:
        workbook.close()


def _collect(source: Iterable[Sequence[Cell]], rows: list[Sequence[Cell]]) -> None:
    """Append the rows of `source` to `rows`, a blank row as an empty placeholder to keep numbering."""
    filled = 0
    for row in source:
        if any(_text(cell) for cell in row):
            filled += 1
            rows.append(row)
        else:
            rows.append(())
        if filled > MAX_ROWS or len(rows) > MAX_SCANNED_ROWS:
            raise _FileRefused(t("calendar.import.too_many_rows", limit=MAX_ROWS))


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _parse_date(cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    match = _DATE_WITH_SEPARATORS.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _data_rows(rows: list[Sequence[Cell]]) -> Iterator[tuple[int, Sequence[Cell]]]:
    """The non-blank rows after the header, with their row number as a spreadsheet shows it."""
    for number, row in enumerate(rows[1:], start=2):
        if any(_text(cell) for cell in row):
            yield number, row


def _column_positions(header: Sequence[Cell]) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    errors: list[str] = []
    for index, cell in enumerate(header):
        title = _text(cell).lstrip("\ufeff")
        if title not in COLUMNS:
            continue
        if title in positions:
            errors.append(t("calendar.import.duplicate_header", header=title))
        positions[title] = index
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        errors.append(t("calendar.import.missing_headers", headers="、".join(missing)))
    return positions, errors


def _parse_rows(rows: list[Sequence[Cell]], year: int) -> tuple[list[SpecialDay], list[str]]:
    if not rows or not any(_text(cell) for row in rows for cell in row):
        return [], [t("calendar.import.empty")]
    positions, errors = _column_positions(rows[0])
    if errors:
        return [], errors

    def cell(row: Sequence[Cell], column: str) -> Cell:
        index = positions[column]
        return row[index] if index < len(row) else None

    days: list[SpecialDay] = []
    first_row_of: dict[date, int] = {}
    for number, row in _data_rows(rows):
        day = _checked_date(cell(row, COLUMN_DATE), number, year, first_row_of, errors)
        kind = _checked_kind(cell(row, COLUMN_KIND), number, errors)
        name = _text(cell(row, COLUMN_NAME))
        if len(name) > MAX_NAME_LENGTH:
            errors.append(
                t(
                    "calendar.import.name_too_long",
                    row=number,
                    field=COLUMN_NAME,
                    limit=MAX_NAME_LENGTH,
                    length=len(name),
                )
            )
        if day is None or kind is None:
            continue
        # An adjusted workday on a weekday changes nothing, so it is almost surely a typo.
        if kind is DayKind.workday and day.weekday() < 5:
            errors.append(
                t(
                    "calendar.import.workday_on_weekday",
                    row=number,
                    field=COLUMN_KIND,
                    day=day.isoformat(),
                    weekday=weekday_name(day),
                    kind=kind.label,
                )
            )
            continue
        days.append(SpecialDay(day=day, kind=kind, name=name))
    if not days and not errors:
        errors.append(t("calendar.import.no_rows"))
    return days, errors


def _checked_date(
    value: Cell, number: int, year: int, first_row_of: dict[date, int], errors: list[str]
) -> date | None:
    text = _text(value)
    if not text:
        errors.append(t("calendar.import.required", row=number, field=COLUMN_DATE))
        return None
    day = _parse_date(value)
    if day is None:
        errors.append(t("calendar.import.bad_date", row=number, field=COLUMN_DATE, value=text))
        return None
    if day.year != year:
        errors.append(
            t("calendar.import.wrong_year", row=number, field=COLUMN_DATE, value=day.isoformat(), year=year)
        )
        return None
    if day in first_row_of:
        errors.append(
            t(
                "calendar.import.duplicate_date",
                row=number,
                field=COLUMN_DATE,
                value=day.isoformat(),
                first_row=first_row_of[day],
            )
        )
        return None
    first_row_of[day] = number
    return day


def _checked_kind(value: Cell, number: int, errors: list[str]) -> DayKind | None:
    text = _text(value)
    if not text:
        errors.append(t("calendar.import.required", row=number, field=COLUMN_KIND))
        return None
    kind = KINDS.get(text)
    if kind is None:
        allowed = "、".join(KINDS)
        errors.append(
            t("calendar.import.bad_kind", row=number, field=COLUMN_KIND, value=text, allowed=allowed)
        )
    return kind
