"""Finding the header of a sheet and the column each known header names.

Real sheets rarely start with their header: a title ("江州市政务服务中心2026年干部名册", often a merged
cell across the table), a line of who filled it in, a blank row come first. The header itself may
take two or three rows, a merged group cell ("基本信息") spanning the sub-columns beneath it. The
header is the band of up to three rows, among the first few non-blank ones, that names the most
known columns; each column's name is its lowest header cell's text, or the merged cell covering
it, or failing that the text above it.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kaohe.messages import t
from kaohe.sheets.cells import cell_text, fold
from kaohe.sheets.errors import shown
from kaohe.sheets.model import Cell, CellRange, Limits, Row, Sheet

_MAX_BAND = 3
# Spaces inside a header are how forms align two-character names ("姓  名"); a star marks a
# required column in many templates ("*工号"). Neither is part of the name.
_NOISE = re.compile(r"[\s*\u200b\u200c\u200d\u2060\ufeff]+")
_SEPARATOR = "、"


@dataclass(frozen=True)
class HeaderSpec:
    """The columns an import knows, in its order; the required ones; other spellings of them."""

    columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)  # another header text → the column
    ignored: frozenset[str] = frozenset()  # columns recognised and left out, like 序号

    def lookup(self) -> dict[str, str]:
        """Each accepted header text, normalised, to the column it names ("" for an ignored one)."""
        found = {header_name(name): "" for name in self.ignored}
        found.update({header_name(alias): column for alias, column in self.aliases.items()})
        found.update({header_name(column): column for column in self.columns})
        return found


@dataclass(frozen=True)
class Header:
    """The header band's first and last row numbers and each column's header text ("" for none)."""

    first_row: int
    last_row: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class ColumnMatch:
    """Where each known column is, and the header's other cells: blank, ignored, unknown, repeated."""

    index: dict[str, int]
    unnamed: frozenset[int]
    ignored: frozenset[int]
    unknown: list[str]
    repeated: list[str]


@dataclass(frozen=True)
class Columns:
    """Where each known column is, which positions have no header, and which are left out."""

    index: dict[str, int]
    unnamed: frozenset[int]
    ignored: frozenset[int]
    width: int


def header_name(value: Cell) -> str:
    """A header cell's text as compared: full-width folded, without spaces or stars."""
    return _NOISE.sub("", fold(cell_text(value)))


def locate_header(sheet: Sheet, spec: HeaderSpec, limits: Limits = Limits()) -> Header:
    """The header band among the first `limits.header_rows` non-blank rows; the first row when no
    band names a known column, so its problems are reported against it."""
    if not sheet.rows:
        return Header(first_row=1, last_row=1, names=())
    lookup = spec.lookup()
    top = sheet.rows[: limits.header_rows]
    best: tuple[int, int, int] | None = None
    best_header = _band(top[:1], sheet.merges)
    for start in range(len(top)):
        for depth in range(1, _MAX_BAND + 1):
            band = top[start : start + depth]
            if len(band) < depth or band[-1].number - band[0].number != depth - 1:
                break
            header = _band(band, sheet.merges)
            score = len({lookup[name] for name in header.names if lookup.get(name)})
            # The most known columns; on a tie the shallower band, then the earlier one.
            rank = (score, -depth, -start)
            if score and (best is None or rank > best):
                best, best_header = rank, header
    return best_header


def match_columns(names: Sequence[str], spec: HeaderSpec) -> ColumnMatch:
    """Where each known column is; blank, ignored, unknown and repeated header cells."""
    lookup = spec.lookup()
    index: dict[str, int] = {}
    unnamed: set[int] = set()
    ignored: set[int] = set()
    unknown: list[str] = []
    repeated: list[str] = []
    for position, name in enumerate(names):
        column = lookup.get(name)
        if not name:
            unnamed.add(position)
        elif column is None:
            unknown.append(name)
        elif not column:
            ignored.add(position)
        elif column in index:
            repeated.append(column)
        else:
            index[column] = position
    return ColumnMatch(index=index, unnamed=frozenset(unnamed), ignored=frozenset(ignored),
                       unknown=unknown, repeated=repeated)


def check_columns(header: Header, spec: HeaderSpec) -> tuple[Columns | None, list[str]]:
    """The column positions, or None when the rows cannot be read (a required or repeated column
    is wrong), and the header's problems in Chinese. Unknown columns alone leave the rows readable,
    so every problem of the file shows at once."""
    match = match_columns(header.names, spec)
    details: list[str] = []
    missing = [name for name in spec.required if name not in match.index]
    if missing:
        details.append(t("sheets.header.missing", names=_SEPARATOR.join(missing)))
    if match.repeated:
        details.append(t("sheets.header.duplicate", names=_SEPARATOR.join(match.repeated)))
    if match.unknown:
        names = _SEPARATOR.join(shown(name) for name in match.unknown)
        details.append(t("sheets.header.unknown", names=names, allowed=_SEPARATOR.join(spec.columns)))
    if missing or match.repeated:
        return None, details
    columns = Columns(index=match.index, unnamed=match.unnamed, ignored=match.ignored, width=len(header.names))
    return columns, details


def _band(rows: Sequence[Row], merges: Sequence[CellRange]) -> Header:
    first, last = rows[0].number, rows[-1].number
    # Only merged cells whose value sits in the band can name its columns.
    inside = [m for m in merges if first <= m.min_row <= last]
    values = {row.number: row.values for row in rows}
    width = max([len(row.values) for row in rows] + [m.max_col for m in inside])
    names = tuple(_column_name(column, rows, values, inside) for column in range(1, width + 1))
    return Header(first_row=first, last_row=last, names=names)


def _column_name(column: int, rows: Sequence[Row], values: Mapping[int, tuple[Cell, ...]], merges: Sequence[CellRange]) -> str:
    for row in reversed(rows):
        origin = next((m for m in merges if m.min_row <= row.number <= m.max_row
                       and m.min_col <= column <= m.max_col), None)
        at = (origin.min_row, origin.min_col) if origin is not None else (row.number, column)
        cells = values[at[0]]
        name = header_name(cells[at[1] - 1]) if at[1] <= len(cells) else ""
        if name:
            return name
    return ""
