"""Fixtures of the metric-collection integration tests."""

from tests.integration.records.records_support import who

__all__ = ["who"]
