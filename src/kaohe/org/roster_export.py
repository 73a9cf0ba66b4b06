"""Writing a staff roster to .xlsx or .csv with the import's headers, safe to open in Excel."""

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kaohe.org.enums import LABELS
from kaohe.org.roster_model import ATTRIBUTE_OF_HEADER, HIRED_ON, ROSTER_HEADERS, RosterExportRow, RosterRow
from kaohe.web.inputs import visible

ExportRow = RosterExportRow | RosterRow | Mapping[str, object]

# Spreadsheet programs treat a cell starting with one of these as a formula (tab and CR because
# some strip them first); OWASP's advice is to make such a value plain text with a leading quote.
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_MIN_WIDTH = 8
_MAX_WIDTH = 40
_DATE_FORMAT = "yyyy-mm-dd"


def neutralise(value: str) -> str:
    """`value` made inert for a spreadsheet: a leading quote when it could start a formula."""
    return "'" + value if value.startswith(_DANGEROUS_START) else value


def write_roster_xlsx(rows: Iterable[ExportRow]) -> bytes:
    """The roster as an .xlsx workbook: bold frozen header, sized columns, dates as date cells."""
    table = [_values(row) for row in rows]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("干事名册")
    sheet.freeze_panes = "A2"
    for position, header in enumerate(ROSTER_HEADERS):
        longest = max((_display_width(value) for value in _column(table, position)), default=0)
        width = min(max(_display_width(header), longest, _MIN_WIDTH) + 2, _MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(position + 1)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in ROSTER_HEADERS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    date_position = ROSTER_HEADERS.index(HIRED_ON)
    for values in table:
        hired_on = values[date_position]
        if isinstance(hired_on, date):
            cell = WriteOnlyCell(sheet, value=hired_on)
            cell.number_format = _DATE_FORMAT
            values = [*values[:date_position], cell, *values[date_position + 1 :]]
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_roster_csv(rows: Iterable[ExportRow]) -> bytes:
    """The roster as CSV in UTF-8 with a BOM, which is how Excel recognises UTF-8."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROSTER_HEADERS)
    for values in map(_values, rows):
        writer.writerow(value.isoformat() if isinstance(value, date) else value for value in values)
    return buffer.getvalue().encode("utf-8-sig")


def _values(row: ExportRow) -> list[object]:
    """The cells of one row in header order: labels for enums, visible neutralised text, dates as dates."""
    cells: list[object] = []
    for header in ROSTER_HEADERS:
        value = _get(row, header)
        if value is None:
            cells.append("")
        elif isinstance(value, StrEnum):
            cells.append(LABELS.get(value, value.value))
        elif isinstance(value, datetime):
            cells.append(value.date())
        elif isinstance(value, date):
            cells.append(value)
        else:
            # Controls and bidi overrides stored before inputs refused them (or from an old import) are
            # dropped: openpyxl refuses controls outright, and an override would disguise the cell.
            cells.append(neutralise(visible(str(value))))
    return cells


def _get(row: ExportRow, header: str) -> object:
    attribute = ATTRIBUTE_OF_HEADER[header]
    if isinstance(row, Mapping):
        # Mappings may be keyed by attribute ("employee_no") or by the Chinese header ("工号").
        return row.get(attribute, row.get(header))
    return getattr(row, attribute)


def _column(table: list[list[object]], position: int) -> Iterable[object]:
    return (values[position] for values in table)


def _display_width(value: object) -> int:
    if isinstance(value, date):
        return 10
    text = str(value)
    # CJK characters take two columns of Excel's width unit.
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)
