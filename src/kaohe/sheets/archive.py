"""An .xlsx as a zip archive, checked before openpyxl reads it and read against a deadline.

A few kilobytes of zip can declare gigabytes of XML. What can be learnt without unpacking is
checked first, from the central directory: the number of parts, their declared sizes in all, how far
each would inflate. Python's zipfile never yields more than a part's declared size and checks the
CRC at its end, so a header that understates a size gives a corrupt file, not more bytes (see
tests/unit/sheets/test_hostile_limits.py); the declared sizes therefore bound what is unpacked.
Then the shared-strings table, which openpyxl loads whole before the first row, has its strings
counted in a streaming pass. While openpyxl reads, every chunk it pulls from a part checks the deadline.
"""

import io
import re
import zipfile
from typing import IO, Any

from openpyxl.utils import range_boundaries

from kaohe.messages import t
from kaohe.sheets.budget import Deadline
from kaohe.sheets.errors import shown
from kaohe.sheets.model import MB, Limits, SheetRefused

_CHUNK = 64 * 1024
# A part under this size cannot hurt whatever its ratio (a sheet of one repeated empty row
# deflates a thousandfold), so the ratio is checked on larger ones only.
_RATIO_FLOOR = MB
# <si> or a prefixed <x:si>, not <sis…>; a match is shorter than _TAIL, so chunks overlap by _TAIL.
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?si[\s/>]")
_TAIL = 24
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?dimension\s[^>]*?ref\s*=\s*[\"']([^\"']{1,40})[\"']")
_DIMENSION_WINDOW = 8 * 1024
_MB_SHOWN = "{:g}"


def corrupt() -> SheetRefused:
    return SheetRefused(t("sheets.file.corrupt_xlsx"), reason="corrupt")


def check_archive(data: bytes, limits: Limits, deadline: Deadline) -> None:
    """Refuse an .xlsx whose zip is too big unpacked, has too many parts, inflates like a zip bomb or
    holds too many shared strings, before any of its XML is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise corrupt() from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise SheetRefused(t("sheets.file.too_many_parts", count=len(entries), limit=limits.max_entries),
                               reason="too_many_parts")
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > limits.max_unpacked_bytes:
            raise SheetRefused(t("sheets.file.unpacked", limit=_MB_SHOWN.format(limits.max_unpacked_bytes / MB)),
                               reason="unpacked")
        for entry in entries:
            if entry.file_size > _RATIO_FLOOR and entry.file_size > entry.compress_size * limits.max_compression_ratio:
                ratio = entry.file_size // max(entry.compress_size, 1)
                raise SheetRefused(t("sheets.file.zip_bomb", ratio=ratio, limit=limits.max_compression_ratio),
                                   reason="zip_bomb")
        for entry in entries:
            if entry.filename.lower().endswith("sharedstrings.xml"):
                _count_shared_strings(archive, entry, limits, deadline)


def _count_shared_strings(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: Limits,
                          deadline: Deadline) -> None:
    count = 0
    tail = b""
    try:
        with archive.open(entry) as source:
            while chunk := source.read(_CHUNK):
                deadline.check()
                window = tail + chunk
                # A match ending inside the old tail was counted with the chunk before.
                count += sum(1 for match in _SHARED_STRING.finditer(window) if match.end() > len(tail))
                if count > limits.max_shared_strings:
                    message = t("sheets.file.shared_strings", limit=limits.max_shared_strings)
                    raise SheetRefused(message, reason="shared_strings")
                tail = window[-_TAIL:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise corrupt() from exc


def check_dimension(archive: zipfile.ZipFile, part: str, limits: Limits) -> None:
    """Refuse a worksheet whose declared <dimension> is wider or longer than any table read here.
    Only the first kilobytes are read: the element comes before the cells."""
    try:
        with archive.open(part) as source:
            head = source.read(_DIMENSION_WINDOW)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise corrupt() from exc
    match = _DIMENSION.search(head)
    if match is None:
        return
    ref = match.group(1).decode("ascii", "replace")
    try:
        _, _, columns, rows = range_boundaries(ref.upper())
    except (ValueError, TypeError):
        return  # an unreadable dimension says nothing; the rows are read whatever it claims
    if (columns or 0) > limits.max_declared_columns or (rows or 0) > limits.max_scanned_rows:
        message = t("sheets.file.dimension", ref=shown(ref), columns=limits.max_declared_columns,
                    rows=limits.max_scanned_rows)
        raise SheetRefused(message, reason="dimension")


class TimedArchive(zipfile.ZipFile):
    """A zip whose every opened part checks the deadline on each read, so openpyxl's parsing of any
    part (shared strings, styles, each worksheet) stops once the file has taken too long."""

    def __init__(self, data: bytes, deadline: Deadline) -> None:
        super().__init__(io.BytesIO(data))
        self.deadline = deadline

    def open(self, name: Any, mode: str = "r", pwd: bytes | None = None, **kwargs: Any) -> IO[bytes]:  # type: ignore[override]
        self.deadline.check()
        return _TimedPart(super().open(name, mode, pwd, **kwargs), self.deadline)  # type: ignore[return-value]


class _TimedPart:
    def __init__(self, part: IO[bytes], deadline: Deadline) -> None:
        self._part = part
        self._deadline = deadline

    def read(self, size: int = -1) -> bytes:
        self._deadline.check()
        return self._part.read(size)

    def read1(self, size: int = -1) -> bytes:
        self._deadline.check()
        return self._part.read1(size)  # type: ignore[attr-defined]

    def close(self) -> None:
        self._part.close()

    def __enter__(self) -> "_TimedPart":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._part, name)
