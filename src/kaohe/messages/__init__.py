"""The one message catalogue: every user-facing string, in Simplified Chinese.

Each module of this package keeps the entries of one key prefix in a dict named MESSAGES, and is named
after that prefix: every key of `messages/records.py` starts with "records.", every key of
`messages/field.py` with "field.". The loader refuses a key that breaks the rule, and a key defined
twice. `t(key, **params)` formats one entry.

- field.*       the Chinese names of fields and parameters (`kaohe.messages.validation.field_label`)
- enum.*        the Chinese labels of closed vocabularies (`kaohe.org.enums.label`)
- validation.*  why a value is refused (`kaohe.messages.validation.describe` / `reason`)
- cli.*         the `kaohe` command's help texts and output lines
"""

import pkgutil
import re
from enum import Enum
from importlib import import_module

CATALOGUE: dict[str, str] = {}


def t(key: str, /, **params: object) -> str:
    """The Chinese text for `key`, with `params` substituted."""
    return CATALOGUE[key].format(**params)


def snake_case(name: str) -> str:
    """DepartmentKind → department_kind: how class names appear in keys."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def enum_key(value: Enum) -> str:
    """The key of an enum member's label: Role.dept_head → "enum.role.dept_head"."""
    return f"enum.{snake_case(type(value).__name__)}.{value.value}"


def module_names() -> list[str]:
    """The catalogue modules of this package, each named after the key prefix it holds."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


def _load() -> None:
    for name in module_names():
        module = import_module(f"{__name__}.{name}")
        for key, text in module.MESSAGES.items():
            if not key.startswith(f"{name}."):
                raise RuntimeError(f"message key {key} is in messages/{name}.py: keys there start with '{name}.'")
            if key in CATALOGUE:
                raise RuntimeError(f"duplicate message key {key}")
            CATALOGUE[key] = text


_load()
