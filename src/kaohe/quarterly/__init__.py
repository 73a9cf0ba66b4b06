"""Quarterly evaluation (Q1–Q6): cycles and their phases (this package's `service`), and, built on them,
metric collection, raters, ratings, results and written feedback."""
