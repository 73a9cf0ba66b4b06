"""One data row read by an import's rules: each known column's clean text or date cell, and the
problems of its cells as row-numbered Chinese errors."""

from dataclasses import dataclass, field
from datetime import date

from kaohe.messages import t
from kaohe.sheets.cells import CellError, is_blank, to_text
from kaohe.sheets.errors import field_error, row_error
from kaohe.sheets.header import Columns
from kaohe.sheets.model import Row, SheetError

_SEPARATOR = "、"


@dataclass(frozen=True)
class CellRules:
    """How an import reads its columns; every column not named in a rule is one line of plain text."""

    required: tuple[str, ...] = ()
    dates: frozenset[str] = frozenset()  # a date cell stays a date (or datetime), not text
    multiline: frozenset[str] = frozenset()  # free text: line breaks and tabs allowed
    folded: frozenset[str] = frozenset()  # full-width digits, letters and punctuation folded
    signed_numbers: frozenset[str] = frozenset()  # "+86 138 …" is a number here, not a formula


@dataclass
class RowCells:
    """What one data row gave: clean texts and date cells by column, and the errors of its cells."""

    number: int
    texts: dict[str, str] = field(default_factory=dict)
    dates: dict[str, date] = field(default_factory=dict)
    errors: list[SheetError] = field(default_factory=list)

    def text(self, column: str) -> str:
        return self.texts.get(column, "")

    @property
    def refused(self) -> set[str | None]:
        """The columns (and None for the row) that already have an error."""
        return {error.field for error in self.errors}


def read_row(row: Row, columns: Columns, rules: CellRules) -> RowCells:
    """The row's cells by column; a required column left blank is an error too."""
    cells = RowCells(number=row.number, errors=unnamed_errors(row, columns))
    for column, position in columns.index.items():
        value = row.values[position] if position < len(row.values) else None
        if column in rules.dates and isinstance(value, date):
            cells.dates[column] = value
            continue
        try:
            cells.texts[column] = to_text(value, multiline=column in rules.multiline, folded=column in rules.folded,
                                          signed_number=column in rules.signed_numbers)
        except CellError as error:
            cells.errors.append(field_error(row.number, column, error.detail))
    refused = cells.refused
    for column in rules.required:
        if column not in refused and not cells.text(column) and column not in cells.dates:
            cells.errors.append(field_error(row.number, column, t("sheets.cell.required")))
    return cells


def unnamed_errors(row: Row, columns: Columns) -> list[SheetError]:
    """An error when the row fills a column that has no header."""
    filled = [
        position + 1
        for position, value in enumerate(row.values)
        if (position in columns.unnamed or position >= columns.width) and not is_blank(value)
    ]
    if not filled:
        return []
    names = _SEPARATOR.join(str(position) for position in filled)
    return [row_error(row.number, t("sheets.row.unnamed_columns", columns=names))]
