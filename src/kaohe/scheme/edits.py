"""Targeted edits of a scheme document (pure): change one weight, threshold or text in place.

An edit names a scalar by its document path (`indicators[3].children[0].weight`), or by an
indicator code plus a path inside that node (`code="JI.1"`, `path="weight"`). The new value is
written over the old scalar's exact span in the text, so the author's comments, key order and
layout survive; only the edited values change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kaohe.messages import t
from kaohe.scheme.loader import StrictLoader, parse_yaml, scheme_from_data
from kaohe.scheme.models import Scheme
from kaohe.scheme.problems import Problem, format_path
from kaohe.scheme.tree import library

_TOKEN = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_LOCKED = frozenset({"version", "year"})
_YEAR_LINE = re.compile(r"^year:[ \t]*\d+", re.MULTILINE)


@dataclass(frozen=True)
class Edit:
    """Set the scalar at `path` (relative to indicator `code` when given) to `value`."""

    path: str
    value: str | float | int
    code: str | None = None


def parse_path(path: str) -> list[str | int] | None:
    """'indicators[0].children[2].weight' → ['indicators', 0, 'children', 2, 'weight'], or None."""
    parts: list[str | int] = []
    position = 0
    while position < len(path):
        match = _TOKEN.match(path, position)
        if match is None:
            return None
        key, index = match.group(1), match.group(2)
        # A key is dotted except at the start; the path starts with a key.
        if key is not None and match.group(0).startswith(".") != bool(parts):
            return None
        if key is None and not parts:
            return None
        parts.append(key if key is not None else int(index))
        position = match.end()
    return parts or None


def with_year(text: str, year: int) -> str | None:
    """The document with its top-level `year:` set to `year` (None if it has no such line)."""
    match = _YEAR_LINE.search(text)
    if match is None:
        return None
    return text[: match.start()] + f"year: {year}" + text[match.end():]


def _child(node: Node, part: str | int) -> Node | None:
    if isinstance(part, int) and isinstance(node, SequenceNode):
        return node.value[part] if 0 <= part < len(node.value) else None
    if isinstance(part, str) and isinstance(node, MappingNode):
        return next((value for key, value in node.value if key.value == part), None)
    return None


def _data_at(data: Any, parts: Sequence[str | int]) -> Any:
    for part in parts:
        data = data[part]
    return data


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _coerce(current: Any, value: str | float | int, where: str) -> tuple[Any, str] | Problem:
    """The new value and its YAML spelling, typed like the value it replaces."""
    if isinstance(current, bool | list | dict):
        return Problem(where, t("scheme_admin.edit_kind"))
    if isinstance(current, int | float):
        try:
            number = float(value.strip()) if isinstance(value, str) else float(value)
        except ValueError:
            return Problem(where, t("validation.number", value=repr(value)))
        if number != number or number in (float("inf"), float("-inf")):
            return Problem(where, t("validation.number", value=repr(value)))
        return number, _number_text(number)
    text = str(value).strip()
    # A JSON string is a valid YAML double-quoted scalar: no escaping rules of our own.
    return text, json.dumps(text, ensure_ascii=False)


def _code_paths(data: Any) -> dict[str, str] | list[Problem]:
    scheme = scheme_from_data(data, check=False)
    if not isinstance(scheme, Scheme):
        return scheme
    return {item.node.code: item.path for item in library(scheme)}


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, list[Problem]]:
    """The text with every edit applied, and the problems of edits that could not be applied.

    Edits that leave a value unchanged are skipped. The result is not validated here.
    """
    edits = list(edits)
    data, problems = parse_yaml(text)
    if problems:
        return text, problems
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return text, [Problem("", t("scheme.empty"))]
    finally:
        loader.dispose()
    codes: dict[str, str] | list[Problem] = {}
    if any(edit.code for edit in edits):
        codes = _code_paths(data)
        if isinstance(codes, list):
            return text, codes
    spans: dict[int, tuple[int, str]] = {}
    for edit in edits:
        where = edit.path
        if edit.code:
            if edit.code not in codes:
                problems.append(Problem(edit.path, t("scheme_admin.unknown_code", code=edit.code)))
                continue
            where = f"{codes[edit.code]}.{edit.path}"
        parts = parse_path(where)
        if parts is None:
            problems.append(Problem(where, t("scheme_admin.edit_bad_path")))
            continue
        where = format_path(parts)
        if parts[0] in _LOCKED:
            problems.append(Problem(where, t("scheme_admin.edit_locked")))
            continue
        node: Node | None = root
        for part in parts:
            node = _child(node, part) if node is not None else None
        if node is None:
            problems.append(Problem(where, t("scheme_admin.edit_not_found")))
            continue
        if not isinstance(node, ScalarNode):
            problems.append(Problem(where, t("scheme_admin.edit_kind")))
            continue
        coerced = _coerce(_data_at(data, parts), edit.value, where)
        if isinstance(coerced, Problem):
            problems.append(coerced)
            continue
        value, spelling = coerced
        if value == _data_at(data, parts):
            continue
        start, end = node.start_mark.index, node.end_mark.index
        if node.style in ("|", ">"):
            old = text[start:end]
            spelling += old[len(old.rstrip()):]  # keep the line break that ended the block
        spans[start] = (end, spelling)
    if problems:
        return text, problems
    for start in sorted(spans, reverse=True):
        end, spelling = spans[start]
        text = text[:start] + spelling + text[end:]
    return text, []
