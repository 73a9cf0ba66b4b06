"""Fixtures of the scheme tests: the default scheme as text, as data and as a model."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from kaohe.scheme.loader import default_scheme_text, scheme_from_data
from kaohe.scheme.models import Scheme
from kaohe.scheme.problems import Problem


@pytest.fixture(scope="session")
def default_text() -> str:
    return default_scheme_text()


@pytest.fixture(scope="session")
def _default_data(default_text: str) -> dict[str, Any]:
    return yaml.safe_load(default_text)


@pytest.fixture
def data(_default_data: dict[str, Any]) -> dict[str, Any]:
    """A fresh, mutable copy of the default scheme's plain data."""
    return copy.deepcopy(_default_data)


@pytest.fixture
def problems_of() -> Callable[[dict[str, Any]], list[Problem]]:
    """The problems found in plain data (empty if it loads cleanly)."""

    def run(value: dict[str, Any]) -> list[Problem]:
        result = scheme_from_data(value)
        return [] if isinstance(result, Scheme) else result

    return run
