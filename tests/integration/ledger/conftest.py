"""Fixtures of the ledger integration tests: who is acting (the daily-records helpers)."""

from tests.integration.records.records_support import who

__all__ = ["who"]
