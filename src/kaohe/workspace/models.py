"""The workspace owns no tables: what it shows is read from the features that own the data."""
