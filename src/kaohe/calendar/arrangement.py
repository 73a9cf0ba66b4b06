"""Reading a year's holiday arrangement and the unit's closures from a CSV or Excel file.

HR types the State Council's notice for a year the chinesecalendar package does not know yet (and
the unit's own closures) into a sheet with the columns 日期, 类型, 名称. The file is checked as a
whole: one wrong row and nothing is taken, so a half-imported year never silently shifts deadlines.
"""

from collections.abc import Sequence
from datetime import date

from kaohe.calendar.workdays import DayKind, SpecialDay, YearArrangement, weekday_name
from kaohe.messages import t
from kaohe.sheets import (
    Cell,
    CellError,
    Header,
    HeaderSpec,
    Limits,
    Row,
    SheetRefused,
    cell_text,
    data_rows,
    locate_header,
    match_columns,
    read_sheet,
    to_date,
)

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

_SPEC = HeaderSpec(columns=COLUMNS, required=COLUMNS)
# MAX_ROWS counts the header row too.
_LIMITS = Limits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS - 1, max_scanned_rows=MAX_SCANNED_ROWS)


def parse_arrangement_file(
    data: bytes, filename: str, *, year: int
) -> tuple[YearArrangement | None, list[SpecialDay], list[str]]:
    """Read an arrangement file: (official holidays and adjusted workdays, closures, errors).

    All or nothing: with any error the result is (None, [], errors). A valid file with closures
    only gives (None, closures, []), since it says nothing about the year's official days.
    """
    try:
        header, rows = _read(data, filename)
    except SheetRefused as refused:
        return None, [], [_reworded(refused, filename)]

    days, errors = _parse_rows(header, rows, year)
    if errors:
        if len(errors) > MAX_ERRORS:
            more = len(errors) - MAX_ERRORS
            errors = [*errors[:MAX_ERRORS], t("calendar.import.more_errors", count=more)]
        return None, [], errors
    official = tuple(sorted((d for d in days if d.kind is not DayKind.closure), key=lambda d: d.day))
    closures = sorted((d for d in days if d.kind is DayKind.closure), key=lambda d: d.day)
    arrangement = YearArrangement(year=year, days=official) if official else None
    return arrangement, closures, []


def _read(data: bytes, filename: str) -> tuple[Header | None, list[Row]]:
    """The header (None for a file without a filled row) and the data rows under it. A formula
    cell gives the date Excel computed for it, as the calendar import always read it."""
    sheet = read_sheet(data, filename, limits=_LIMITS, formula_values=True)
    if not sheet.rows:
        return None, []
    header = locate_header(sheet, _SPEC, _LIMITS)
    return header, data_rows(sheet, header, _LIMITS)


def _reworded(refused: SheetRefused, filename: str) -> str:
    """The calendar's own wording where it has one, the shared reader's otherwise."""
    if refused.reason == "unsupported":
        return t("calendar.import.bad_extension", filename=filename)
    if refused.reason == "too_many_rows":
        return t("calendar.import.too_many_rows", limit=MAX_ROWS)
    if refused.reason == "empty":
        return t("calendar.import.empty")
    return refused.message


def _text(cell: Cell) -> str:
    return cell_text(cell).strip()


def _parse_date(cell: Cell) -> date | None:
    try:
        return to_date(cell, dots=True, compact=True)
    except CellError:
        return None


def _column_positions(header: Header) -> tuple[dict[str, int], list[str]]:
    match = match_columns(header.names, _SPEC)
    errors = [t("calendar.import.duplicate_header", row=header.first_row, header=name) for name in match.repeated]
    missing = [column for column in COLUMNS if column not in match.index]
    if missing:
        errors.append(t("calendar.import.missing_headers", row=header.first_row, headers="、".join(missing)))
    return match.index, errors


def _parse_rows(header: Header | None, rows: list[Row], year: int) -> tuple[list[SpecialDay], list[str]]:
    if header is None:
        return [], [t("calendar.import.empty")]
    positions, errors = _column_positions(header)
    if errors:
        return [], errors

    def cell(row: Sequence[Cell], column: str) -> Cell:
        index = positions[column]
        return row[index] if index < len(row) else None

    days: list[SpecialDay] = []
    first_row_of: dict[date, int] = {}
    for number, row in rows:
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
