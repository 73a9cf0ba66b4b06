"""Reading an uploaded .xlsx or .csv into its non-blank rows, refusing a file that cannot be read safely."""

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import PurePath

from kaohe.messages import t
from kaohe.sheets.budget import Deadline, budgeted
from kaohe.sheets.guard import check_column, check_text, collect, trimmed
from kaohe.sheets.model import MB, Limits, Row, Sheet, SheetRefused
from kaohe.sheets.xlsx import read_xlsx

# A NUL share this large is not a stray byte but UTF-16 (Excel's "Unicode text") or a binary file.
_NUL_SHARE = 0.05


def read_sheet(data: bytes, filename: str, *, limits: Limits = Limits(), formula_values: bool = False) -> Sheet:
    """The first worksheet of an .xlsx, or a .csv, as its non-blank rows; SheetRefused saying why not.

    A formula cell reads as its formula text ("=SUM(A1)"), which the cell checks refuse, unless
    `formula_values` asks for the value Excel last computed for it. Reading stops with SheetRefused
    after `limits.max_parse_seconds` (the upload budget's, inside `parse_off_loop`).
    """
    limits = budgeted(limits)
    suffix = check_file(data, filename, limits)
    deadline = Deadline(limits.max_parse_seconds)
    if suffix == ".xlsx":
        return read_xlsx(data, limits, formula_values=formula_values, deadline=deadline)
    return read_csv(data, limits, deadline)


def check_file(data: bytes, filename: str, limits: Limits) -> str:
    """The file's suffix, once its size, type and emptiness allow reading it."""
    # The size is checked before anything looks at the content, so a huge upload costs nothing.
    if len(data) > limits.max_bytes:
        size, limit = f"{len(data) / MB:.1f}", f"{limits.max_bytes / MB:g}"
        message = t("sheets.file.too_large", size=size, limit=limit)
        raise SheetRefused(message, reason="too_large")
    # Browsers may send a Windows path ("C:\\fakepath\\名册.xlsx"); only the suffix matters.
    suffix = PurePath(filename.replace("\\", "/")).suffix.lower()
    if suffix == ".xls":
        raise SheetRefused(t("sheets.file.unsupported_xls"), reason="unsupported")
    if suffix not in (".xlsx", ".csv"):
        raise SheetRefused(t("sheets.file.unsupported", ext=suffix or filename), reason="unsupported")
    if not data.strip():
        raise SheetRefused(t("sheets.file.empty"), reason="empty")
    return suffix


def read_csv(data: bytes, limits: Limits, deadline: Deadline | None = None) -> Sheet:
    """The non-blank rows of a CSV: its size was checked, its rows and columns are counted as they
    are read, and reading stops at the deadline like an .xlsx's."""
    deadline = deadline or Deadline(limits.max_parse_seconds)
    rows, over_limit = collect(_csv_rows(decode_csv(data), limits), limits, deadline)
    return Sheet(rows=rows, over_limit=over_limit)


def decode_csv(data: bytes) -> str:
    """The text of a CSV: UTF-8 with or without the BOM Excel writes for "CSV UTF-8", else GB18030,
    what Excel on Chinese Windows writes for plain "CSV" (a superset of GBK and GB2312)."""
    encodings = ("utf-8-sig",) if data.startswith(codecs.BOM_UTF8) else ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.count("\x00") >= max(1, len(text) * _NUL_SHARE):
            break
        return text.removeprefix("\ufeff")
    raise SheetRefused(t("sheets.file.bad_encoding"), reason="encoding")


def _csv_rows(text: str, limits: Limits) -> Iterator[Row]:
    # strict: a stray quote must be reported, not silently swallow the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            yield Row(number, _csv_values(number, values, limits))
    except csv.Error as exc:
        message = t("sheets.file.bad_csv", row=number + 1)
        raise SheetRefused(message, reason="csv", row=number + 1) from exc


def _csv_values(number: int, values: list[str], limits: Limits) -> tuple[str, ...]:
    cells = trimmed(values)
    for column, text in enumerate(cells, start=1):
        check_text(number, column, text)
    if cells:
        check_column(number, len(cells), limits)
    return cells
