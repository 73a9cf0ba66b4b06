"""Checks of a roster's header and data rows: raw cells in, valid rows and Chinese errors out."""

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from kaohe.messages import t
from kaohe.org.enums import Level, PostCategory, StaffStatus, label, parse_label
from kaohe.org.roster_model import (
    DEPARTMENT,
    EMPLOYEE_NO,
    GENDER,
    GENDERS,
    HIRED_ON,
    LEVEL,
    NAME,
    PHONE,
    POST_CATEGORY,
    POST_NAME,
    REQUIRED_HEADERS,
    ROSTER_HEADERS,
    STATUS,
    SUPERVISOR_NO,
    TITLE,
    RosterError,
    RosterRow,
)
from kaohe.org.roster_read import is_blank

_EMPLOYEE_NO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")
# Spaces and hyphens are how people group a number ("138-0013-8000"); they carry no meaning.
_PHONE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
_PHONE_SEPARATORS = str.maketrans("", "", " -")
_PLUS_PHONE = re.compile(r"\+[\d -]+")
# The time part is what Excel adds when it saves a date cell to CSV in some locales.
_DATE = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_CN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Zero-width characters come along when names are pasted from web pages or chat; they are dropped.
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
_FORMULA_START = ("=", "+", "-", "@")
# XML parsers turn a CR into LF, so in an .xlsx a leading CR arrives as a leading LF.
_FORMULA_START_RAW = ("\t", "\r", "\n")
_MAX_LENGTH = {TITLE: 30, POST_NAME: 50}
_NAME_LENGTH = (2, 20)
_SHOWN_LENGTH = 30
# Full-width digits and letters ("Ａ００１", "１３８…") are folded to ASCII in these columns.
_FOLDED = frozenset({EMPLOYEE_NO, SUPERVISOR_NO, PHONE, HIRED_ON})
_COLUMN_ORDER = {header: position for position, header in enumerate(ROSTER_HEADERS)}
_SEPARATOR = "、"


def field_error(row: int, column: str, detail: str) -> RosterError:
    return RosterError(
        row=row, field=column, message=t("roster.at_row_field", row=row, field=column, detail=detail)
    )


def row_error(row: int, detail: str) -> RosterError:
    return RosterError(row=row, field=None, message=t("roster.at_row", row=row, detail=detail))


def header_error(detail: str) -> RosterError:
    return RosterError(row=1, field=None, message=t("roster.at_header", detail=detail))


def error_order(error: RosterError) -> tuple[int, int]:
    """Sort key: file errors first, then by row, then by column in the import's order."""
    return (error.row or 0, _COLUMN_ORDER.get(error.field, -1) if error.field else -1)


def cell_text(value: object) -> str:
    """A cell as text: 1001.0 as "1001", a date as YYYY-MM-DD, None as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Columns:
    """Where each known column is, and which columns have no header."""

    index: dict[str, int]
    unnamed: frozenset[int]
    width: int


def scan_header(header: tuple[object, ...], known: Collection[str]
                ) -> tuple[dict[str, int], set[int], list[str], list[str]]:
    """Where each known column is, which positions have no name, and the unknown and repeated names.
    Shared by every spreadsheet import (rosters, records)."""
    index: dict[str, int] = {}
    unnamed: set[int] = set()
    unknown: list[str] = []
    repeated: list[str] = []
    for position, cell in enumerate(header):
        name = cell_text(cell).translate(_INVISIBLE).strip()
        if not name:
            unnamed.add(position)
        elif name not in known:
            unknown.append(name)
        elif name in index:
            repeated.append(name)
        else:
            index[name] = position
    return index, unnamed, unknown, repeated


def read_columns(header: tuple[object, ...], *, known: Collection[str], required: Sequence[str],
                 allowed: Sequence[str], messages: str) -> tuple[Columns | None, list[str]]:
    """The column positions, or None when the rows cannot be read (a required or repeated column),
    and the header's problems in Chinese. `messages` is the catalogue prefix of the import."""
    index, unnamed, unknown, repeated = scan_header(header, known)
    details: list[str] = []
    missing = [name for name in required if name not in index]
    if missing:
        details.append(t(f"{messages}.header.missing", names=_SEPARATOR.join(missing)))
    if repeated:
        details.append(t(f"{messages}.header.duplicate", names=_SEPARATOR.join(repeated)))
    if unknown:
        details.append(t(f"{messages}.header.unknown", names=_SEPARATOR.join(_shown(name) for name in unknown),
                         allowed=_SEPARATOR.join(allowed)))
    # Rows are still checked when only unknown columns are wrong, so every problem shows at once.
    if missing or repeated:
        return None, details
    return Columns(index=index, unnamed=frozenset(unnamed), width=len(header)), details


