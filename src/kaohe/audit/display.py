"""The audit log as people read it (pure): actions, objects, field names and values in Chinese.

An audit row keeps what the code knows: an action key ("record.confirm"), a table-like entity type
("work_record"), and the before/after values as JSON (enum values, ISO timestamps in UTC, booleans,
None). This module turns each into the words of the catalogue (messages/audit_view.py for actions and
objects, messages/field.py for field names, the vocabularies' labels for enum values) and shows
timestamps in the unit's zone to the minute, as every page does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from kaohe.messages import CATALOGUE, t
from kaohe.messages.validation import field_label

MINUTE = "%Y-%m-%d %H:%M"

# Entity type → the label context of its fields in messages/field.py ("field.<context>.<name>").
CONTEXTS: Mapping[str, str] = {
    "work_record": "record", "task_item": "task", "user": "user", "api_token": "token",
    "department": "department", "staff": "staff", "scheme_version": "version",
}

# (entity type, field) → the catalogue key of a value's label; entity type None: the field anywhere.
Vocabulary = Callable[[str], str]
VOCABULARIES: Mapping[tuple[str | None, str], Vocabulary] = {
    ("work_record", "status"): lambda value: f"records.status.{value}",
    ("staff", "status"): lambda value: f"enum.staff_status.{value}",
    ("scheme_version", "status"): lambda value: f"audit_view.scheme_status.{value}",
    ("department", "kind"): lambda value: f"enum.department_kind.{value}",
    ("calendar_day", "kind"): lambda value: f"calendar.kind.{value}",
    ("quarter_cycle", "phase"): lambda value: f"quarter.phase.{value}",
    (None, "post_category"): lambda value: f"enum.post_category.{value}",
    (None, "level"): lambda value: f"enum.level.{value}",
    (None, "roles"): lambda value: f"enum.role.{value}",
}

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_ACTION_PREFIX = "audit_view.action."
_ENTITY_PREFIX = "audit_view.entity."  # the catalogue's own order gives the filters' order


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class EntryView:
    action: str
    entity: str
    changes: tuple[Change, ...]


# --- names -------------------------------------------------------------------------------------------

def action_label(action: str) -> str:
    """The Chinese name of an audit action ("auth.sign_in" → 登录)."""
    group, _, verb = action.partition(".")
    return CATALOGUE.get(f"audit_view.action.{group}.{verb}") or t("audit_view.action_other")


def entity_kind(entity_type: str) -> str:
    """The Chinese name of a kind of object ("work_record" → 工作记录)."""
    return CATALOGUE.get(f"audit_view.entity.{entity_type}") or t("audit_view.entity_other")


def entity_label(entity_type: str, entity_id: str) -> str:
    """The object an audit row points at: "工作记录 #1248", "日历日期 2026-10-01", "节假日安排 2025、2026"."""
    kind = entity_kind(entity_type)
    if not entity_id:
        return kind
    if entity_id.isdigit():
        return t("audit_view.entity_numbered", kind=kind, id=entity_id)
    shown = t("audit_view.list_separator").join(entity_id.split(",")) if entity_type == "calendar" else entity_id
    return t("audit_view.entity_named", kind=kind, id=shown)


def field_name(entity_type: str, name: str) -> str:
    """The Chinese name of a before/after field, in the terms of its kind of object."""
    return (CATALOGUE.get(f"audit_view.field.{entity_type}.{name}") or CATALOGUE.get(f"audit_view.field.{name}")
            or field_label(name, CONTEXTS.get(entity_type)) or name)


def action_groups() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The filter's choices: (prefix, group name, [(action, name), …]) in catalogue order."""
    groups: dict[str, tuple[str, str, list[tuple[str, str]]]] = {}
    for key, text in CATALOGUE.items():
        if key.startswith(_ACTION_PREFIX):
            action = key.removeprefix(_ACTION_PREFIX)
            prefix = action.split(".", 1)[0]
            if prefix not in groups:
                groups[prefix] = (prefix, CATALOGUE.get(f"audit_view.group.{prefix}", prefix), [])
            groups[prefix][2].append((action, text))
    return list(groups.values())


def entity_kinds() -> list[tuple[str, str]]:
    """The filter's kinds of object: (entity type, name) in catalogue order."""
    return [(key.removeprefix(_ENTITY_PREFIX), text) for key, text in CATALOGUE.items()
            if key.startswith(_ENTITY_PREFIX)]


# --- values ------------------------------------------------------------------------------------------

def _vocabulary(entity_type: str, name: str) -> Vocabulary | None:
    return VOCABULARIES.get((entity_type, name)) or VOCABULARIES.get((None, name))


def _moment(text: str, zone: tzinfo) -> str | None:
    if not _ISO_DATETIME.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    # Stored times are UTC; a naive one (from an old row) is UTC too.
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime(MINUTE)


def value_text(value: Any, *, zone: tzinfo, vocabulary: Vocabulary | None = None) -> str:
    """One before/after value as a person reads it: labels for enum values, 是/否, local minutes, "—"."""
    if value is None or value == "" or value == []:
        return t("audit_view.none")
    if isinstance(value, bool):
        return t("audit_view.yes" if value else "audit_view.no")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, list | tuple):
        return t("audit_view.list_separator").join(value_text(v, zone=zone, vocabulary=vocabulary) for v in value)
    if isinstance(value, dict):
        return t("audit_view.list_separator").join(
            t("audit_view.pair", key=k, value=value_text(v, zone=zone)) for k, v in value.items())
    if isinstance(value, str):
        if vocabulary and vocabulary(value) in CATALOGUE:
            return CATALOGUE[vocabulary(value)]
        return _moment(value, zone) or value
    return str(value)


def changes(entity_type: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, *,
            zone: tzinfo) -> tuple[Change, ...]:
    """The before/after of a row, field by field, in Chinese."""
    before, after = before or {}, after or {}
    names: Iterable[str] = dict.fromkeys([*before, *after])
    out = []
    for name in names:
        vocabulary = _vocabulary(entity_type, name)
        out.append(Change(
            field=field_name(entity_type, name),
            before=value_text(before.get(name), zone=zone, vocabulary=vocabulary) if name in before else "",
            after=value_text(after.get(name), zone=zone, vocabulary=vocabulary) if name in after else ""))
    return tuple(out)


def entry_view(*, action: str, entity_type: str, entity_id: str, before: Mapping[str, Any] | None,
               after: Mapping[str, Any] | None, zone: tzinfo) -> EntryView:
    """An audit row's action, object and changes as the log page shows them."""
    return EntryView(action=action_label(action), entity=entity_label(entity_type, entity_id),
                     changes=changes(entity_type, before, after, zone=zone))
