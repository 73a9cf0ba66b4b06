"""Fixtures of the ratings integration tests."""

from tests.integration.records.records_support import who

__all__ = ["who"]
