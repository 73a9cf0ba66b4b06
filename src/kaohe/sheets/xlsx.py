"""Reading the first worksheet of an .xlsx: every row, the cells as Excel shows them, the merged ranges.

openpyxl's read-only worksheet trusts the sheet's <dimension> element, which other programs write
wrongly: a sheet that claims A1:C3 but holds six rows would lose three. Its sheet parser is used
directly instead: it streams every <row> with its real row number, and it also reads the
<mergeCells> that a read-only worksheet does not give.
"""

import io
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.merge import MergeCells

from kaohe.messages import t
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


def read_xlsx(data: bytes, limits: Limits, *, formula_values: bool = False) -> Sheet:
    """The first worksheet's non-blank rows and merged ranges, or SheetRefused."""
    corrupt = SheetRefused(t("sheets.file.corrupt_xlsx"), reason="corrupt")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of features it drops; none matter here
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=formula_values)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key, value) on a bad file
        raise corrupt from exc
    try:
        if not workbook.worksheets:
            raise SheetRefused(t("sheets.file.no_worksheet"), reason="corrupt")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read_first_sheet(workbook, limits, formula_values)
    except SheetRefused:
        raise
    except Exception as exc:  # the sheet is parsed lazily, so corruption can surface here too
        raise corrupt from exc
    finally:
        workbook.close()


def _read_first_sheet(workbook: Workbook, limits: Limits, formula_values: bool) -> Sheet:
    worksheet = workbook.worksheets[0]
    styles = _styles(workbook)
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source, worksheet._shared_strings, data_only=formula_values, epoch=workbook.epoch,
            date_formats=styles.dates, timedelta_formats=workbook._timedelta_formats,
        )
        rows, over_limit = collect(_rows(parser.parse(), styles, limits), limits)
    # <mergeCells> follows the cells, so the ranges are known once every row has been read.
    merges = () if over_limit else _merges(parser.merged_cells)
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


def _merges(merged: MergeCells | None) -> tuple[CellRange, ...]:
    if merged is None:
        return ()
    ranges = []
    for item in merged.mergeCell:
        min_col, min_row, max_col, max_row = range_boundaries(item.ref)
        ranges.append(CellRange(min_row, min_col, max_row, max_col))
    return tuple(ranges)
