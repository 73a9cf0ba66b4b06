"""What an edit changed in a scheme document, field by field, in the words the editor shows
("能 › 统筹协调 › 权重: 40 → 50"), so the audit log of a scheme edit can be read by an inspector."""

from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from kaohe.scheme.display import node_names, scheme_view, where
from kaohe.scheme.models import Scheme

MAX_CHANGES = 200  # a whole-text rewrite lists its first changes; the version diff has the rest


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and any(isinstance(item, Mapping | list) for item in value):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def field_changes(old_text: str, new_text: str, new: Scheme) -> list[tuple[str, Any, Any]]:
    """(where, before, after) of every value that differs, where named as the editor names it."""
    before = dict(_leaves(yaml.safe_load(old_text) or {}))
    after = dict(_leaves(yaml.safe_load(new_text) or {}))
    names = node_names(scheme_view(new))
    out = []
    for path in sorted(set(before) | set(after)):
        if path in ("year", "version") or before.get(path) == after.get(path):
            continue
        out.append((where(path, names), before.get(path), after.get(path)))
        if len(out) == MAX_CHANGES:
            break
    return out
