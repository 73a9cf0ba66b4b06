"""Year-to-year diff: added, retired, re-weighted by code, and churn against the S8 band."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from kaohe.scheme import diff_schemes, render_diff
from kaohe.scheme.loader import scheme_from_data
from kaohe.scheme.models import Scheme


def build(data: dict[str, Any]) -> Scheme:
    scheme = scheme_from_data(data)
    assert isinstance(scheme, Scheme), scheme
    return scheme


def test_identical_schemes_have_no_churn(data: dict[str, Any]) -> None:
    diff = diff_schemes(build(data), build(data))
    assert (diff.added, diff.retired, diff.reweighted) == ([], [], [])
    assert diff.churn == 0
    assert diff.churn_out_of_band  # 0% is below the 10–15% band


def test_added_retired_reweighted_and_churn(data: dict[str, Any]) -> None:
    old = build(data)
    new_data = dict(data, year=2026)
    quality = new_data["indicators"][3]["children"][1]["children"]
    retired = quality.pop(2)  # 服务满意度 (30)
    quality[0]["weight"] = 40
    quality[1]["weight"] = 30
    quality.append(dict(retired, code="JI.2.4", name="群众满意度"))
    # the satisfaction warning (Q5) must follow the renamed indicator, or the new scheme is refused
    warnings = dict(data["quarterly"]["warnings"], satisfaction_indicator="JI.2.4")
    new_data["quarterly"] = dict(data["quarterly"], warnings=warnings)
    new_data["indicators"][3]["children"][2]["children"][1]["code"] = "JI.3.3"
    new_data["indicators"][3]["children"][0]["children"][0]["weight"] = 70
    new_data["indicators"][3]["children"][0]["children"][1]["weight"] = 30
    new = build(new_data)
    diff = diff_schemes(old, new)
    assert [item.code for item in diff.added] == ["JI.2.4", "JI.3.3"]
    assert [item.code for item in diff.retired] == ["JI.2.3", "JI.3.2"]
    assert {(r.code, r.old_weight, r.new_weight) for r in diff.reweighted} == {
        ("JI.1.1", 60, 70),
        ("JI.1.2", 40, 30),
    }
    assert diff.old_leaf_count == 38
    assert diff.churn == Fraction(4 * 100, 38)
    assert diff.churn_percent is not None and round(diff.churn_percent, 2) == 10.53
    assert not diff.churn_out_of_band
    text = render_diff(diff)
    assert "2025 年 → 2026 年" in text
    assert "JI.2.4 群众满意度" in text
    assert "JI.1.1 年度重点任务完成率:60% → 70%" in text
    assert "修订比例 10.53%" in text and "在方案规定的 10%–15% 区间内" in text


def test_the_band_is_a_setting_of_the_new_scheme(data: dict[str, Any]) -> None:
    old = build(data)
    data["revision"]["churn"] = {"min": 0, "max": 5}
    diff = diff_schemes(old, build(data))
    assert (diff.churn_min, diff.churn_max) == (0, 5)
    assert not diff.churn_out_of_band
    assert "不在" not in render_diff(diff)
