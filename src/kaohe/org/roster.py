"""Staff roster import and export, the pure part: bytes in, rows and Chinese errors out.

The import is all or nothing. `parse_roster` reports every bad row with its spreadsheet row number
and returns rows only when there is no error at all, so a caller cannot save half a roster.
The database and web layers persist `RosterResult.rows` when `RosterResult.ok`.
"""

from collections.abc import Collection, Mapping

from kaohe.messages import t
from kaohe.org.roster_check import RowChecker, check_header, check_relations, error_order
from kaohe.org.roster_export import neutralise, write_roster_csv, write_roster_xlsx
from kaohe.org.roster_model import (
    REQUIRED_HEADERS,
    ROSTER_HEADERS,
    RosterError,
    RosterExportRow,
    RosterResult,
    RosterRow,
)
from kaohe.org.roster_read import RosterFileRefused, is_blank, read_table

__all__ = [
    "REQUIRED_HEADERS",
    "ROSTER_HEADERS",
    "RosterError",
    "RosterExportRow",
    "RosterResult",
    "RosterRow",
    "neutralise",
    "parse_roster",
    "write_roster_csv",
    "write_roster_xlsx",
]

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000


def parse_roster(
    data: bytes,
    filename: str,
    *,
    known_departments: Collection[str],
    existing_supervisors: Mapping[str, str | None],
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> RosterResult:
    """Parse and check an .xlsx or .csv roster; `existing_supervisors` maps 工号 to supervisor 工号."""
    try:
        table = read_table(data, filename, max_bytes=max_bytes, max_rows=max_rows)
    except RosterFileRefused as refused:
        return _refused(refused.message)
    if not table.rows and all(is_blank(cell) for cell in table.header):
        return _refused(t("roster.file.empty"))

    columns, errors = check_header(table.header)
    if table.too_many_rows:
        errors.insert(0, _file_error(t("roster.file.too_many_rows", limit=max_rows)))
        return RosterResult(errors=errors)
    if not table.rows:
        errors.append(_file_error(t("roster.file.no_data")))
    if columns is None or not table.rows:
        return RosterResult(errors=sorted(errors, key=error_order))

    checker = RowChecker(columns, known_departments=known_departments)
    checked = [checker.check(number, values) for number, values in table.rows]
    for item in checked:
        errors.extend(item.errors)
    errors.extend(check_relations(checked, existing_supervisors))
    if errors:
        return RosterResult(errors=sorted(errors, key=error_order))
    return RosterResult(rows=[item.row for item in checked if item.row is not None])


def _file_error(message: str) -> RosterError:
    return RosterError(row=None, field=None, message=message)


def _refused(message: str) -> RosterResult:
    return RosterResult(errors=[_file_error(message)])
