"""Staff roster import and export, the pure part: bytes in, rows and Chinese errors out.

The import is all or nothing. `parse_roster` reports every bad row with its spreadsheet row number
and returns rows only when there is no error at all, so a caller cannot save half a roster.
The database and web layers persist `RosterResult.rows` when `RosterResult.ok`.
"""

from collections.abc import Collection, Mapping

from kaohe.org.roster_check import RowChecker, check_relations
from kaohe.org.roster_export import neutralise, write_roster_csv, write_roster_xlsx
from kaohe.org.roster_model import (
    REQUIRED_HEADERS,
    ROSTER_HEADERS,
    ROSTER_SPEC,
    RosterError,
    RosterExportRow,
    RosterResult,
    RosterRow,
)
from kaohe.sheets import Limits, error_order, read_table

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
_ORDER = error_order(ROSTER_HEADERS)


def parse_roster(
    data: bytes,
    filename: str,
    *,
    known_departments: Collection[str],
    existing_supervisors: Mapping[str, str | None],
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> RosterResult:
    """Parse and check an .xlsx or .csv roster; `existing_supervisors` maps 工号 to supervisor 工号.

    The header may sit under title rows and span two rows of merged cells; 序号 and totals rows
    are left out (see kaohe.sheets).
    """
    table = read_table(data, filename, ROSTER_SPEC, limits=Limits(max_bytes=max_bytes, max_rows=max_rows))
    if table.columns is None or not table.readable:
        return RosterResult(errors=sorted(table.errors, key=_ORDER))
    checker = RowChecker(table.columns, known_departments=known_departments)
    checked = [checker.check(row) for row in table.rows]
    errors = list(table.errors)
    for item in checked:
        errors.extend(item.errors)
    errors.extend(check_relations(checked, existing_supervisors))
    if errors:
        return RosterResult(errors=sorted(errors, key=_ORDER))
    return RosterResult(rows=[item.row for item in checked if item.row is not None])
