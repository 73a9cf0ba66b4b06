"""The one message catalogue: every user-facing string, in Simplified Chinese.

Each feature keeps its entries in a module of this package (a dict named MESSAGES); keys are
prefixed with the feature name so they cannot collide. `t(key, **params)` formats one.
"""

from importlib import import_module

_DOMAINS = (
    "common", "auth", "org", "roster", "audit", "calendar", "calendar_admin", "scheme", "scheme_admin",
    "records", "records_import", "records_core",
)

CATALOGUE: dict[str, str] = {}
for _name in _DOMAINS:
    _module = import_module(f"kaohe.messages.{_name}")
    for _key, _text in _module.MESSAGES.items():
        if _key in CATALOGUE:
            raise RuntimeError(f"duplicate message key {_key}")
        CATALOGUE[_key] = _text


def t(key: str, /, **params: object) -> str:
    """The Chinese text for `key`, with `params` substituted."""
    return CATALOGUE[key].format(**params)
