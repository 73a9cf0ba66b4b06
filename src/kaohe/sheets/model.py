"""Plain data of a spreadsheet import: cells, rows, a read sheet, its limits, errors and results.

No I/O and no feature's vocabulary, so every import (rosters, records, metrics, the calendar) shares it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Generic, NamedTuple, TypeVar

from openpyxl.utils import get_column_letter

# A cell as the reader gives it: text, a number, a truth value, a date or time, or nothing.
Cell = str | int | float | Decimal | bool | date | datetime | time | timedelta | None

MB = 1024 * 1024


class Row(NamedTuple):
    """A row of the sheet: its row number as the spreadsheet shows it, and its cells from column A."""

    number: int
    values: tuple[Cell, ...]


class CellRange(NamedTuple):
    """A rectangle of cells, 1-based and inclusive (a merged range)."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def ref(self) -> str:
        """As Excel names it: "A3:A5"."""
        return (f"{get_column_letter(self.min_col)}{self.min_row}:"
                f"{get_column_letter(self.max_col)}{self.max_row}")


@dataclass(frozen=True)
class Sheet:
    """The non-blank rows of a sheet, its merged ranges, and whether reading stopped at the row limit."""

    rows: list[Row]
    merges: tuple[CellRange, ...] = ()
    over_limit: bool = False


@dataclass(frozen=True)
class Limits:
    """What a sheet may hold before it is refused; each import passes its own where they differ."""

    max_bytes: int = 10 * MB
    max_rows: int = 100_000  # data rows, below the header
    max_columns: int = 200
    # Rows read in all, blank ones included: Excel leaves formatted empty rows behind, and a small
    # .xlsx can unpack to a million of them. Excel's own maximum by default.
    max_scanned_rows: int = 1_048_576
    header_rows: int = 10  # how many non-blank rows at the top may hold titles and the header
    # Excel keeps 15 significant digits; past 18 (an ID card number's length) digits were surely lost.
    max_digits: int = 18
    # An .xlsx is a zip of XML parts, checked from its central directory before anything is unpacked
    # (kaohe.sheets.archive): how many parts, how much they unpack to in all, how far one part may
    # inflate (a zip bomb packs a gigabyte of one repeated byte into a megabyte), and how many
    # strings the shared-strings table may hold. The web passes the operator's settings for the
    # unpacked size and the parse time (`kaohe.sheets.offload.UploadBudget`).
    max_unpacked_bytes: int = 100 * MB
    max_entries: int = 1_000
    max_compression_ratio: int = 200  # checked on parts over 1 MB: real sheets deflate 5–50 to 1
    max_shared_strings: int = 1_000_000
    # The grid a worksheet's <dimension> declares. It is never trusted to find the rows (every <row>
    # is read), but a sheet claiming Excel's whole width is no table and is refused unread.
    max_declared_columns: int = 1_024
    # Merged ranges: each is compared with the header's every column, so thousands cost seconds.
    max_merges: int = 5_000
    # Wall-clock seconds of reading one file, checked while its parts are unpacked and per row. This
    # default is for the command line and jobs, where a large import may take a while and nobody else
    # waits; a web upload is read within the operator's KAOHE_UPLOAD_PARSE_SECONDS (UploadBudget).
    max_parse_seconds: float = 120.0


class SheetRefused(Exception):
    """The sheet as a whole cannot be read safely; `message` says why in Chinese, `row` where.

    `reason` is a short code ("too_large", "unsupported", "empty", "corrupt", "encoding", "csv",
    "too_many_rows", "too_many_columns", "nul", "digits", "merged", and for a hostile file
    "too_many_parts", "unpacked", "zip_bomb", "shared_strings", "dimension", "too_many_merges",
    "too_slow") for a caller that words it itself.
    """

    def __init__(self, message: str, *, reason: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.row = row


@dataclass(frozen=True, kw_only=True)
class SheetError:
    """One reason an import is refused; `row` is None for the file as a whole."""

    row: int | None
    field: str | None  # the Chinese column header, or None
    message: str  # complete Chinese sentence, naming the row and the field


T = TypeVar("T")


@dataclass
class ImportResult(Generic[T]):
    """The outcome of parsing an import file: rows only when there is no error at all."""

    rows: list[T] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
