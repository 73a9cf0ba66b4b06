"""The appraisal scheme as versioned, validated YAML policy (pure: no database, web or clock)."""

from kaohe.scheme.diff import SchemeDiff, diff_schemes, render_diff
from kaohe.scheme.loader import (
    dump_scheme,
    load_default_scheme,
    load_scheme_file,
    load_scheme_text,
)
from kaohe.scheme.models import Scheme
from kaohe.scheme.problems import Problem
from kaohe.scheme.tree import effective_weights, indicators_for
from kaohe.scheme.validate import validate_scheme

__all__ = [
    "Problem",
    "Scheme",
    "SchemeDiff",
    "diff_schemes",
    "dump_scheme",
    "effective_weights",
    "indicators_for",
    "load_default_scheme",
    "load_scheme_file",
    "load_scheme_text",
    "render_diff",
    "validate_scheme",
]
