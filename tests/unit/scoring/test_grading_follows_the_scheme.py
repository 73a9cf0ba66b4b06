"""Change a number in the scheme's text and the results follow, with no code change (issue 3.6)."""

import numpy as np

from kaohe.scheme.loader import default_scheme_text, load_scheme_text
from kaohe.scheme.models import Scheme
from kaohe.scoring.from_scheme import capped_totals, grade_population


def scheme_with(*replacements: tuple[str, str]) -> Scheme:
    text = default_scheme_text()
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    scheme = load_scheme_text(text)
    assert isinstance(scheme, Scheme), scheme
    return scheme


SCORES = np.linspace(99.9, 96.0, 100)  # everyone reaches 优秀 by score
NOBODY_VETOED = np.zeros(100, bool)


def test_the_excellent_quota_follows_the_scheme():
    default = scheme_with()
    stricter = scheme_with(("max_share: 20  # G5", "max_share: 15  # G5"))
    assert (grade_population(default, SCORES, NOBODY_VETOED) == "excellent").sum() == 20
    assert (grade_population(stricter, SCORES, NOBODY_VETOED) == "excellent").sum() == 15


def test_the_department_scope_follows_the_scheme():
    scheme = scheme_with(("scope: unit", "scope: department"))
    departments = np.repeat([1, 2, 3, 4], 25)
    result = grade_population(scheme, SCORES, NOBODY_VETOED, departments=departments)
    assert [(result[departments == d] == "excellent").sum() for d in (1, 2, 3, 4)] == [5, 5, 5, 5]


def test_the_bonus_cap_follows_the_scheme():
    base, bonus = np.array([80.0, 90.0]), np.array([18.0, 10.0])
    assert list(capped_totals(scheme_with(), base, bonus)) == [96.0, 100.0]  # 20% of 80 = 16
    lower = scheme_with(("cap_percent_of_base: 20", "cap_percent_of_base: 15"))
    assert list(capped_totals(lower, base, bonus)) == [92.0, 100.0]  # 15% of 80 = 12
