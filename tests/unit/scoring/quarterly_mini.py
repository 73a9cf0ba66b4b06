"""The small scheme of the hand-worked examples in docs/scoring.md ("Quarterly score"), as engine inputs.

    A 任务 (60)                 A.1 年度重点任务完成率 (60)  bands ≥95 → 100, ≥85 → 85, ≥75 → 75, ≥60 → 60, else 40
                                A.2 主持项目数量 (40)        ratio to the level's target 2 / 3 / 4, cap 100
    B 评价 (40)                 B.1 团队协作评价 (50)        leader + peers, five-point (1–5), ≥ 3 raters
                                B.2 服务态度评价 (50)        recipients + leader, 0–100, ≥ 3 raters

Rater groups leader 40, peers 20, recipients 30, experts 10; records weight 30 (floor 30); the record rule of
the default scheme (60/25/15, cap 1, marks 1–5 with 3 unmarked, −2 per return up to −20), 12 records expected.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from kaohe.scoring.quarterly import Node, QualitativeLeaf, QuantitativeLeaf, QuarterInputs, RecordCounts
from kaohe.scoring.records import RecordScoreRule

NODES = (Node(code="A", parent=None), Node(code="A.1", parent="A"), Node(code="A.2", parent="A"),
         Node(code="B", parent=None), Node(code="B.1", parent="B"), Node(code="B.2", parent="B"))
WEIGHTS = (60, 60, 40, 40, 50, 50)
QUANTITATIVE = (
    QuantitativeLeaf(code="A.1", rule="bands", higher_better=True,
                     bands=((95, 100), (85, 85), (75, 75), (60, 60)), otherwise=40),
    QuantitativeLeaf(code="A.2", rule="ratio", higher_better=True, targets=(2, 3, 4), cap=100),
)
QUALITATIVE = (
    QualitativeLeaf(code="B.1", groups=("leader", "peers"), scale_max=5, min_raters=3),
    QualitativeLeaf(code="B.2", groups=("recipients", "leader"), scale_max=100, min_raters=3),
)
GROUPS = ("leader", "peers", "recipients", "experts")
GROUP_WEIGHTS = (40.0, 20.0, 30.0, 10.0)
RULE = RecordScoreRule(volume_weight=60, timeliness_weight=25, quality_weight=15, volume_cap=1, mark_min=1,
                       mark_max=5, neutral_mark=3, return_penalty=2, max_return_penalty=20)
JUNIOR, INTERMEDIATE, SENIOR = 0, 1, 2

# 张三 of the docs: every other example changes one thing of this person
BASE: dict[str, Any] = {
    "level": JUNIOR,
    "values": {"A.1": 96.0, "A.2": 1.0},
    "ratings": {("B.1", "leader"): (4.0, 1), ("B.1", "peers"): (4.75, 4),
                ("B.2", "recipients"): (90.0, 3), ("B.2", "leader"): (83.0, 1)},
    # submitted, confirmed, returned, late, mean mark
    "records": (16, 12, 1, 4, 4.0),
}


def person(**changes: Any) -> dict[str, Any]:
    """BASE with some parts replaced; `values`/`ratings` entries set to None are removed."""
    result = {key: (dict(value) if isinstance(value, dict) else value) for key, value in BASE.items()}
    for key, value in changes.items():
        if key in ("values", "ratings"):
            for item, setting in value.items():
                if setting is None:
                    result[key].pop(item, None)
                else:
                    result[key][item] = setting
        else:
            result[key] = value
    return result


def inputs(people: list[dict[str, Any]], **policy: Any) -> QuarterInputs:
    """Engine inputs for `people` (ids 1, 2, …) on the mini scheme; `policy` overrides the defaults."""
    n = len(people)
    values = np.full((n, 2), np.nan)
    ratings = np.full((n, 2, 4), np.nan)
    raters = np.zeros((n, 2, 4), dtype=np.int64)
    quantitative = {leaf.code: j for j, leaf in enumerate(QUANTITATIVE)}
    qualitative = {leaf.code: k for k, leaf in enumerate(QUALITATIVE)}
    for i, who in enumerate(people):
        for code, value in who["values"].items():
            values[i, quantitative[code]] = value
        for (code, group), (mean, count) in who["ratings"].items():
            ratings[i, qualitative[code], GROUPS.index(group)] = mean
            raters[i, qualitative[code], GROUPS.index(group)] = count
    records = np.array([who["records"] for who in people], dtype=np.float64).reshape(n, 5)
    base = QuarterInputs(
        scheme_hash="mini-scheme", nodes=NODES, quantitative=QUANTITATIVE, qualitative=QUALITATIVE,
        groups=GROUPS, group_weights=GROUP_WEIGHTS, missing_group="renormalise", short_of_raters="exclude",
        missing_metric="exclude", record_rule=RULE, record_weight=30, record_min_weight=30,
        person_ids=list(range(1, n + 1)), tree_of=np.zeros(n, dtype=np.intp),
        tree_weights=np.array([WEIGHTS], dtype=np.float64), level=np.array([w["level"] for w in people]),
        values=values, ratings=ratings, raters=raters,
        records=RecordCounts(submitted=records[:, 0], confirmed=records[:, 1], returned=records[:, 2],
                             late=records[:, 3], expected=np.full(n, 12.0), mean_mark=records[:, 4]))
    return replace(base, **policy)
