"""Semantic checks: every kind of problem, with its path, in Chinese, all collected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kaohe.scheme.problems import Problem

Check = Callable[[dict[str, Any]], list[Problem]]


def paths(problems: list[Problem]) -> dict[str, str]:
    return {problem.path: problem.message for problem in problems}


def leaf(data: dict[str, Any], *indexes: int) -> dict[str, Any]:
    node = {"children": data["indicators"]}
    for index in indexes:
        node = node["children"][index]
    return node


def test_sibling_weights_must_sum_to_100(data: dict[str, Any], problems_of: Check) -> None:
    leaf(data, 3, 1, 0)["weight"] = 45
    found = paths(problems_of(data))
    assert found["indicators[3].children[1].children"] == "同级权重之和为 105，应为 100"


def test_level1_weights_must_sum_to_100(data: dict[str, Any], problems_of: Check) -> None:
    data["indicators"][5]["weight"] = 12.5
    found = paths(problems_of(data))
    assert found["indicators"] == "同级权重之和为 102.5，应为 100"


def test_all_problems_are_collected(data: dict[str, Any], problems_of: Check) -> None:
    leaf(data, 3, 1, 0)["weight"] = 45
    data["raters"]["groups"][0]["weight"] = 50
    data["bonus"]["categories"][0]["min"] = 12
    data["deadlines"]["appeal"] = {}
    found = paths(problems_of(data))
    assert {
        "indicators[3].children[1].children",
        "raters.groups",
        "bonus.categories[0]",
        "deadlines.appeal",
    } <= set(found)


def test_quota_above_100_is_refused(data: dict[str, Any], problems_of: Check) -> None:
    data["quotas"]["limits"][0]["max_share"] = 101
    assert "quotas.limits[0].max_share" in paths(problems_of(data))


def test_excellent_plus_unqualified_above_100(data: dict[str, Any], problems_of: Check) -> None:
    data["quotas"]["limits"][0]["max_share"] = 80
    data["quotas"]["limits"][1]["min_share"] = 30
    assert paths(problems_of(data))["quotas.limits"] == "各等次比例合计 110%，超过 100%"


def test_quota_min_above_max_and_empty_limit(data: dict[str, Any], problems_of: Check) -> None:
    data["quotas"]["limits"][0]["min_share"] = 30
    data["quotas"]["limits"].append({"grade": "good"})
    found = paths(problems_of(data))
    assert "大于上限" in found["quotas.limits[0]"]
    assert "上限或下限" in found["quotas.limits[2]"]


def test_bonus_range_upside_down(data: dict[str, Any], problems_of: Check) -> None:
    data["bonus"]["categories"][1]["min"] = 16
    assert paths(problems_of(data))["bonus.categories[1]"] == "加分区间颠倒：下限 16 大于上限 15"


def test_s1_part_shares_broken(data: dict[str, Any], problems_of: Check) -> None:
    data["indicators"][0]["weight"] = 20  # 德 common 10 → 20
    data["indicators"][3]["weight"] = 30  # 绩 individual 40 → 30
    found = paths(problems_of(data))
    assert found["parts.common.max"] == "共性指标占比 40%，超过上限 30%"
    assert found["parts.individual.min"] == "个性指标占比 50%，低于下限 60%"


def test_s1_innovation_must_be_exactly_10(data: dict[str, Any], problems_of: Check) -> None:
    data["indicators"][5]["weight"] = 5
    data["indicators"][3]["weight"] = 45
    assert "parts.innovation.min" in paths(problems_of(data))


def test_s2_quantitative_share_composed_through_the_tree(data: dict[str, Any], problems_of: Check) -> None:
    # 理论学习完成率 (quantitative, 3% of the whole) becomes qualitative: 70% → 67%.
    leaf(data, 0, 0, 0)["measure"] = {"kind": "qualitative", "raters": ["leader"]}
    found = paths(problems_of(data))
    assert found["quantitative_min_share"] == "基础指标体系定量指标合成权重为 67%，低于下限 70%"


def test_s2_share_is_checked_for_each_overlay(data: dict[str, Any], problems_of: Check) -> None:
    component = data["post_templates"][0]["components"][0]["children"][0]
    component["measure"] = {"kind": "qualitative", "raters": ["leader", "peers"]}
    found = paths(problems_of(data))
    assert "适用 管理岗 后" in found["post_templates[0]"]
    assert "post_indicator_sets[0]" not in found  # 招商引资岗 replaces that component again


def test_unknown_data_source(data: dict[str, Any], problems_of: Check) -> None:
    leaf(data, 3, 1, 1)["measure"]["data_source"] = "erp"
    message = paths(problems_of(data))["indicators[3].children[1].children[1].measure.data_source"]
    assert message.startswith("未声明的数据来源 erp")


def test_rater_group_used_without_weight(data: dict[str, Any], problems_of: Check) -> None:
    leaf(data, 0, 0, 1)["measure"]["raters"] = ["leader", "neighbours"]
    found = paths(problems_of(data))
    assert "neighbours" in found["indicators[0].children[0].children[1].measure.raters[1]"]


def test_rater_weights_must_sum_to_100(data: dict[str, Any], problems_of: Check) -> None:
    data["raters"]["groups"][3]["weight"] = 5
    assert paths(problems_of(data))["raters.groups"] == "评价主体权重之和为 95，应为 100"


def test_qualitative_needs_three_raters(data: dict[str, Any], problems_of: Check) -> None:
    leaf(data, 0, 0, 1)["measure"]["min_raters"] = 2
    found = paths(problems_of(data))
    assert found["indicators[0].children[0].children[1].measure.min_raters"] == (
        "定性指标至少需 3 人交叉评价，此处仅为 2"
    )


def test_duplicate_indicator_codes_across_the_library(data: dict[str, Any], problems_of: Check) -> None:
    leaf(data, 3, 1, 2)["code"] = "JI.2.1"
    data["post_indicator_sets"][0]["indicators"][0]["code"] = "DE.1.1"
    found = paths(problems_of(data))
    assert "JI.2.1 重复" in found["indicators[3].children[1].children[2].code"]
    assert "indicators[0].children[0].children[0]" in found["post_indicator_sets[0].indicators[0].code"]


def test_deadline_with_neither_or_both(data: dict[str, Any], problems_of: Check) -> None:
    data["deadlines"]["record_entry"] = {"hours": 24, "working_days": 1}
    data["deadlines"]["public_notice"] = {}
    found = paths(problems_of(data))
    assert "其中之一" in found["deadlines.record_entry"]
    assert "之一" in found["deadlines.public_notice"]


def test_record_weight_below_its_floor(data: dict[str, Any], problems_of: Check) -> None:
    data["records"]["weight"] = 25
    assert paths(problems_of(data))["records.weight"] == "日常记录权重 25% 低于下限 30%"


def test_pay_float_below_min_and_out_of_order(data: dict[str, Any], problems_of: Check) -> None:
    data["outcomes"]["pay"]["floats"]["excellent"] = 12
    data["outcomes"]["pay"]["floats"]["good"] = 14
    found = paths(problems_of(data))
    assert "低于最低浮动幅度 15%" in found["outcomes.pay.floats.excellent"]
    assert "outcomes.pay.floats.good" in found


def test_pay_floats_need_every_grade(data: dict[str, Any], problems_of: Check) -> None:
    del data["outcomes"]["pay"]["floats"]["basic"]
    assert "基本合格" in paths(problems_of(data))["outcomes.pay.floats"]


def test_unknown_grade_key_in_a_mapping(data: dict[str, Any], problems_of: Check) -> None:
    data["outcomes"]["pay"]["floats"]["superb"] = 30
    assert "superb" in paths(problems_of(data))["outcomes.pay.floats.superb"]


def test_grades_must_be_complete_and_descending(data: dict[str, Any], problems_of: Check) -> None:
    data["grades"][1]["min_score"] = 96
    del data["standards"]["quality"][4]
    found = paths(problems_of(data))
    assert "grades[1].min_score" in found
    assert "不合格" in found["standards.quality"]


def test_tree_structure_rules(data: dict[str, Any], problems_of: Check) -> None:
    del data["indicators"][0]["part"]
    data["indicators"][1]["dimension"] = "wellbeing"
    leaf(data, 2, 0)["part"] = "common"
    del leaf(data, 2, 1, 0)["measure"]
    leaf(data, 2, 1)["measure"] = {"kind": "qualitative", "raters": ["leader"]}
    leaf(data, 3, 0, 0)["children"] = [dict(leaf(data, 3, 0, 0), code="JI.1.1.1", weight=100)]
    found = paths(problems_of(data))
    assert "indicators[0].part" in found
    assert found["indicators[1].dimension"] == "未声明的维度 wellbeing"
    assert "indicators[2].children[0].part" in found
    assert "QIN.2.1" in found["indicators[2].children[1].children[0]"]
    assert "indicators[2].children[1].measure" in found
    assert "第 4 级" in found["indicators[3].children[0].children[0].children[0]"]


def test_every_dimension_needs_a_level1_node(data: dict[str, Any], problems_of: Check) -> None:
    data["dimensions"].append({"key": "health", "name": "身心健康"})
    assert "身心健康" in paths(problems_of(data))["dimensions[4]"]


def test_scoring_rule_consistency(data: dict[str, Any], problems_of: Check) -> None:
    bands = leaf(data, 3, 0, 0)["measure"]["rule"]["bands"]
    bands[2]["threshold"] = 90
    bands[3]["score"] = 80
    leaf(data, 3, 1, 0)["measure"]["rule"]["target"] = 8  # lower_better, floor 5
    leaf(data, 3, 0, 1)["measure"]["rule"]["target"] = {"junior": 2, "intermediate": 0, "senior": 4}
    found = paths(problems_of(data))
    base = "indicators[3].children[0].children[0].measure.rule"
    assert "从高到低" in found[f"{base}.bands[2].threshold"]
    assert f"{base}.bands[3].score" in found
    assert "越低越好" in found["indicators[3].children[1].children[0].measure.rule.target.junior"]
    assert "中级" in found["indicators[3].children[0].children[1].measure.rule.target.intermediate"]


def test_overlay_must_replace_a_known_code(data: dict[str, Any], problems_of: Check) -> None:
    data["post_templates"][0]["replaces"] = "XX"
    data["post_indicator_sets"][1]["replaces"] = "YY"
    found = paths(problems_of(data))
    assert found["post_templates[0].replaces"] == "要替换的指标编码 XX 不存在"
    assert "post_indicator_sets[1].replaces" in found


def test_weighted_annual_needs_quarter_weights(data: dict[str, Any], problems_of: Check) -> None:
    data["cycle"]["annual"] = "weighted"
    assert "cycle.quarter_weights" in paths(problems_of(data))
    data["cycle"]["quarter_weights"] = [20, 20, 30]
    messages = [p.message for p in problems_of(data) if p.path == "cycle.quarter_weights"]
    assert len(messages) == 2
    data["cycle"]["quarter_weights"] = [20, 20, 30, 30]
    assert problems_of(data) == []


def test_duplicate_keys_and_churn_band(data: dict[str, Any], problems_of: Check) -> None:
    data["data_sources"].append({"key": "finance_system", "name": "财务系统二"})
    data["revision"]["churn"] = {"min": 15, "max": 10}
    found = paths(problems_of(data))
    assert found["data_sources[6]"] == "数据来源 finance_system 重复"
    assert "revision.churn" in found


def test_s6_every_node_needs_a_scoring_standard(data: dict[str, Any], problems_of: Check) -> None:
    del data["indicators"][0]["standard"]  # level 1
    leaf(data, 3, 1)["standard"] = "  "  # level 2, blank
    del leaf(data, 3, 1, 2)["standard"]  # level 3
    del data["post_templates"][0]["components"][0]["standard"]
    del data["post_indicator_sets"][0]["indicators"][1]["standard"]
    found = paths(problems_of(data))
    assert found["indicators[0].standard"] == "指标 DE 缺少评价标准（standard）：每一级指标都须写明评价标准"
    assert "JI.2 缺少评价标准" in found["indicators[3].children[1].standard"]
    assert "JI.2.3 缺少评价标准" in found["indicators[3].children[1].children[2].standard"]
    assert "JI.M1 缺少评价标准" in found["post_templates[0].components[0].standard"]
    assert "ZS.2 缺少评价标准" in found["post_indicator_sets[0].indicators[1].standard"]


def test_s6_a_scheme_without_any_standard_is_refused(data: dict[str, Any], problems_of: Check) -> None:
    def strip(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            node.pop("standard", None)
            strip(node.get("children", []))

    strip(data["indicators"])
    found = paths(problems_of(data))
    assert found
    assert all(path.endswith(".standard") for path in found)
    assert "indicators[5].children[0].children[1].standard" in found


def test_s6_a_level1_indicator_must_have_children(data: dict[str, Any], problems_of: Check) -> None:
    lian = data["indicators"][4]
    lian["measure"] = lian["children"][0]["children"][1]["measure"]
    del lian["children"]
    found = paths(problems_of(data))
    assert found["indicators[4].children"] == (
        "一级指标 LIAN 没有下级指标：一级指标下须设二级、三级指标，不能直接评价"
    )
    del lian["measure"]
    found = paths(problems_of(data))
    assert "LIAN 没有下级指标" in found["indicators[4].children"]
    assert "indicators[4]" not in found  # not also "a leaf needs a measure"


def test_s6_a_level2_leaf_under_a_level1_node_is_accepted(data: dict[str, Any], problems_of: Check) -> None:
    lian = data["indicators"][4]["children"][0]
    lian["measure"] = lian["children"][0]["measure"]  # quantitative, as 违纪违规次数
    del lian["children"]
    assert problems_of(data) == []


def test_r6_every_number_of_the_record_score_must_be_stated(data: dict[str, Any], problems_of: Check) -> None:
    del data["records"]["score"]["volume_cap"]
    del data["records"]["score"]["neutral_mark"]
    found = paths(problems_of(data))
    assert found["records.score.volume_cap"] == "缺少必填项"
    assert found["records.score.neutral_mark"] == "缺少必填项"
    del data["records"]["score"]
    assert paths(problems_of(data))["records.score"] == "缺少必填项"


def test_r6_the_quality_mark_scale_must_be_consistent(data: dict[str, Any], problems_of: Check) -> None:
    data["records"]["score"]["neutral_mark"] = 7
    assert paths(problems_of(data))["records.score.neutral_mark"] == "未评分时按 7 分计，应在质量评分范围 1–5 之内"
    data["records"]["score"]["mark_min"] = 5
    assert paths(problems_of(data))["records.score.mark_max"] == "记录质量评分的最低分 5 应低于最高分 5"
    data["records"]["score"].update(mark_min=0, mark_max=10, neutral_mark=5)
    assert problems_of(data) == []
