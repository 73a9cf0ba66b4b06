"""Fixtures of the ratings page and API tests."""

from tests.integration.records.records_support import who

__all__ = ["who"]