def check_header(header: tuple[object, ...]) -> tuple[Columns | None, list[RosterError]]:
    """The roster's columns, and its header problems as errors."""
    columns, details = read_columns(header, known=_COLUMN_ORDER, required=REQUIRED_HEADERS,
                                    allowed=ROSTER_HEADERS, messages="roster")
    return columns, [header_error(detail) for detail in details]


@dataclass
class CheckedRow:
    """What one data row gave: a valid row or errors, and the keys the cross-row checks need."""

    number: int
    employee_no: str | None = None
    supervisor_no: str | None = None
    row: RosterRow | None = None
    errors: list[RosterError] = field(default_factory=list)


class RowChecker:
    """Checks one data row at a time against the columns and the known departments."""

    def __init__(self, columns: Columns, *, known_departments: Collection[str]) -> None:
        self._columns = columns
        self._departments = frozenset(name.strip() for name in known_departments)

    def check(self, number: int, values: tuple[object, ...]) -> CheckedRow:
        checked = CheckedRow(number=number)
        errors = checked.errors
        self._check_unnamed(number, values, errors)
        texts, dates = self._cells(number, values, errors)
        refused = {error.field for error in errors}

        def text(column: str) -> str:
            return texts.get(column, "")

        for column in REQUIRED_HEADERS:
            if column not in refused and not text(column):
                errors.append(field_error(number, column, t("roster.field.required")))

        employee_no = text(EMPLOYEE_NO)
        if employee_no and not _EMPLOYEE_NO.fullmatch(employee_no):
            errors.append(
                field_error(number, EMPLOYEE_NO, t("roster.employee_no.format", value=_shown(employee_no)))
            )
        elif employee_no:
            checked.employee_no = employee_no

        name = text(NAME)
        if name and not _NAME_LENGTH[0] <= len(name) <= _NAME_LENGTH[1]:
            errors.append(field_error(number, NAME, t("roster.name.length", value=_shown(name))))

        department = text(DEPARTMENT)
        if department and department not in self._departments:
            errors.append(
                field_error(number, DEPARTMENT, t("roster.department.unknown", value=_shown(department)))
            )

        post_category = self._choice(number, POST_CATEGORY, text(POST_CATEGORY), PostCategory, errors)
        level = self._choice(number, LEVEL, text(LEVEL), Level, errors)
        status = self._choice(number, STATUS, text(STATUS), StaffStatus, errors) or StaffStatus.active

        gender = text(GENDER) or None
        if gender is not None and gender not in GENDERS:
            detail = t(
                "roster.field.choice", field=GENDER, value=_shown(gender), allowed=_SEPARATOR.join(GENDERS)
            )
            errors.append(field_error(number, GENDER, detail))

        for column, limit in _MAX_LENGTH.items():
            if len(text(column)) > limit:
                errors.append(field_error(number, column, t("roster.field.too_long", limit=limit)))

        supervisor_no = text(SUPERVISOR_NO) or None
        if supervisor_no is not None and not _EMPLOYEE_NO.fullmatch(supervisor_no):
            detail = t("roster.supervisor.format", value=_shown(supervisor_no))
            errors.append(field_error(number, SUPERVISOR_NO, detail))
        elif supervisor_no is not None and supervisor_no == employee_no:
            errors.append(field_error(number, SUPERVISOR_NO, t("roster.supervisor.self")))
        else:
            checked.supervisor_no = supervisor_no

        hired_on = dates.get(HIRED_ON) or _parse_date(text(HIRED_ON))
        if hired_on is None and text(HIRED_ON):
            errors.append(
                field_error(number, HIRED_ON, t("roster.hired_on.invalid", value=_shown(text(HIRED_ON))))
            )

        phone = None
        if text(PHONE):
            match = _PHONE.fullmatch(text(PHONE).translate(_PHONE_SEPARATORS))
            if match is None:
                errors.append(
                    field_error(number, PHONE, t("roster.phone.invalid", value=_shown(text(PHONE))))
                )
            else:
                phone = match.group(1)

        if not errors:
            checked.row = RosterRow(
                row=number,
                employee_no=employee_no,
                name=name,
                gender=gender,
                department=department,
                post_category=PostCategory(post_category),
                level=Level(level),
                title=text(TITLE),
                post_name=text(POST_NAME),
                supervisor_no=supervisor_no,
                hired_on=hired_on,
                phone=phone,
                status=StaffStatus(status),
            )
        return checked

    def _check_unnamed(self, number: int, values: tuple[object, ...], errors: list[RosterError]) -> None:
        filled = [
            position + 1
            for position, value in enumerate(values)
            if (position in self._columns.unnamed or position >= self._columns.width) and not is_blank(value)
        ]
        if filled:
            columns = _SEPARATOR.join(str(position) for position in filled)
            errors.append(row_error(number, t("roster.row.unnamed_columns", columns=columns)))

    def _cells(
        self, number: int, values: tuple[object, ...], errors: list[RosterError]
    ) -> tuple[dict[str, str], dict[str, date]]:
        """The cleaned text of each known column, and the date cells kept as dates."""
        texts: dict[str, str] = {}
        dates: dict[str, date] = {}
        for column, position in self._columns.index.items():
            value = values[position] if position < len(values) else None
            # openpyxl gives a date cell as a datetime. A bare number (2020, 43831) is not taken for
            # a date: read as an Excel serial day it would silently become some day in 1905.
            if column == HIRED_ON and isinstance(value, date):
                dates[column] = value.date() if isinstance(value, datetime) else value
                continue
            raw = cell_text(value)
            if _looks_like_formula(column, raw):
                errors.append(field_error(number, column, t("roster.field.injection")))
                continue
            cleaned = raw.translate(_INVISIBLE).strip()
            if _CONTROL.search(cleaned):
                errors.append(field_error(number, column, t("roster.field.control_chars")))
                continue
            if column in _FOLDED:
                cleaned = unicodedata.normalize("NFKC", cleaned)
            texts[column] = cleaned
        return texts, dates

    @staticmethod
    def _choice(
        number: int, column: str, value: str, enum: type[StrEnum], errors: list[RosterError]
    ) -> StrEnum | None:
        if not value:
            return None
        member = parse_label(enum, value)
        if member is None:
            allowed = _SEPARATOR.join(label(option) for option in enum)
            detail = t("roster.field.choice", field=column, value=_shown(value), allowed=allowed)
            errors.append(field_error(number, column, detail))
        return member


