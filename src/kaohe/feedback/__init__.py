"""Written quarterly feedback (Q4, F1 written part) and the personal appraisal file (个人考核档案)."""
