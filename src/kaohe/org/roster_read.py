"""Reading a roster file (.xlsx or .csv) into raw cells, refusing a file that cannot be read."""

import codecs
import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from openpyxl import load_workbook

from kaohe.messages import t

_MB = 1024 * 1024


class RosterFileRefused(Exception):
    """The file as a whole cannot be imported; `message` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RawTable:
    """The header cells and the non-blank data rows (with their spreadsheet row numbers)."""

    header: tuple[object, ...]
    rows: list[tuple[int, tuple[object, ...]]]
    too_many_rows: bool


def read_table(data: bytes, filename: str, *, max_bytes: int, max_rows: int) -> RawTable:
    """The raw table of a roster file, or RosterFileRefused saying why it cannot be read."""
    # The size is checked before anything looks at the content, so a huge upload costs nothing.
    if len(data) > max_bytes:
        raise RosterFileRefused(
            t("roster.file.too_large", size=f"{len(data) / _MB:.1f}", limit=f"{max_bytes / _MB:g}")
        )
    # Browsers may send a Windows path ("C:\\fakepath\\名册.xlsx"); only the suffix matters.
    suffix = PurePath(filename.replace("\\", "/")).suffix.lower()
    if suffix == ".xls":
        raise RosterFileRefused(t("roster.file.unsupported_xls"))
    if suffix not in (".xlsx", ".csv"):
        raise RosterFileRefused(t("roster.file.unsupported", ext=suffix or filename))
    if not data.strip():
        raise RosterFileRefused(t("roster.file.empty"))
    if suffix == ".xlsx":
        return _read_xlsx(data, max_rows)
    return _read_csv(data, max_rows)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_xlsx(data: bytes, max_rows: int) -> RawTable:
    # data_only=False so that a formula cell reads as its formula text ("=HYPERLINK(...)") and is
    # refused, rather than as the cached result a spreadsheet program last computed.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key, value) on a bad file
        raise RosterFileRefused(t("roster.file.corrupt_xlsx")) from exc
    try:
        if not workbook.worksheets:
            raise RosterFileRefused(t("roster.file.no_worksheet"))
        sheet = workbook.worksheets[0]
        return _collect(sheet.iter_rows(values_only=True), max_rows)
    except RosterFileRefused:
        raise
    except Exception as exc:  # read-only sheets parse lazily, so corruption can surface here too
        raise RosterFileRefused(t("roster.file.corrupt_xlsx")) from exc
    finally:
        workbook.close()


def _read_csv(data: bytes, max_rows: int) -> RawTable:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        return _collect(reader, max_rows)
    except csv.Error as exc:
        raise RosterFileRefused(t("roster.file.bad_csv", row=reader.line_num)) from exc


def _decode(data: bytes) -> str:
    # UTF-8 first (with or without the BOM Excel writes for "CSV UTF-8"), then GB18030, which is
    # what Excel on Chinese Windows writes for plain "CSV" and a superset of GBK and GB2312.
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # A NUL never occurs in a text CSV; it means UTF-16 or a binary file that happened to decode.
        if "\x00" in text:
            break
        return text.removeprefix("\ufeff")
    raise RosterFileRefused(t("roster.file.bad_encoding"))


def _collect(rows: Iterable[Sequence[object]], max_rows: int) -> RawTable:
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        raise RosterFileRefused(t("roster.file.empty"))
    collected: list[tuple[int, tuple[object, ...]]] = []
    for number, values in enumerate(iterator, start=2):
        if all(is_blank(value) for value in values):
            continue
        if len(collected) == max_rows:
            # Stop reading: one row over the limit is enough to refuse the file.
            return RawTable(tuple(header), collected, too_many_rows=True)
        collected.append((number, tuple(values)))
    return RawTable(tuple(header), collected, too_many_rows=False)
