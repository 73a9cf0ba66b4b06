"""Safe loading and dumping of scheme files.

The loader is deliberately strict: the file size is checked before any parsing, YAML anchors,
aliases and non-standard tags are refused (no alias bombs, no object construction), duplicate
keys are refused, and nesting depth is bounded.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent
from yaml.nodes import MappingNode

from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.scheme.models import FORMAT_VERSION, Scheme
from kaohe.scheme.problems import Problem, from_validation_error

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
_STANDARD_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)


class _Refused(yaml.YAMLError):
    """A construct the scheme loader does not accept; carries the Chinese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _line(event: Any) -> int:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else 0


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without anchors, aliases, custom tags, duplicate keys or deep nesting."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
            raise _Refused(t("scheme.yaml_alias", line=_line(event)))
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in _STANDARD_TAGS:
            raise _Refused(t("scheme.yaml_tag", tag=tag, line=_line(event)))
        nested = isinstance(event, CollectionStartEvent)
        if nested:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Refused(t("scheme.yaml_too_deep", limit=MAX_DEPTH))
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict) or key in seen:
                raise _Refused(t("scheme.yaml_duplicate_key", key=key, line=key_node.start_mark.line + 1))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Any, list[Problem]]:
    """The plain data of a YAML text and, if it was refused, the reasons (then the data is None)."""
    if len(text) > max_bytes or len(text.encode("utf-8")) > max_bytes:
        size = len(text.encode("utf-8"))
        return None, [Problem("", t("scheme.too_large", size=size, limit=max_bytes))]
    loader = StrictLoader(text)
    try:
        return loader.get_single_data(), []
    except _Refused as refused:
        return None, [Problem("", refused.message)]
    except yaml.composer.ComposerError as error:
        if "expected a single document" in str(error.context):
            return None, [Problem("", t("scheme.yaml_multiple_documents"))]
        return None, [_syntax_problem(error)]
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error)]
    except yaml.YAMLError as error:
        return None, [Problem("", t("scheme.yaml_syntax", line=0, column=0, problem=str(error)))]
    except RecursionError:
        return None, [Problem("", t("scheme.yaml_too_deep", limit=MAX_DEPTH))]
    finally:
        loader.dispose()


def _syntax_problem(error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    return Problem("", t("scheme.yaml_syntax", line=line, column=column, problem=error.problem or ""))


def scheme_from_data(data: Any, *, check: bool = True) -> Scheme | list[Problem]:
    """A `Scheme` from plain data, or every problem found in it."""
    if data is None:
        return [Problem("", t("scheme.empty"))]
    if not isinstance(data, dict):
        return [Problem("", t("scheme.not_mapping"))]
    version = data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        return [
            Problem("version", t("scheme.version_unsupported", version=version, supported=FORMAT_VERSION))
        ]
    try:
        scheme = Scheme.model_validate(data)
    except ValidationError as error:
        return from_validation_error(error)
    if check:
        from kaohe.scheme.validate import validate_scheme

        problems = validate_scheme(scheme)
        if problems:
            return problems
    return scheme


def load_scheme_text(
    text: str, *, max_bytes: int = DEFAULT_MAX_BYTES, check: bool = True
) -> Scheme | list[Problem]:
    """Parse and validate a scheme document; `check=False` skips the semantic checks."""
    data, problems = parse_yaml(text, max_bytes=max_bytes)
    if problems:
        return problems
    return scheme_from_data(data, check=check)


def load_scheme_file(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES, check: bool = True
) -> Scheme | list[Problem]:
    """Load a scheme file, refusing it before reading if it is larger than `max_bytes`."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > max_bytes:
            return [Problem("", t("scheme.too_large", size=size, limit=max_bytes))]
        with file.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return [Problem("", t("scheme.not_found", path=str(file)))]
    except OSError as error:
        return [Problem("", t("scheme.unreadable", reason=error.strerror or str(error)))]
    if len(raw) > max_bytes:
        return [Problem("", t("scheme.too_large", size=len(raw), limit=max_bytes))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [Problem("", t("scheme.not_utf8"))]
    return load_scheme_text(text, max_bytes=max_bytes, check=check)


def default_scheme_text() -> str:
    """The text of the built-in default scheme (the seed), shipped as package data."""
    return resources.files("kaohe").joinpath("schemes/default.yaml").read_text(encoding="utf-8")


def load_default_scheme() -> Scheme:
    """The built-in default scheme; raises `Invalid` if the shipped file is broken."""
    result = load_scheme_text(default_scheme_text())
    if isinstance(result, Scheme):
        return result
    details = [str(problem) for problem in result]
    raise Invalid(t("scheme.default_invalid", details="; ".join(details[:5])), details=details)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_scheme(scheme: Scheme) -> str:
    """The scheme as YAML that `load_scheme_text` reads back into an equal model."""
    data = scheme.model_dump(mode="json", exclude_none=True)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
