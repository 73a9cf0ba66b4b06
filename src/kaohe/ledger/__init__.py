"""The tamper-evident ledger shared by every feature."""
