"""Reading a business system's export of indicator values, the pure part: bytes in, rows or row-numbered
Chinese errors out (the shared toolkit kaohe.sheets reads the file; what a metric row must hold is here).

Files are read as systems export them: title rows and merged group headers above the header, extra
columns (姓名, 部门 …) that are not mapped and are left alone, a totals row (合计) that is skipped, a 工号
that lost its leading zeros in Excel (1001 for 001001, matched when exactly one 工号 fits), and percent
cells written "95%", typed 95, or stored as 0.95 in a cell formatted as a percent.

A percent is stored in percent (95 for 95%). "95%" is unambiguous. A plain number is ambiguous only
between 0 and 1: when every value of the column lies in 0–1, the column holds fractions (Excel's percent
format stores 95% as 0.95) and each is multiplied by 100; when other values of the column are above 1,
a value such as 0.95 could be 0.95% or 95%, so the file is refused naming the row rather than guessed.

All or nothing: `parse_metrics` returns rows only when no row of the file has an error.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kaohe.messages import t
from kaohe.metrics.catalog import HUNDRED, ColumnMapping, ValueRule, shown
from kaohe.sheets import (
    CellError,
    HeaderSpec,
    ImportResult,
    Limits,
    SheetError,
    SheetRefused,
    check_columns,
    data_rows,
    field_error,
    file_error,
    fold,
    header_error,
    header_name,
    is_blank,
    locate_header,
    looks_like_formula,
    read_sheet,
    row_error,
    to_decimal,
    to_text,
)
from kaohe.sheets import shown as shown_text
from kaohe.sheets.model import Cell, Row
from kaohe.sheets.rows import unnamed_errors

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
SERIAL = "序号"
PLACES = Decimal("0.000001")  # what the value column keeps (Numeric(20, 6))
_SEPARATOR = "、"


@dataclass(frozen=True, kw_only=True)
class MetricRow:
    """One person's values of the file; `row` is the spreadsheet row number."""

    row: int
    employee_no: str  # as the system knows it (leading zeros restored)
    values: dict[str, Decimal]  # indicator code → value; a blank cell gives no value


MetricImportResult = ImportResult[MetricRow]


class EmployeeNumbers:
    """The 工号 the system knows, and the one each number that lost its leading zeros stands for."""

    def __init__(self, known: Collection[str]) -> None:
        self._known = frozenset(known)
        stripped: dict[str, list[str]] = {}
        for number in self._known:
            if number.isdigit():
                stripped.setdefault(number.lstrip("0") or "0", []).append(number)
        self._stripped = {key: found[0] for key, found in stripped.items() if len(found) == 1}

    def find(self, text: str) -> str | None:
        if text in self._known:
            return text
        if text.isdigit():
            return self._stripped.get(text.lstrip("0") or "0")
        return None


def parse_metrics(data: bytes, filename: str, *, mapping: ColumnMapping, rules: Mapping[str, ValueRule],
                  known_employees: Collection[str], max_bytes: int = MAX_BYTES,
                  max_rows: int = MAX_ROWS) -> MetricImportResult:
    """Parse and check an .xlsx or .csv of one source's values; `rules` gives each mapped code's range."""
    limits = Limits(max_bytes=max_bytes, max_rows=max_rows)
    by_header = {header_name(header): code for code, header in mapping.columns.items() if header.strip()}
    headers = (header_name(mapping.employee_column), *by_header)
    try:
        sheet = read_sheet(data, filename, limits=limits)
        if not sheet.rows:
            raise SheetRefused(t("sheets.file.empty"), reason="empty")
        header = locate_header(sheet, HeaderSpec(columns=headers, required=headers), limits)
        rows = data_rows(sheet, header, limits)
    except SheetRefused as refused:
        return MetricImportResult(errors=[file_error(refused.message, refused.row)])
    # Columns the mapping does not name (姓名, 部门, 备注 …) are the system's own: left alone.
    extra = frozenset(name for name in header.names if name and name not in headers)
    columns, details = check_columns(header, HeaderSpec(columns=headers, required=headers, ignored=extra))
    errors = [header_error(header.first_row, detail) for detail in details]
    if columns is None:
        found = _SEPARATOR.join(shown_text(name) for name in header.names if name) or t("metrics.header.none")
        errors.append(header_error(header.first_row, t("metrics.header.found", names=found)))
        return MetricImportResult(errors=errors)
    serials = {position for position, name in enumerate(header.names) if name == SERIAL}
    rows = [row for row in rows if not _only_serial(row, serials)]
    if not rows:
        return MetricImportResult(errors=[*errors, file_error(t("sheets.file.no_data"))])

    employee_at = columns.index[headers[0]]
    value_at = {by_header[name]: position for name, position in columns.index.items() if name in by_header}
    fractions = {code: _fraction_column(rows, position) for code, position in value_at.items()
                 if rules[code].percent}
    numbers = EmployeeNumbers(known_employees)
    employee_label = mapping.employee_column.strip()
    out: list[MetricRow] = []
    first_row: dict[str, int] = {}
    for row in rows:
        found = unnamed_errors(row, columns)
        employee_no = _employee(row, employee_at, employee_label, numbers, found)
        values: dict[str, Decimal] = {}
        for code, position in value_at.items():
            label = mapping.columns[code].strip()
            value = _value(row, position, label, rules[code], fractions.get(code, False), found)
            if value is not None:
                values[code] = value
        if employee_no is not None and employee_no in first_row:
            found.append(row_error(row.number, t("metrics.row.duplicate", value=employee_no,
                                                 first=first_row[employee_no])))
        elif employee_no is not None:
            first_row[employee_no] = row.number
        errors.extend(found)
        if not found and employee_no is not None:
            out.append(MetricRow(row=row.number, employee_no=employee_no, values=values))
    if errors:
        return MetricImportResult(errors=sorted(errors, key=lambda e: (e.row or 0, e.field or "")))
    return MetricImportResult(rows=out)


