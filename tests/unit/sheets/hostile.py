"""Hostile .xlsx files, written by hand with zipfile: small on disk, costly to read naively.

Each builder returns the bytes of a workbook whose one sheet starts with `header` (inline strings, so
no shared-strings table unless asked for), then whatever makes it hostile. The tests in
test_hostile_limits.py and bench/bench_inputs.py share them.
"""

import io
import struct
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
_SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_EMPTY_STRINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>'
)


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(row: int, column: int, value: object) -> str:
    ref = f"{column_letter(column)}{row}"
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row_xml(number: int, values: Sequence[object], spans: str | None = None) -> str:
    cells = "".join(cell(number, column, value) for column, value in enumerate(values, start=1) if value is not None)
    spans_attr = f' spans="{spans}"' if spans else ""
    return f'<row r="{number}"{spans_attr}>{cells}</row>'


def sheet(rows: Iterable[str], *, dimension: str | None = "A1:D2", before_data: str = "") -> bytes:
    """A worksheet part: the declared dimension, then `before_data` (<cols>, …), then the rows."""
    head = _SHEET_OPEN + (f'<dimension ref="{dimension}"/>' if dimension else "") + before_data
    return (head + "<sheetData>" + "".join(rows) + "</sheetData></worksheet>").encode()


def workbook(sheet_part: bytes, *, shared_strings: bytes = _EMPTY_STRINGS.encode(),
             extra: dict[str, bytes] | None = None) -> bytes:
    """The .xlsx around one worksheet part, every part deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_part)
        archive.writestr("xl/sharedStrings.xml", shared_strings)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def plain(header: Sequence[object], rows: Sequence[Sequence[object]], *, dimension: str | None = None) -> bytes:
    """An ordinary sheet: the header in row 1, `rows` under it; `dimension` as declared (may lie)."""
    lines = [row_xml(1, header)] + [row_xml(number, values) for number, values in enumerate(rows, start=2)]
    return workbook(sheet(lines, dimension=dimension))


# --- the hostile ones -------------------------------------------------------------------------------------

def huge_dimension(header: Sequence[object] = ("工号", "姓名")) -> bytes:
    """Declares the whole of Excel's grid, A1:XFD1048576, and holds one row."""
    return workbook(sheet([row_xml(1, header)], dimension="A1:XFD1048576"))


def gap_to_row(last: int = 20_000, header: Sequence[object] = ("工号", "姓名"), width: int = 16_384) -> bytes:
    """A wide declared range and column spans, the header in row 1, then nothing until row `last`,
    each row between declared as an empty styled row spanning every column (what Excel leaves
    behind when a whole sheet is formatted)."""
    spans = f"1:{width}"
    lines = [row_xml(1, header, spans)]
    lines += [f'<row r="{number}" spans="{spans}" s="1" customFormat="1"/>' for number in range(2, last)]
    lines.append(row_xml(last, ["E001", "张三"], spans))
    cols = f'<cols><col min="1" max="{width}" width="9" style="1" customWidth="1"/></cols>'
    return workbook(sheet(lines, dimension=f"A1:{column_letter(width)}{last}", before_data=cols))


def shared_strings_bomb(count: int = 5_000_000) -> bytes:
    """A shared-strings table of `count` empty strings: under a megabyte deflated, tens of MB unpacked."""
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" '
            f'uniqueCount="{count}">').encode()
    strings = head + b"<si><t/></si>" * count + b"</sst>"
    return workbook(sheet([row_xml(1, ["工号", "姓名"])]), shared_strings=strings)


def zip_bomb(megabytes: int = 200) -> bytes:
    """One extra part that inflates to `megabytes` MB of spaces (about 200 KB deflated)."""
    return workbook(sheet([row_xml(1, ["工号", "姓名"])]), extra={"xl/media/padding.xml": b" " * (megabytes << 20)})


def lying_header(real: bytes, declared_size: int) -> bytes:
    """The workbook with the worksheet's declared uncompressed size (local header and central
    directory) rewritten to `declared_size`, the CRC left as it was: a reader trusting the header
    would stop early, one ignoring it would read on."""
    data = bytearray(real)
    name = b"xl/worksheets/sheet1.xml"
    # The central directory entry: signature, then fixed fields; uncompressed size at offset 24.
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, declared_size)
            local = struct.unpack_from("<I", data, central + 42)[0]
            struct.pack_into("<I", data, local + 22, declared_size)
            return bytes(data)
        central = data.find(b"PK\x01\x02", central + 4)
    raise AssertionError("no worksheet entry")


def nul_cell() -> bytes:
    """A cell holding a NUL, written as OOXML escapes it (_x0000_)."""
    return plain(("工号", "姓名"), [("E001", "张_x0000_三")])


def giant_integer() -> bytes:
    """A number cell of 400 digits."""
    return workbook(sheet([row_xml(1, ["工号", "姓名"]), f'<row r="2"><c r="A2"><v>{"9" * 400}</v></c></row>']))


def many_strings(count: int = 900_000) -> bytes:
    """A shared-strings table of `count` different strings: no zip bomb (it deflates about tenfold)
    and under the count limit, yet seconds of parsing for openpyxl. Only the deadline stops it."""
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" '
            f'uniqueCount="{count}">')
    strings = head + "".join(f"<si><t>{n}</t></si>" for n in range(count)) + "</sst>"
    return workbook(sheet([row_xml(1, ["年度", "任务编号", "进度"])]), shared_strings=strings.encode())
