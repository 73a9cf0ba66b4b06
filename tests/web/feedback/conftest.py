"""Fixtures of the quarterly-result integration tests."""

from tests.integration.records.records_support import who

__all__ = ["who"]
