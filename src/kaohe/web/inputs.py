"""The shapes every value coming in takes: bounded integers and text without invisible controls.

Every integer and text the API, the pages and the forms accept is declared with these (schemas, and
the Query/Path/Form parameters), so nothing unbounded reaches the database: an integer beyond what a
PostgreSQL `integer` column holds, or a NUL (which PostgreSQL refuses in text), would otherwise be a
500 on one backend and silently stored on the other.

Text refuses, with the field named in Chinese (`validation.text_control`):

- C0 controls and DEL (U+0000–U+001F, U+007F); multi-line text (`Text(n, lines=True)`) still takes
  tab, line feed and carriage return;
- C1 controls (U+0080–U+009F) and lone surrogates (Pydantic already refuses these as `string_unicode`);
- the bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates
  (U+2066–U+2069) and the invisible direction marks (U+200E, U+200F, U+061C). Chinese names and texts
  never need them, and they make one name display as another ("Trojan Source") in lists, exports and the
  audit log.

The rule is also in each field's OpenAPI `pattern`, so clients (and the fuzzer) know it. `visible` is the
same rule as a cleaner, for values already stored (the roster export strips them from cells).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

INT4_MAX = 2**31 - 1  # PostgreSQL `integer`, which every integer column and id of kaohe is

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS_MULTILINE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROLS = "\x00-\x1f\x7f-\x9f"
_REFUSED = re.compile(f"[{_CONTROLS}{_BIDI}]")
_REFUSED_MULTILINE = re.compile(f"[{_CONTROLS_MULTILINE}{_BIDI}]")
# The same classes as JSON Schema (ECMA-262) patterns, spelt with escapes so the document stays readable.
_BIDI_ESCAPED = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
PATTERN = rf"^[^\u0000-\u001f\u007f-\u009f{_BIDI_ESCAPED}]*$"
PATTERN_MULTILINE = rf"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f{_BIDI_ESCAPED}]*$"


def _refuse(pattern: re.Pattern[str]) -> Any:
    def check(value: str) -> str:
        found = pattern.search(value)
        if found is not None:
            # The message is the catalogue's (kaohe.messages.validation); this English one is never shown.
            raise PydanticCustomError("text_control", "text contains the control character U+{code}",
                                      {"code": f"{ord(found.group()):04X}"})
        return value

    return check


_check = _refuse(_REFUSED)
_check_multiline = _refuse(_REFUSED_MULTILINE)


def Text(max_length: int, *, min_length: int | None = None, lines: bool = False) -> Any:
    """Text of at most `max_length` characters (the column's length), without control characters;
    `lines=True` for a textarea (tab and line breaks allowed)."""
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length,
              json_schema_extra={"pattern": PATTERN_MULTILINE if lines else PATTERN}),
        AfterValidator(_check_multiline if lines else _check),
    ]


def visible(value: str, *, lines: bool = False) -> str:
    """`value` without the characters `Text` refuses (for text stored before the rule, or from files)."""
    return (_REFUSED_MULTILINE if lines else _REFUSED).sub("", value)


def Int(ge: int, le: int) -> Any:
    """An integer in [ge, le]: a domain's bounds, always inside what the integer columns hold."""
    assert -INT4_MAX - 1 <= ge <= le <= INT4_MAX
    return Annotated[int, Field(ge=ge, le=le)]


# A database id: a path id beyond it is a 422, never a query PostgreSQL refuses.
Id = Int(1, INT4_MAX)
# A year of appraisal: a scheme's, a task book's.
Year = Int(2000, 2100)
# Page numbers and sizes of lists.
Page = Int(1, 100_000)
PerPage = Int(1, 500)


def _id_or_blank(value: str) -> str:
    return value if value.isascii() and value.isdigit() and len(value) <= 9 else ""


# A page's optional id filter as typed in its query string: blank for "all". Anything that is not an id
# a column can hold (letters, "²", twenty digits) is ignored as a blank one is, the pages' rule since
# before; what is left is at most nine ASCII digits, so the page's int() always works and always fits.
IdFilter = Annotated[str, Field(max_length=20, json_schema_extra={"pattern": PATTERN}),
                     AfterValidator(_id_or_blank)]
