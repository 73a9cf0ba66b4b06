"""The spreadsheet import toolkit every import shares: bytes of an .xlsx or .csv in, rows and
row-numbered Chinese errors out. Pure: no database, no clock.

- `read_sheet`: the file's non-blank rows, or SheetRefused (size, type, encoding, limits, NUL, …)
- `locate_header`, `check_columns`: the header under any title rows, and where each column is
- `data_rows`: the rows under the header, totals rows left out, merged data cells refused
- `read_table`: all of the above in one call, problems as `SheetError`s
- `read_row`: one data row's cells as clean text or dates by an import's `CellRules`
- `to_text`, `to_integer`, `to_decimal`, `to_date`: one cell normalised, or CellError
- `field_error`, `row_error`, `header_error`, `file_error`, `error_order`: the errors and their order
- `parse_off_loop`, `UploadBudget`: how a web upload is read, in a parser thread within the
  operator's budget (the one part that is not pure: it hands work to a thread)
"""

from kaohe.sheets.budget import Deadline, UploadBudget
from kaohe.sheets.cells import (
    CellError,
    cell_text,
    excel_serial_date,
    fold,
    is_blank,
    looks_like_formula,
    parse_datetime_text,
    to_date,
    to_decimal,
    to_integer,
    to_text,
)
from kaohe.sheets.errors import error_order, field_error, file_error, header_error, row_error, shown
from kaohe.sheets.header import (
    ColumnMatch,
    Columns,
    Header,
    HeaderSpec,
    check_columns,
    header_name,
    locate_header,
    match_columns,
)
from kaohe.sheets.model import Cell, CellRange, ImportResult, Limits, Row, Sheet, SheetError, SheetRefused
from kaohe.sheets.offload import parse_off_loop
from kaohe.sheets.read import decode_csv, read_sheet
from kaohe.sheets.rows import CellRules, RowCells, read_row
from kaohe.sheets.table import Table, data_rows, is_totals, read_table

__all__ = [
    "Cell",
    "CellError",
    "CellRange",
    "CellRules",
    "ColumnMatch",
    "Columns",
    "Deadline",
    "Header",
    "HeaderSpec",
    "ImportResult",
    "Limits",
    "Row",
    "RowCells",
    "Sheet",
    "SheetError",
    "SheetRefused",
    "Table",
    "UploadBudget",
    "cell_text",
    "check_columns",
    "data_rows",
    "decode_csv",
    "error_order",
    "excel_serial_date",
    "field_error",
    "file_error",
    "fold",
    "header_error",
    "header_name",
    "is_blank",
    "is_totals",
    "locate_header",
    "looks_like_formula",
    "match_columns",
    "parse_datetime_text",
    "parse_off_loop",
    "read_row",
    "read_sheet",
    "read_table",
    "row_error",
    "shown",
    "to_date",
    "to_decimal",
    "to_integer",
    "to_text",
]
