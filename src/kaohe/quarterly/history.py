"""Historical quarterly results of a unit moving to kaohe, the pure part: bytes in, rows or row-numbered
Chinese errors out (the shared toolkit kaohe.sheets reads the file, with its limits for hostile files).

One row per person and quarter: 工号, 年度, 季度, 记录得分, 指标得分, 季度得分 and, optionally, 缺评说明 as the
old system wrote it. Files are read as offices keep them: title rows above the header, a 序号 column, full-width
digits, "第三季度" or "Q3" or 3 for the quarter; a totals row (合计) is skipped, as in every import.
All or nothing: `parse_history` returns rows only when no row of the file has an error.
"""

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from kaohe.messages import t
from kaohe.sheets import (
    CellError,
    CellRules,
    HeaderSpec,
    ImportResult,
    Limits,
    SheetError,
    error_order,
    field_error,
    fold,
    read_row,
    read_table,
    row_error,
    shown,
    to_decimal,
)

EMPLOYEE_NO = "工号"
YEAR = "年度"
QUARTER = "季度"
RECORD = "记录得分"
INDICATOR = "指标得分"
TOTAL = "季度得分"
NOTES = "缺评说明"
HEADERS = (EMPLOYEE_NO, YEAR, QUARTER, RECORD, INDICATOR, TOTAL, NOTES)
REQUIRED = (EMPLOYEE_NO, YEAR, QUARTER, RECORD, INDICATOR, TOTAL)
SPEC = HeaderSpec(columns=HEADERS, required=REQUIRED, ignored=frozenset({"序号", "姓名", "部门"}))
RULES = CellRules(required=REQUIRED, folded=frozenset({EMPLOYEE_NO, YEAR, QUARTER}))
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
NOTES_MAX = 500
FIRST_YEAR, LAST_YEAR = 2000, 2100
_QUARTER_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4}
_ORDER = error_order(HEADERS)


@dataclass(frozen=True, kw_only=True)
class HistoryRow:
    row: int
    employee_no: str
    year: int
    quarter: int
    record_score: Decimal
    indicator_score: Decimal
    quarterly_score: Decimal
    notes: str


def quarter_number(text: str) -> int | None:
    """3 from "3", "Q3", "第三季度", "三季度" or "3季度"; None when it names no quarter 1–4."""
    value = fold(text).strip().upper().removeprefix("第").removesuffix("季度").removeprefix("Q")
    if value in _QUARTER_WORDS:
        return _QUARTER_WORDS[value]
    if value.isdigit() and 1 <= int(value) <= 4:
        return int(value)
    return None


def parse_history(data: bytes, filename: str, *, known_employees: Collection[str], quarters: int = 4,
                  max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> ImportResult[HistoryRow]:
    """Parse and check a file of past quarterly results; `quarters`: the scheme's quarters a year."""
    table = read_table(data, filename, SPEC, limits=Limits(max_bytes=max_bytes, max_rows=max_rows))
    if table.columns is None or not table.readable:
        return ImportResult(errors=sorted(table.errors, key=_ORDER))
    employees = frozenset(fold(no.strip()) for no in known_employees)
    errors: list[SheetError] = list(table.errors)
    rows: list[HistoryRow] = []
    first: dict[tuple[str, int, int], int] = {}
    for row in table.rows:
        cells = read_row(row, table.columns, RULES)
        found = cells.errors
        number = row.number
        employee_no = cells.text(EMPLOYEE_NO)
        if employee_no and employee_no not in employees:
            found.append(field_error(number, EMPLOYEE_NO, t("quarterly_results.history.unknown_employee",
                                                            value=shown(employee_no))))
        year_text = cells.text(YEAR).removesuffix("年")
        year = int(year_text) if year_text.isdigit() and FIRST_YEAR <= int(year_text) <= LAST_YEAR else None
        if year_text and year is None:
            found.append(field_error(number, YEAR, t("quarterly_results.history.bad_year", value=shown(cells.text(YEAR)),
                                                     low=FIRST_YEAR, high=LAST_YEAR)))
        quarter_text = cells.text(QUARTER)
        quarter = quarter_number(quarter_text) if quarter_text else None
        if quarter_text and (quarter is None or quarter > quarters):
            found.append(field_error(number, QUARTER, t("quarterly_results.history.bad_quarter",
                                                        value=shown(quarter_text), count=quarters)))
            quarter = None
        scores: dict[str, Decimal] = {}
        for column in (RECORD, INDICATOR, TOTAL):
            raw = row.values[table.columns.index[column]] if table.columns.index[column] < len(row.values) else None
            if not cells.text(column):
                continue
            try:
                value = to_decimal(raw if not isinstance(raw, str) else raw.strip(), max_digits=8)
            except CellError as exc:
                found.append(field_error(number, column, exc.detail))
                continue
            if isinstance(raw, str) and raw.strip().endswith("%"):
                found.append(field_error(number, column, t("quarterly_results.history.percent", value=shown(raw))))
                continue
            if not Decimal(0) <= value <= Decimal(100):
                found.append(field_error(number, column, t("quarterly_results.history.range", value=shown(str(raw)))))
                continue
            scores[column] = value.quantize(Decimal("0.01"))
        notes = cells.text(NOTES)
        if len(notes) > NOTES_MAX:
            found.append(field_error(number, NOTES, t("quarterly_results.history.notes_long", limit=NOTES_MAX)))
        key = (employee_no, year, quarter) if employee_no and year and quarter else None
        if key is not None and key in first:
            found.append(row_error(number, t("quarterly_results.history.duplicate", first=first[key])))
        elif key is not None:
            first[key] = number
        errors.extend(found)
        if found or key is None or len(scores) < 3:
            continue
        rows.append(HistoryRow(row=number, employee_no=employee_no, year=year, quarter=quarter,  # type: ignore[arg-type]
                               record_score=scores[RECORD], indicator_score=scores[INDICATOR],
                               quarterly_score=scores[TOTAL], notes=notes))
    if errors:
        return ImportResult(errors=sorted(errors, key=_ORDER))
    if not rows:
        return ImportResult(errors=[row_error(0, t("quarterly_results.history.empty"))])
    return ImportResult(rows=rows)
