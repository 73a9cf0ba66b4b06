"""kaohe: a staff appraisal platform (干事考核)."""

__version__ = "0.1.0"
