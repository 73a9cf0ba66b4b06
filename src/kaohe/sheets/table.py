"""A sheet as an import's table: the header found, the columns checked, the data rows under it.

Rows that carry no record are left out: blank rows, a totals row ("合计", "总计", "小计"), a row
with nothing but its 序号. A merged cell that spans data rows is refused: only its first cell
holds the value, and whether the others share it or are blank cannot be told.
"""

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from kaohe.messages import t
from kaohe.sheets.cells import is_blank
from kaohe.sheets.errors import file_error, header_error
from kaohe.sheets.header import Columns, Header, HeaderSpec, check_columns, header_name, locate_header
from kaohe.sheets.model import Limits, Row, Sheet, SheetError, SheetRefused
from kaohe.sheets.read import read_sheet

_TOTALS = re.compile(r"(?:合计|总计|小计)(?::.*)?")


@dataclass(frozen=True)
class Table:
    """An import file's header, columns and data rows, and its file and header problems in Chinese."""

    header: Header | None  # None when the file could not be read
    columns: Columns | None  # None when the rows cannot be read: see `check_columns`
    rows: list[Row]
    errors: list[SheetError]

    @property
    def readable(self) -> bool:
        """Whether there are data rows and the columns to check them by."""
        return self.columns is not None and bool(self.rows)


def read_table(data: bytes, filename: str, spec: HeaderSpec, *, limits: Limits = Limits(),
               formula_values: bool = False) -> Table:
    """Read, find the header, check the columns: everything before an import checks its rows."""
    try:
        sheet = read_sheet(data, filename, limits=limits, formula_values=formula_values)
        if not sheet.rows:
            raise SheetRefused(t("sheets.file.empty"), reason="empty")
        header = locate_header(sheet, spec, limits)
        rows = data_rows(sheet, header, limits)
    except SheetRefused as refused:
        return Table(header=None, columns=None, rows=[], errors=[file_error(refused.message, refused.row)])
    columns, details = check_columns(header, spec)
    errors = [header_error(header.first_row, detail) for detail in details]
    if columns is not None:
        rows = [row for row in rows if not only_ignored(row, columns)]
    if not rows:
        errors.append(file_error(t("sheets.file.no_data")))
    return Table(header=header, columns=columns, rows=rows, errors=errors)


def data_rows(sheet: Sheet, header: Header, limits: Limits = Limits()) -> list[Row]:
    """The non-blank rows below the header but totals rows; SheetRefused past `limits.max_rows`
    or where a merged cell spans data rows."""
    rows = [row for row in sheet.rows if row.number > header.last_row and not is_totals(row)]
    if sheet.over_limit or len(rows) > limits.max_rows:
        raise SheetRefused(t("sheets.file.too_many_rows", limit=limits.max_rows), reason="too_many_rows")
    check_merges(sheet, header, rows)
    return rows


def is_totals(row: Row) -> bool:
    """Whether the row's first filled cell says it sums up the rows above ("合  计", "总计：25 人")."""
    first = next((value for value in row.values if not is_blank(value)), None)
    return first is not None and _TOTALS.fullmatch(header_name(first)) is not None


def check_merges(sheet: Sheet, header: Header, rows: Sequence[Row]) -> None:
    """Refuse a merged range holding a value that reaches into a data row."""
    numbers = [row.number for row in rows]
    values = {row.number: row.values for row in sheet.rows}
    for merged in sorted(sheet.merges):
        if merged.max_row <= header.last_row or merged[:2] == merged[2:]:
            continue
        at = bisect_left(numbers, max(merged.min_row, header.last_row + 1))
        if at == len(numbers) or numbers[at] > merged.max_row:
            continue  # only title, header, totals or blank rows under it
        origin = values.get(merged.min_row, ())
        if merged.min_col <= len(origin) and not is_blank(origin[merged.min_col - 1]):
            message = t("sheets.file.merged_data", row=numbers[at], ref=merged.ref)
            raise SheetRefused(message, reason="merged", row=numbers[at])


def only_ignored(row: Row, columns: Columns) -> bool:
    """Whether the row is filled in ignored columns only (a template's pre-numbered 序号)."""
    return all(is_blank(value) for position, value in enumerate(row.values) if position not in columns.ignored)
