"""Row-numbered Chinese errors of an import, and the order they are reported in."""

from collections.abc import Callable, Sequence

from kaohe.messages import t
from kaohe.sheets.model import SheetError

_SHOWN_LENGTH = 30


def field_error(row: int, column: str, detail: str) -> SheetError:
    """An error in one cell: "第 5 行「部门」：…"."""
    return SheetError(row=row, field=column, message=t("sheets.at_row_field", row=row, field=column, detail=detail))


def row_error(row: int, detail: str) -> SheetError:
    """An error of a data row as a whole: "第 5 行：…"."""
    return SheetError(row=row, field=None, message=t("sheets.at_row", row=row, detail=detail))


def header_error(row: int, detail: str) -> SheetError:
    """An error of the header row: "第 1 行（表头）：…"."""
    return SheetError(row=row, field=None, message=t("sheets.at_header", row=row, detail=detail))


def file_error(message: str, row: int | None = None) -> SheetError:
    """An error of the file as a whole; `message` is already a complete sentence."""
    return SheetError(row=row, field=None, message=message)


def error_order(columns: Sequence[str]) -> Callable[[SheetError], tuple[int, int]]:
    """Sort key: file errors first, then by row, then by column in the import's order."""
    position = {column: index for index, column in enumerate(columns)}

    def key(error: SheetError) -> tuple[int, int]:
        return (error.row or 0, position.get(error.field, -1) if error.field else -1)

    return key


def shown(value: str) -> str:
    """A value as quoted back in a message, cut short so one bad cell cannot flood the report."""
    return value if len(value) <= _SHOWN_LENGTH else value[:_SHOWN_LENGTH] + "…"