def _cell(row: Row, position: int) -> Cell:
    return row.values[position] if position < len(row.values) else None


def _only_serial(row: Row, serials: set[int]) -> bool:
    """A template's pre-numbered row: nothing but its 序号 filled in."""
    return bool(serials) and all(is_blank(value) for position, value in enumerate(row.values)
                                 if position not in serials)


def _employee(row: Row, position: int, label: str, numbers: EmployeeNumbers,
              found: list[SheetError]) -> str | None:
    raw = _cell(row, position)
    try:
        text = to_text(raw, folded=True)
    except CellError as error:
        found.append(field_error(row.number, label, error.detail))
        return None
    if not text:
        found.append(field_error(row.number, label, t("sheets.cell.required")))
        return None
    employee_no = numbers.find(text)
    if employee_no is None:
        found.append(field_error(row.number, label, t("metrics.employee.unknown", value=shown_text(text))))
    return employee_no


def _number(raw: Cell) -> tuple[Decimal, bool]:
    """The cell as a number, and whether it was written as a percent ("95%"); CellError if it is none."""
    if isinstance(raw, str):
        text = fold(raw).strip()
        if looks_like_formula(text):
            raise CellError(t("metrics.value.formula", value=shown_text(text)))
        return to_decimal(text), text.endswith("%")
    return to_decimal(raw), False


def _fraction_column(rows: list[Row], position: int) -> bool:
    """Whether a percent column holds fractions (every plain number in it within 0–1)."""
    plain: list[Decimal] = []
    for row in rows:
        raw = _cell(row, position)
        if is_blank(raw):
            continue
        try:
            number, written_percent = _number(raw)
        except CellError:
            continue
        if not written_percent:
            plain.append(number)
    return bool(plain) and all(0 <= number <= 1 for number in plain)


def _value(row: Row, position: int, label: str, rule: ValueRule, fractions: bool,
           found: list[SheetError]) -> Decimal | None:
    raw = _cell(row, position)
    if is_blank(raw):
        return None  # no value for this person: shown as missing, never taken as 0
    try:
        number, written_percent = _number(raw)
    except CellError as error:
        found.append(field_error(row.number, label, error.detail))
        return None
    if rule.percent:
        if written_percent or fractions:
            number = number * HUNDRED
        elif 0 < number <= 1:
            found.append(field_error(row.number, label, t("metrics.value.ambiguous_percent", value=shown(number),
                                                          percent=shown(number * HUNDRED))))
            return None
    elif written_percent:
        found.append(field_error(row.number, label, t("metrics.value.not_percent", value=shown_text(str(raw)))))
        return None
    number = number.quantize(PLACES, rounding=ROUND_HALF_UP)
    refusal = rule.refusal(number)
    if refusal is not None:
        found.append(field_error(row.number, label, refusal))
        return None
    return number