def check_relations(
    checked: list[CheckedRow], existing_supervisors: Mapping[str, str | None]
) -> list[RosterError]:
    """Duplicate 工号, unknown supervisors, and loops in the supervisor graph after the upsert."""
    errors: list[RosterError] = []
    first_row: dict[str, int] = {}
    for item in checked:
        if item.employee_no is None:
            continue
        if item.employee_no in first_row:
            detail = t(
                "roster.employee_no.duplicate", value=item.employee_no, first=first_row[item.employee_no]
            )
            errors.append(field_error(item.number, EMPLOYEE_NO, detail))
        else:
            first_row[item.employee_no] = item.number

    # The upsert's result: staff already there, with the file's rows replacing theirs.
    graph: dict[str, str | None] = dict(existing_supervisors)
    for item in checked:
        supervisor_no = item.supervisor_no
        if supervisor_no is not None and supervisor_no not in first_row and supervisor_no not in graph:
            detail = t("roster.supervisor.unknown", value=supervisor_no)
            errors.append(field_error(item.number, SUPERVISOR_NO, detail))
            supervisor_no = None
        if item.employee_no is not None:
            graph[item.employee_no] = supervisor_no
    errors.extend(_loops(graph, first_row))
    return errors


def _loops(graph: Mapping[str, str | None], first_row: Mapping[str, int]) -> list[RosterError]:
    """One error per supervisor loop that passes through the file, on its earliest row."""
    errors: list[RosterError] = []
    done: set[str] = set()
    # Each person has at most one supervisor, so following the links from a person either ends or
    # runs into a loop; every node is walked once overall.
    for start in first_row:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = graph.get(node)
        if node is not None and node in on_path:
            loop = path[path.index(node) :]
            in_file = [member for member in loop if member in first_row]
            if in_file:
                head = min(in_file, key=lambda member: first_row[member])
                at = loop.index(head)
                chain = [*loop[at:], *loop[:at], head]
                detail = t("roster.supervisor.cycle", chain=" → ".join(chain))
                errors.append(field_error(first_row[head], SUPERVISOR_NO, detail))
        done.update(path)
    return errors


def _looks_like_formula(column: str, raw: str) -> bool:
    if raw.startswith(_FORMULA_START_RAW):
        return True
    stripped = raw.strip()
    if not stripped.startswith(_FORMULA_START):
        return False
    # "+8613800138000" is how a mobile number is written internationally, not a formula.
    return not (column == PHONE and _PLUS_PHONE.fullmatch(stripped))


def _parse_date(text: str) -> date | None:
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if match is not None:
        year, month, day = match.group(1), match.group(3), match.group(4)
    else:
        match = _DATE_CN.fullmatch(text)
        if match is None:
            return None
        year, month, day = match.groups()
    try:
        parsed = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return parsed if parsed.year >= 1900 else None


def _shown(value: str) -> str:
    """A value as quoted back in a message, cut short so one bad cell cannot flood the report."""
    return value if len(value) <= _SHOWN_LENGTH else value[:_SHOWN_LENGTH] + "…"
