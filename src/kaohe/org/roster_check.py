"""Checks of a roster's data rows: raw cells in, valid rows and Chinese errors out.

Reading the file, finding its header and cleaning its cells is the shared toolkit's (kaohe.sheets);
what a roster row must hold, and how the rows relate, is checked here.
"""

import re
from collections.abc import Collection, Mapping
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
    STATUS,
    SUPERVISOR_NO,
    TITLE,
    RosterError,
    RosterRow,
)
from kaohe.sheets import CellError, CellRules, Columns, Row, field_error, read_row, shown, to_date

_EMPLOYEE_NO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")
# Spaces and hyphens are how people group a number ("138-0013-8000"); they carry no meaning.
_PHONE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
_PHONE_SEPARATORS = str.maketrans("", "", " -")
_MAX_LENGTH = {TITLE: 30, POST_NAME: 50}
_NAME_LENGTH = (2, 20)
_SEPARATOR = "、"
# Full-width digits and letters ("Ａ００１", "１３８…") are folded to ASCII in these columns; 工号 is
# otherwise kept exactly as written, leading zeros and all.
RULES = CellRules(
    required=REQUIRED_HEADERS,
    dates=frozenset({HIRED_ON}),
    folded=frozenset({EMPLOYEE_NO, SUPERVISOR_NO, PHONE, HIRED_ON}),
    signed_numbers=frozenset({PHONE}),
)


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

    def check(self, row: Row) -> CheckedRow:
        cells = read_row(row, self._columns, RULES)
        number = row.number
        checked = CheckedRow(number=number, errors=cells.errors)
        errors = checked.errors
        text = cells.text

        employee_no = text(EMPLOYEE_NO)
        if employee_no and not _EMPLOYEE_NO.fullmatch(employee_no):
            errors.append(
                field_error(number, EMPLOYEE_NO, t("roster.employee_no.format", value=shown(employee_no)))
            )
        elif employee_no:
            checked.employee_no = employee_no

        name = text(NAME)
        if name and not _NAME_LENGTH[0] <= len(name) <= _NAME_LENGTH[1]:
            errors.append(field_error(number, NAME, t("roster.name.length", value=shown(name))))

        department = text(DEPARTMENT)
        if department and department not in self._departments:
            errors.append(
                field_error(number, DEPARTMENT, t("roster.department.unknown", value=shown(department)))
            )

        post_category = self._choice(number, POST_CATEGORY, text(POST_CATEGORY), PostCategory, errors)
        level = self._choice(number, LEVEL, text(LEVEL), Level, errors)
        status = self._choice(number, STATUS, text(STATUS), StaffStatus, errors) or StaffStatus.active

        gender = text(GENDER) or None
        if gender is not None and gender not in GENDERS:
            detail = t(
                "roster.field.choice", field=GENDER, value=shown(gender), allowed=_SEPARATOR.join(GENDERS)
            )
            errors.append(field_error(number, GENDER, detail))

        for column, limit in _MAX_LENGTH.items():
            if len(text(column)) > limit:
                errors.append(field_error(number, column, t("roster.field.too_long", limit=limit)))

        supervisor_no = text(SUPERVISOR_NO) or None
        if supervisor_no is not None and not _EMPLOYEE_NO.fullmatch(supervisor_no):
            detail = t("roster.supervisor.format", value=shown(supervisor_no))
            errors.append(field_error(number, SUPERVISOR_NO, detail))
        elif supervisor_no is not None and supervisor_no == employee_no:
            errors.append(field_error(number, SUPERVISOR_NO, t("roster.supervisor.self")))
        else:
            checked.supervisor_no = supervisor_no

        hired_on = self._hired_on(number, cells.dates.get(HIRED_ON), text(HIRED_ON), errors)

        phone = None
        if text(PHONE):
            match = _PHONE.fullmatch(text(PHONE).translate(_PHONE_SEPARATORS))
            if match is None:
                errors.append(
                    field_error(number, PHONE, t("roster.phone.invalid", value=shown(text(PHONE))))
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

    @staticmethod
    def _hired_on(number: int, cell: date | None, written: str, errors: list[RosterError]) -> date | None:
        # openpyxl gives a date cell as a datetime. A bare number (2020, 43831) is not taken for
        # a date: read as an Excel serial day it would silently become some day in 1905.
        if cell is not None:
            return cell.date() if isinstance(cell, datetime) else cell
        if not written:
            return None
        try:
            return to_date(written)
        except CellError:
            errors.append(field_error(number, HIRED_ON, t("roster.hired_on.invalid", value=shown(written))))
            return None

    @staticmethod
    def _choice(
        number: int, column: str, value: str, enum: type[StrEnum], errors: list[RosterError]
    ) -> StrEnum | None:
        if not value:
            return None
        member = parse_label(enum, value)
        if member is None:
            allowed = _SEPARATOR.join(label(option) for option in enum)
            detail = t("roster.field.choice", field=column, value=shown(value), allowed=allowed)
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
