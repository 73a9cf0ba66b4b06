"""Fixtures of the quarterly-cycle page and API tests."""

from tests.integration.records.records_support import who

__all__ = ["who"]
