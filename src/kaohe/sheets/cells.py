"""Cell normalisers: one raw cell in, a clean value out, or CellError with a Chinese reason.

Each takes a cell as the reader gives it (text from a CSV or an .xlsx, a number, a date cell) and
is pure. Full-width digits and punctuation ("１２３", "，", "％") are folded wherever a value is read
as a number or a date, since Chinese input methods type them as readily as the ASCII ones.
"""

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from kaohe.messages import t
from kaohe.sheets.errors import shown
from kaohe.sheets.model import Cell

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Zero-width characters come along when text is pasted from web pages or chat; they are dropped.
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
_FORMULA_START = ("=", "+", "-", "@")
# XML parsers turn a CR into LF, so in an .xlsx a leading CR arrives as a leading LF.
_FORMULA_START_RAW = ("\t", "\r", "\n")
# "+86 138 0013 8000": how a telephone number is written internationally, not a formula.
_SIGNED_NUMBER = re.compile(r"\+[\d -]+")
# Thousands separators and the spaces some people group digits with ("1,200", "1 200").
_GROUPING = str.maketrans("", "", ", ")
_INTEGER = re.compile(r"[+-]?(\d+)(?:\.0*)?")
_DECIMAL = re.compile(r"[+-]?(\d*)(?:\.\d+)?")
_TIME = r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
_DASHED = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})" + _TIME)
_DOTTED = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME)
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日" + _TIME.replace("[ T]+", r"\s*"))
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_FIRST_YEAR = 1900
# Excel's serial day 1 is 1900-01-01; it counts a 29 February 1900 that never was, hence the 30th.
_EXCEL_EPOCH = datetime(1899, 12, 30)
_LAST_SERIAL = 2_958_465  # 9999-12-31


class CellError(ValueError):
    """A cell that cannot be read as asked; `detail` says why, in Chinese, without row or column."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Cell) -> str:
    """A cell as text: 1001.0 as "1001", a date as YYYY-MM-DD, None as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time.min else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fold(text: str) -> str:
    """Full-width digits, letters and punctuation folded to ASCII ("Ａ００１：" → "A001:")."""
    return unicodedata.normalize("NFKC", text)


def looks_like_formula(raw: str) -> bool:
    """Whether a spreadsheet would run `raw` as a formula when the value is exported again."""
    return raw.startswith(_FORMULA_START_RAW) or raw.strip().startswith(_FORMULA_START)


def to_text(value: Cell, *, multiline: bool = False, folded: bool = False, signed_number: bool = False) -> str:
    """A cell as clean text: trimmed, invisible characters dropped, formulas and control characters
    refused. `multiline` keeps line breaks and tabs (free text), `folded` folds full-width
    characters, `signed_number` lets "+86 138…" through as a number rather than a formula."""
    raw = cell_text(value)
    if looks_like_formula(raw) and not (signed_number and _SIGNED_NUMBER.fullmatch(raw.strip())):
        raise CellError(t("sheets.cell.injection"))
    cleaned = raw.translate(_INVISIBLE).strip()
    if multiline:
        cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n")
        if _CONTROL_MULTILINE.search(cleaned):
            raise CellError(t("sheets.cell.control_chars_multiline"))
    elif _CONTROL.search(cleaned):
        raise CellError(t("sheets.cell.control_chars"))
    return fold(cleaned) if folded else cleaned


def to_integer(value: Cell, *, max_digits: int = 18) -> int:
    """A whole number: 12, 12.0, "12", "１２", "1,200"; refused past `max_digits` digits."""
    if isinstance(value, bool):
        raise CellError(t("sheets.cell.not_integer", value=value))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite() or number != number.to_integral_value():
            raise CellError(t("sheets.cell.not_integer", value=cell_text(value)))
        _check_digits(number, cell_text(value), max_digits)
        return int(number)
    text = _number_text(value, "sheets.cell.not_integer")
    match = _INTEGER.fullmatch(text)
    if match is None:
        raise CellError(t("sheets.cell.not_integer", value=shown(cell_text(value).strip())))
    if len(match.group(1).lstrip("0")) > max_digits:
        raise CellError(t("sheets.cell.too_many_digits", value=shown(text), limit=max_digits))
    return int(text.split(".")[0])


