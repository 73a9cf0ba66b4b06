"""A problem found in a scheme file: where (a dotted path) and what (Chinese)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from kaohe.messages.validation import reason

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


def from_validation_error(error: ValidationError) -> list[Problem]:
    """Every pydantic error as a Problem: where in document terms, why in Chinese (the shared translator)."""
    problems: list[Problem] = []
    seen: set[Problem] = set()
    for item in error.errors(include_url=False):
        problem = Problem(format_path(item["loc"]), reason(item))
        if problem not in seen:
            seen.add(problem)
            problems.append(problem)
    return problems
