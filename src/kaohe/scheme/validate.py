"""Semantic checks of a scheme beyond types; every problem is collected, none stops the rest."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from itertools import pairwise

from kaohe.messages import t
from kaohe.scheme.enums import GRADE_ORDER, Composition, Grade
from kaohe.scheme.models import Scheme
from kaohe.scheme.problems import Problem
from kaohe.scheme.tree import HUNDRED, effective_weights, exact, library_leaves
from kaohe.scheme.validate_tree import check_tree, show

__all__ = ["effective_weights", "validate_scheme"]


def validate_scheme(scheme: Scheme) -> list[Problem]:
    """Every semantic problem of `scheme`, each with its path and a Chinese explanation."""
    problems = check_tree(scheme)
    for check in (_keys, _raters, _grades, _standards, _quotas, _bonus, _deadlines, _records, _cycle, _pay,
                  _quarterly):
        problems.extend(check(scheme))
    churn = scheme.revision.churn
    if churn.min > churn.max:
        problems.append(
            Problem("revision.churn", t("scheme.churn_inverted", low=show(churn.min), high=show(churn.max)))
        )
    return problems


def _duplicates(items: Iterable[str], path: str, what: str) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for index, key in enumerate(items):
        if key in seen:
            problems.append(Problem(f"{path}[{index}]", t("scheme.duplicate_key", what=t(what), key=key)))
        seen.add(key)
    return problems


def _keys(scheme: Scheme) -> list[Problem]:
    return [
        *_duplicates((d.key for d in scheme.dimensions), "dimensions", "scheme.what.dimension"),
        *_duplicates((d.key for d in scheme.data_sources), "data_sources", "scheme.what.data_source"),
        *_duplicates((g.key for g in scheme.raters.groups), "raters.groups", "scheme.what.rater"),
        *_duplicates((c.key for c in scheme.bonus.categories), "bonus.categories", "scheme.what.bonus"),
        *_duplicates((v.code for v in scheme.veto), "veto", "scheme.what.veto"),
        *_duplicates((p.key for p in scheme.post_templates), "post_templates", "scheme.what.template"),
        *_duplicates(
            (p.key for p in scheme.post_indicator_sets), "post_indicator_sets", "scheme.what.post_set"
        ),
        *_duplicates((q.grade.value for q in scheme.quotas.limits), "quotas.limits", "scheme.what.quota"),
    ]


def _raters(scheme: Scheme) -> list[Problem]:
    total = sum((exact(group.weight) for group in scheme.raters.groups), Fraction(0))
    if total != HUNDRED:
        return [Problem("raters.groups", t("scheme.rater_weights_sum", total=show(total)))]
    return []


def _grade_names(grades: Iterable[Grade]) -> str:
    return "、".join(t(f"scheme.grade.{grade.value}") for grade in grades)


def _coverage(grades: Sequence[Grade], path: str) -> list[Problem]:
    """All five grades, each once, best first."""
    problems = []
    missing = [grade for grade in GRADE_ORDER if grade not in grades]
    if missing:
        problems.append(Problem(path, t("scheme.grades_missing", grades=_grade_names(missing))))
    seen: set[Grade] = set()
    for index, grade in enumerate(grades):
        if grade in seen:
            problems.append(
                Problem(f"{path}[{index}]", t("scheme.grades_duplicate", grade=_grade_names([grade])))
            )
        seen.add(grade)
    if not missing and len(seen) == len(grades) and tuple(grades) != GRADE_ORDER:
        problems.append(Problem(path, t("scheme.grades_order")))
    return problems


def _descending(values: Sequence[tuple[Grade, float]], path: str, field: str) -> list[Problem]:
    problems = []
    for index in range(1, len(values)):
        grade, value = values[index]
        previous = values[index - 1][1]
        if value >= previous:
            problems.append(
                Problem(
                    f"{path}[{index}].{field}",
                    t(
                        "scheme.grade_scores_order",
                        grade=_grade_names([grade]),
                        value=show(value),
                        previous=show(previous),
                    ),
                )
            )
    return problems


def _grades(scheme: Scheme) -> list[Problem]:
    keys = [grade.key for grade in scheme.grades]
    problems = _coverage(keys, "grades")
    problems.extend(_descending([(g.key, g.min_score) for g in scheme.grades], "grades", "min_score"))
    return problems


def _standards(scheme: Scheme) -> list[Problem]:
    standards = scheme.standards
    problems = _coverage([band.grade for band in standards.task_completion], "standards.task_completion")
    problems.extend(
        _descending(
            [(band.grade, band.min_rate) for band in standards.task_completion],
            "standards.task_completion",
            "min_rate",
        )
    )
    problems.extend(_coverage([item.grade for item in standards.quality], "standards.quality"))
    problems.extend(_coverage([item.grade for item in standards.efficiency], "standards.efficiency"))
    return problems


def _quotas(scheme: Scheme) -> list[Problem]:
    problems = []
    total = Fraction(0)
    for index, limit in enumerate(scheme.quotas.limits):
        path = f"quotas.limits[{index}]"
        if limit.max_share is None and limit.min_share is None:
            problems.append(Problem(path, t("scheme.quota_empty")))
            continue
        if limit.max_share is not None and limit.min_share is not None and limit.min_share > limit.max_share:
            problems.append(
                Problem(
                    path,
                    t(
                        "scheme.quota_inverted",
                        grade=_grade_names([limit.grade]),
                        low=show(limit.min_share),
                        high=show(limit.max_share),
                    ),
                )
            )
        # The largest stated bound of each grade must fit, together with the others, in 100%.
        total += max(exact(limit.max_share or 0), exact(limit.min_share or 0))
    if total > HUNDRED:
        problems.append(Problem("quotas.limits", t("scheme.quota_total", total=show(total))))
    return problems


def _bonus(scheme: Scheme) -> list[Problem]:
    return [
        Problem(
            f"bonus.categories[{index}]",
            t("scheme.bonus_range", low=show(category.min), high=show(category.max)),
        )
        for index, category in enumerate(scheme.bonus.categories)
        if category.min > category.max
    ]


def _deadlines(scheme: Scheme) -> list[Problem]:
    problems = []
    for name in type(scheme.deadlines).model_fields:
        deadline = getattr(scheme.deadlines, name)
        if deadline.hours is None and deadline.working_days is None:
            problems.append(Problem(f"deadlines.{name}", t("scheme.deadline_neither")))
        elif deadline.hours is not None and deadline.working_days is not None:
            problems.append(Problem(f"deadlines.{name}", t("scheme.deadline_both")))
    return problems


def _records(scheme: Scheme) -> list[Problem]:
    records = scheme.records
    problems = []
    if records.weight < records.min_weight:
        message = t("scheme.record_weight", value=show(records.weight), limit=show(records.min_weight))
        problems.append(Problem("records.weight", message))
    score = records.score
    total = score.volume_weight + score.timeliness_weight + score.quality_weight
    if abs(total - 100) > 1e-9:
        problems.append(Problem("records.score", t("scheme.record_score_sum", total=show(total))))
    if score.mark_min >= score.mark_max:
        problems.append(Problem("records.score.mark_max", t(
            "scheme.record_marks_inverted", low=show(score.mark_min), high=show(score.mark_max))))
    elif not score.mark_min <= score.neutral_mark <= score.mark_max:
        problems.append(Problem("records.score.neutral_mark", t(
            "scheme.record_neutral_mark", value=show(score.neutral_mark), low=show(score.mark_min),
            high=show(score.mark_max))))
    return problems


def _cycle(scheme: Scheme) -> list[Problem]:
    cycle = scheme.cycle
    if cycle.annual != Composition.weighted:
        return []
    if cycle.quarter_weights is None:
        return [Problem("cycle.quarter_weights", t("scheme.quarter_weights_missing"))]
    problems = []
    if len(cycle.quarter_weights) != cycle.quarters:
        problems.append(
            Problem(
                "cycle.quarter_weights",
                t("scheme.quarter_weights_count", count=len(cycle.quarter_weights), quarters=cycle.quarters),
            )
        )
    total = sum((exact(weight) for weight in cycle.quarter_weights), Fraction(0))
    if total != HUNDRED:
        problems.append(Problem("cycle.quarter_weights", t("scheme.quarter_weights_sum", total=show(total))))
    return problems


def _pay(scheme: Scheme) -> list[Problem]:
    pay = scheme.outcomes.pay
    path = "outcomes.pay.floats"
    missing = [grade for grade in GRADE_ORDER if grade not in pay.floats]
    if missing:
        return [Problem(path, t("scheme.grades_missing", grades=_grade_names(missing)))]
    problems = []
    best = pay.floats[Grade.excellent]
    if best < pay.min_float:
        message = t("scheme.pay_float_min", value=show(best), limit=show(pay.min_float))
        problems.append(Problem(f"{path}.excellent", message))
    for previous, grade in pairwise(GRADE_ORDER):
        if pay.floats[grade] > pay.floats[previous]:
            message = t(
                "scheme.pay_float_order",
                grade=_grade_names([grade]),
                value=show(pay.floats[grade]),
                previous=show(pay.floats[previous]),
            )
            problems.append(Problem(f"{path}.{grade.value}", message))
    return problems


def _quarterly(scheme: Scheme) -> list[Problem]:
    """The warnings' indicator codes name quantitative leaves of the library (base tree or an overlay)."""
    leaves = library_leaves(scheme)
    warnings = scheme.quarterly.warnings
    problems = []
    for field in ("satisfaction_indicator", "task_progress_indicator"):
        code = getattr(warnings, field)
        path = f"quarterly.warnings.{field}"
        leaf = leaves.get(code)
        if leaf is None:
            problems.append(Problem(path, t("scheme.quarterly_indicator_unknown", code=code)))
        elif leaf.measure is None or leaf.measure.kind != "quantitative":
            problems.append(
                Problem(path, t("scheme.quarterly_indicator_not_quantitative", code=code, name=leaf.name))
            )
    return problems