def to_decimal(value: Cell, *, max_digits: int = 18) -> Decimal:
    """A number: 85, 85.5, "85.5", "８５．５", "1,200.5"; a percent is its fraction, so "85%" and a
    cell formatted as a percent showing 85% (stored as 0.85) both give Decimal("0.85")."""
    if isinstance(value, bool):
        raise CellError(t("sheets.cell.not_number", value=value))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            raise CellError(t("sheets.cell.not_number", value=cell_text(value)))
        _check_digits(number, cell_text(value), max_digits)
        return number
    text = _number_text(value, "sheets.cell.not_number")
    percent = text.endswith("%")
    text = text.removesuffix("%").rstrip()
    match = _DECIMAL.fullmatch(text)
    if match is None or not text.strip("+-."):
        raise CellError(t("sheets.cell.not_number", value=shown(cell_text(value).strip())))
    if len(match.group(1).lstrip("0")) > max_digits:
        raise CellError(t("sheets.cell.too_many_digits", value=shown(text), limit=max_digits))
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # the pattern should have caught it; a number it is not
        raise CellError(t("sheets.cell.not_number", value=shown(text))) from exc
    return number / 100 if percent else number


def to_date(value: Cell, *, dots: bool = False, compact: bool = False, serial: bool = False) -> date:
    """A date: a date cell; text "2023-07-01", "2023/7/1", "2023年7月1日" (a time after it is
    ignored); with `dots` "2023.7.1", with `compact` 20230701, with `serial` an Excel serial day
    number (45108). A bare number is a date only when asked: read blindly, 2020 would be 1905."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        parsed = _number_date(value, compact=compact, serial=serial)
    else:
        found = parse_datetime_text(fold(cell_text(value)).strip(), dots=dots, compact=compact)
        parsed = found[0] if found is not None else None
    if parsed is None:
        raise CellError(t("sheets.cell.not_date", value=shown(cell_text(value).strip())))
    return parsed


def parse_datetime_text(text: str, *, dots: bool = False, compact: bool = False) -> tuple[date, time | None] | None:
    """The day and, when written, the time of day in a text date; None when it is not one."""
    match = (_DOTTED if dots else _DASHED).fullmatch(text)
    if match is not None:
        year, _, month, day, hour, minute, second = match.groups()
    elif (match := _CHINESE.fullmatch(text)) is not None:
        year, month, day, hour, minute, second = match.groups()
    elif compact and (match := _COMPACT.fullmatch(text)) is not None:
        (year, month, day), hour, minute, second = match.groups(), None, None, None
    else:
        return None
    try:
        parsed = date(int(year), int(month), int(day))
        clock = None if hour is None else time(int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    return (parsed, clock) if parsed.year >= _FIRST_YEAR else None


def excel_serial_date(serial: float) -> datetime | None:
    """The moment an Excel serial day number stands for (1900 date system), or None out of range."""
    if not 1 <= serial <= _LAST_SERIAL:
        return None
    # Serials 1–59 fall before the phantom 1900-02-29 and are one day off; no roster date is there.
    return _EXCEL_EPOCH + timedelta(days=serial)


def _number_date(value: int | float, *, compact: bool, serial: bool) -> date | None:
    if compact and float(value).is_integer() and 10_000_000 <= value <= 99_999_999:
        found = parse_datetime_text(str(int(value)), compact=True)
        return found[0] if found is not None else None
    if serial:
        moment = excel_serial_date(value)
        return moment.date() if moment is not None and moment.year >= _FIRST_YEAR else None
    return None


def _number_text(value: Cell, refusal: str) -> str:
    if not isinstance(value, str):
        raise CellError(t(refusal, value=shown(cell_text(value))))
    return fold(value).translate(_INVISIBLE).strip().translate(_GROUPING)


def _check_digits(number: Decimal, written: str, max_digits: int) -> None:
    whole = abs(int(number))
    if whole and len(str(whole)) > max_digits:
        raise CellError(t("sheets.cell.too_many_digits", value=shown(written), limit=max_digits))
