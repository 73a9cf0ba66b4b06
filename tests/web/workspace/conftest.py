"""Fixtures of the workspace page tests."""

from tests.integration.records.records_support import who

__all__ = ["who"]
