"""The limits a sheet is read within, shared by the .xlsx and the .csv reader."""

from collections.abc import Iterable

from kaohe.messages import t
from kaohe.sheets.budget import Deadline
from kaohe.sheets.cells import is_blank
from kaohe.sheets.model import Limits, Row, SheetRefused


def collect(rows: Iterable[Row], limits: Limits, deadline: Deadline) -> tuple[list[Row], bool]:
    """The non-blank rows, and whether there were more than the data-row limit allows.

    Reading stops one row past what titles, a header and `limits.max_rows` data rows can fill, so
    an oversized file is refused without being read to its end; and at the deadline.
    """
    kept: list[Row] = []
    wanted = limits.max_rows + limits.header_rows
    for scanned, row in enumerate(rows, start=1):
        deadline.check()
        if scanned > limits.max_scanned_rows:
            message = t("sheets.file.too_many_scanned_rows", limit=limits.max_scanned_rows)
            raise SheetRefused(message, reason="too_many_rows", row=row.number)
        if all(is_blank(value) for value in row.values):
            continue
        if len(kept) == wanted:
            return kept, True
        kept.append(row)
    return kept, False


def check_column(number: int, column: int, limits: Limits) -> None:
    """Refuse a filled cell past the column limit; `column` is 1-based."""
    if column > limits.max_columns:
        message = t("sheets.file.too_many_columns", row=number, column=column, limit=limits.max_columns)
        raise SheetRefused(message, reason="too_many_columns", row=number)


def check_text(number: int, column: int, text: str) -> None:
    """Refuse a NUL: no text holds one, a database cannot store it, and it means a damaged file."""
    if "\x00" in text:
        raise SheetRefused(t("sheets.file.nul", row=number, column=column), reason="nul", row=number)


def check_number(number: int, column: int, value: int | float, limits: Limits) -> None:
    """Refuse a number too long to have been kept exactly."""
    if abs(value) >= 10**limits.max_digits:
        message = t("sheets.file.too_many_digits", row=number, column=column, limit=limits.max_digits)
        raise SheetRefused(message, reason="digits", row=number)


def trimmed(values: list) -> tuple:
    """The cells without the blank ones at the end of the row."""
    end = len(values)
    while end and is_blank(values[end - 1]):
        end -= 1
    return tuple(values[:end])
