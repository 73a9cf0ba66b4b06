"""Reading the first worksheet of an .xlsx: every row, the cells as Excel shows them, the merged ranges.

openpyxl's read-only worksheet trusts the sheet's <dimension> element, which other programs write
wrongly: a sheet that claims A1:C3 but holds six rows would lose three. Its sheet parser is used
directly instead: it streams every <row> with its real row number, and it also reads the
<mergeCells> that a read-only worksheet does not give.

Before openpyxl sees the file, its zip is checked (kaohe.sheets.archive); openpyxl then reads from a
`TimedArchive`, so no part of the file is parsed past the deadline, and every row checks it too.
"""

import io
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.merge import MergeCells

from kaohe.messages import t
from kaohe.sheets.archive import TimedArchive, check_archive, check_dimension, corrupt
from kaohe.sheets.budget import Deadline
from kaohe.sheets.guard import check_column, check_number, check_text, collect, trimmed
from kaohe.sheets.model import Cell, CellRange, Limits, Row, Sheet, SheetRefused

# Excel's built-in formats 27–36 and 50–58 are the East Asian dates and times ('yyyy"年"m"月"d"日"'
# is 31). openpyxl does not know them and would give such a date cell as a bare serial number.
_EAST_ASIAN_DATES = frozenset(range(27, 37)) | frozenset(range(50, 59))
# A format padding whole numbers with zeros, maybe with quoted text around it: "00000", '"JZ"0000'.
_PADDED = re.compile(r'(?:"([^"]*)")?(0{2,})(?:"([^"]*)")?')
# OOXML writes the characters XML cannot hold as _xHHHH_: "_x0000_" for NUL, "_x000D_" for CR.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass(frozen=True)
class _Styles:
    """What the reader needs of the workbook's cell styles, by style id."""

    dates: frozenset[int]
    padded: dict[int, tuple[str, int, str]]  # prefix, width, suffix


def read_xlsx(data: bytes, limits: Limits, *, formula_values: bool = False,
              deadline: Deadline | None = None) -> Sheet:
    """The first worksheet's non-blank rows and merged ranges, or SheetRefused."""
    deadline = deadline or Deadline(limits.max_parse_seconds)
    check_archive(data, limits, deadline)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of features it drops; none matter here
            workbook = _load(data, formula_values, deadline)
    except SheetRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key, value) on a bad file
        raise corrupt() from exc
    try:
        if not workbook.worksheets:
            raise SheetRefused(t("sheets.file.no_worksheet"), reason="corrupt")
        worksheet = workbook.worksheets[0]
        check_dimension(workbook._archive, worksheet._worksheet_path, limits)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read_first_sheet(workbook, limits, formula_values, deadline)
    except SheetRefused:
        raise
    except Exception as exc:  # the sheet is parsed lazily, so corruption can surface here too
        raise corrupt() from exc
    finally:
        workbook.close()


def _load(data: bytes, formula_values: bool, deadline: Deadline) -> Workbook:
    """openpyxl's read-only load_workbook, reading every part through a TimedArchive."""
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=formula_values)
    reader.archive.close()
    reader.archive = TimedArchive(data, deadline)
    reader.read()
    return reader.wb


def _read_first_sheet(workbook: Workbook, limits: Limits, formula_values: bool, deadline: Deadline) -> Sheet:
    worksheet = workbook.worksheets[0]
    styles = _styles(workbook)
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source, worksheet._shared_strings, data_only=formula_values, epoch=workbook.epoch,
            date_formats=styles.dates, timedelta_formats=workbook._timedelta_formats,
        )
        rows, over_limit = collect(_rows(parser.parse(), styles, limits), limits, deadline)
    # <mergeCells> follows the cells, so the ranges are known once every row has been read.
    merges = () if over_limit else _merges(parser.merged_cells, limits)
    return Sheet(rows=rows, merges=merges, over_limit=over_limit)


def _styles(workbook: Workbook) -> _Styles:
    dates = set(workbook._date_formats)
    padded: dict[int, tuple[str, int, str]] = {}
    for style_id, style in enumerate(workbook._cell_styles):
        if style.numFmtId in _EAST_ASIAN_DATES:
            dates.add(style_id)
        elif style.numFmtId >= BUILTIN_FORMATS_MAX_SIZE:
            match = _PADDED.fullmatch(workbook._number_formats[style.numFmtId - BUILTIN_FORMATS_MAX_SIZE])
            if match is not None:
                padded[style_id] = (match.group(1) or "", len(match.group(2)), match.group(3) or "")
    return _Styles(dates=frozenset(dates), padded=padded)


def _rows(parsed: Iterable[tuple[int, list[dict]]], styles: _Styles, limits: Limits) -> Iterator[Row]:
    for number, cells in parsed:
        values: list[Cell] = []
        for cell in cells:
            if cell["value"] is None:
                continue
            column = cell["column"]
            check_column(number, column, limits)
            values.extend([None] * (column - len(values)))
            values[column - 1] = _value(number, cell, styles, limits)
        yield Row(number, trimmed(values))


def _value(number: int, cell: dict, styles: _Styles, limits: Limits) -> Cell:
    value = cell["value"]
    column = cell["column"]
    if cell["data_type"] == "f" and not isinstance(value, str):
        # An array or data-table formula: what matters is that it is one.
        value = getattr(value, "text", None) or "="
    if isinstance(value, str):
        if "_x" in value:
            value = _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), value)
        check_text(number, column, value)
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        check_number(number, column, value, limits)
        padding = styles.padded.get(cell["style_id"])
        if padding is not None and float(value).is_integer() and value >= 0:
            prefix, width, suffix = padding
            return f"{prefix}{int(value):0{width}d}{suffix}"
    return value


def _merges(merged: MergeCells | None, limits: Limits) -> tuple[CellRange, ...]:
    if merged is None:
        return ()
    if len(merged.mergeCell) > limits.max_merges:
        message = t("sheets.file.too_many_merges", count=limits.max_merges, limit=limits.max_merges)
        raise SheetRefused(message, reason="too_many_merges")
    ranges = []
    for item in merged.mergeCell:
        min_col, min_row, max_col, max_row = range_boundaries(item.ref)
        # A title merged across the whole row (A1:XFD1) names no column past the last one read.
        max_col = min(max_col, limits.max_columns)
        if min_col <= max_col:
            ranges.append(CellRange(min_row, min_col, max_row, max_col))
    return tuple(ranges)
