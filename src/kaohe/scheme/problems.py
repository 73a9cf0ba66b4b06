"""A problem found in a scheme file: where (a dotted path) and what (Chinese)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kaohe.messages import t

# Discriminator tags pydantic puts into error locations; they are not document keys.
_UNION_TAGS = frozenset({"quantitative", "qualitative", "bands", "linear", "ratio"})


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def format_path(loc: Sequence[int | str]) -> str:
    """('indicators', 0, 'children', 2, 'weight') → 'indicators[0].children[2].weight'."""
    text = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in _UNION_TAGS and previous in ("measure", "rule"):
            part = "<tag>"
        elif part != "[key]":
            text += f".{part}" if text else str(part)
        previous = part
    return text


def _number(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


_SIMPLE = {
    "missing": "scheme.type.missing",
    "extra_forbidden": "scheme.type.extra",
    "list_type": "scheme.type.list",
    "dict_type": "scheme.type.mapping",
    "model_type": "scheme.type.mapping",
    "model_attributes_type": "scheme.type.mapping",
    "string_too_short": "scheme.type.text_too_short",
}
_VALUED = {
    "float_type": "scheme.type.number",
    "float_parsing": "scheme.type.number",
    "finite_number": "scheme.type.number",
    "int_type": "scheme.type.integer",
    "int_parsing": "scheme.type.integer",
    "int_from_float": "scheme.type.integer",
    "string_type": "scheme.type.text",
    "bool_type": "scheme.type.bool",
    "bool_parsing": "scheme.type.bool",
    "string_pattern_mismatch": "scheme.type.pattern",
}
_LIMITS = {
    "greater_than": ("scheme.type.gt", "gt"),
    "greater_than_equal": ("scheme.type.ge", "ge"),
    "less_than": ("scheme.type.lt", "lt"),
    "less_than_equal": ("scheme.type.le", "le"),
    "too_short": ("scheme.type.too_short", "min_length"),
    "too_long": ("scheme.type.too_long", "max_length"),
    "string_too_long": ("scheme.type.text_too_long", "max_length"),
}


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    value = _shown(error.get("input"))
    if kind in _SIMPLE:
        return t(_SIMPLE[kind])
    if kind in _VALUED:
        return t(_VALUED[kind], value=value)
    if kind in _LIMITS:
        key, name = _LIMITS[kind]
        return t(key, limit=_number(ctx.get(name)), value=value)
    if kind in ("enum", "literal_error"):
        return t("scheme.type.choice", value=value, expected=ctx.get("expected", ""))
    if kind == "union_tag_invalid":
        return t("scheme.type.kind", value=_shown(ctx.get("tag")), expected=ctx.get("expected_tags", ""))
    if kind == "union_tag_not_found":
        return t("scheme.type.kind_missing", field=ctx.get("discriminator", ""))
    return t("scheme.type.other", value=value)


def from_validation_error(error: ValidationError) -> list[Problem]:
    """Every pydantic error as a Problem, in document terms and in Chinese."""
    problems: list[Problem] = []
    seen: set[Problem] = set()
    for item in error.errors(include_url=False):
        problem = Problem(format_path(item["loc"]), _message(item))
        if problem not in seen:
            seen.add(problem)
            problems.append(problem)
    return problems
