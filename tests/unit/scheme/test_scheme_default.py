"""The shipped default scheme encodes the seed: each number checked against its clause ID."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kaohe.org.enums import Level, PostCategory
from kaohe.scheme import indicators_for, load_default_scheme
from kaohe.scheme.enums import Composition, Grade, Part, QuotaScope, Rounding
from kaohe.scheme.indicators import Qualitative, RatioRule
from kaohe.scheme.models import Scheme
from kaohe.scheme.tree import effective_weights, library, quantitative_share
from kaohe.scheme.validate import validate_scheme


@pytest.fixture(scope="module")
def scheme() -> Scheme:
    return load_default_scheme()


def test_it_validates_cleanly(scheme: Scheme) -> None:
    assert validate_scheme(scheme) == []


def test_s1_part_shares(scheme: Scheme) -> None:
    assert scheme.parts.common.max == 30
    assert scheme.parts.individual.min == 60
    assert (scheme.parts.innovation.min, scheme.parts.innovation.max) == (10, 10)
    shares = {part: sum(n.weight for n in scheme.indicators if n.part == part) for part in Part}
    assert shares[Part.common] <= 30
    assert shares[Part.individual] >= 60
    assert shares[Part.innovation] == 10


def test_s2_quantitative_share_and_raters(scheme: Scheme) -> None:
    assert scheme.quantitative_min_share == 70
    assert quantitative_share(scheme.indicators) >= 70
    assert scheme.raters.min_raters == 3
    qualitative = [i.node.measure for i in library(scheme) if isinstance(i.node.measure, Qualitative)]
    assert qualitative
    assert all(measure.min_raters >= 3 for measure in qualitative)


def test_s3_senior_target_is_twice_junior(scheme: Scheme) -> None:
    leaves = {i.node.code: i.node for i in library(scheme)}
    rule = leaves["JI.1.2"].measure.rule
    assert isinstance(rule, RatioRule)
    assert rule.target.for_level(Level.senior) == 2 * rule.target.for_level(Level.junior)


def test_s4_four_dimensions(scheme: Scheme) -> None:
    assert [d.name for d in scheme.dimensions] == ["政治品德", "能力素质", "工作实绩", "作风纪律"]


def test_s5_category_templates(scheme: Scheme) -> None:
    templates = {t.key: {c.name: c.weight for c in t.components} for t in scheme.post_templates}
    assert templates["management"] == {"战略贡献": 30, "团队管理": 25, "执行效率": 25, "创新突破": 20}
    assert templates["technical"] == {"专业能力": 40, "创新成果": 35, "应用价值": 25}
    assert templates["service"] == {"操作规范": 40, "服务效率": 30, "服务评价": 30}


def test_s6_three_level_tree_of_de_neng_qin_ji_lian(scheme: Scheme) -> None:
    assert [n.name for n in scheme.indicators][:5] == ["德", "能", "勤", "绩", "廉"]
    assert max(i.depth for i in library(scheme) if i.path.startswith("indicators")) == 3
    assert sum(effective_weights(scheme.indicators).values()) == Fraction(100)


def test_s7_post_specific_sets(scheme: Scheme) -> None:
    sets = {s.key: [i.name for i in s.indicators] for s in scheme.post_indicator_sets}
    assert sets["investment"] == ["项目落地数量", "投资额度", "税收贡献"]
    assert sets["research"] == ["专利授权", "成果转化", "论文影响因子"]
    tree = indicators_for(scheme, category=PostCategory.technical, post="科研岗")
    codes = {leaf for leaf in effective_weights(tree)}
    assert {"KY.1", "KY.2", "KY.3"} <= codes


def test_s8_churn_band(scheme: Scheme) -> None:
    assert (scheme.revision.churn.min, scheme.revision.churn.max) == (10, 15)


def test_g1_five_grades(scheme: Scheme) -> None:
    assert [(g.key, g.name) for g in scheme.grades] == [
        (Grade.excellent, "优秀"),
        (Grade.good, "良好"),
        (Grade.qualified, "合格"),
        (Grade.basic, "基本合格"),
        (Grade.unqualified, "不合格"),
    ]


def test_g2_task_completion_bands(scheme: Scheme) -> None:
    bands = {b.grade: b for b in scheme.standards.task_completion}
    assert [b.min_rate for b in scheme.standards.task_completion] == [95, 85, 75, 60, 0]
    assert bands[Grade.excellent].no_major_error


def test_g3_g4_standards(scheme: Scheme) -> None:
    quality = {q.grade: q for q in scheme.standards.quality}
    assert (quality[Grade.excellent].cost_reduction_min, quality[Grade.excellent].satisfaction_min) == (
        10,
        95,
    )
    efficiency = {e.grade: e for e in scheme.standards.efficiency}
    assert (efficiency[Grade.excellent].gain_min, efficiency[Grade.excellent].ahead_min) == (20, 15)
    good = efficiency[Grade.good]
    assert (good.gain_min, good.gain_max, good.ahead_min, good.ahead_max) == (10, 20, 5, 15)


def test_g5_quotas(scheme: Scheme) -> None:
    assert scheme.quotas.scope == QuotaScope.unit
    excellent = scheme.quotas.limit(Grade.excellent)
    unqualified = scheme.quotas.limit(Grade.unqualified)
    assert excellent is not None and excellent.max_share == 20 and excellent.rounding == Rounding.floor
    assert unqualified is not None and unqualified.min_share == 5 and unqualified.rounding == Rounding.ceil


def test_q1_q3_raters_and_cycle(scheme: Scheme) -> None:
    weights = {g.key: g.weight for g in scheme.raters.groups}
    assert weights == {"leader": 40, "peers": 20, "recipients": 30, "experts": 10}
    assert (scheme.cycle.quarters, scheme.cycle.annual) == (4, Composition.mean)


def test_r3_a4_f3_q6_deadlines(scheme: Scheme) -> None:
    deadlines = scheme.deadlines
    assert (deadlines.record_entry.hours, deadlines.record_entry.working_days) == (24, None)
    assert deadlines.public_notice.working_days == 5
    assert deadlines.appeal.working_days == 10
    assert deadlines.data_collection.working_days == 5


def test_r6_record_weight(scheme: Scheme) -> None:
    assert scheme.records.min_weight == 30
    assert scheme.records.weight >= 30


def test_r6_record_score_numbers_are_all_in_the_file(scheme: Scheme, default_text: str) -> None:
    score = scheme.records.score
    assert score.model_dump() == {
        "expected_per_month": 4, "volume_cap": 1, "volume_weight": 60, "timeliness_weight": 25,
        "quality_weight": 15, "mark_min": 1, "mark_max": 5, "neutral_mark": 3, "return_penalty": 2,
        "max_return_penalty": 20}
    block = default_text.split("\n  score:  # R6", 1)[1].split("\n\n", 1)[0]
    lines = [line for line in block.splitlines()[1:] if line.strip()]
    assert len(lines) == len(score.model_dump())
    assert all("# R6" in line for line in lines)  # each number names its clause


def test_a2_self_report_minutes(scheme: Scheme) -> None:
    assert scheme.annual_review.self_report_max_minutes == 15


def test_b1_b2_b3_bonus(scheme: Scheme) -> None:
    ranges = {c.name: (c.min, c.max) for c in scheme.bonus.categories}
    assert ranges == {
        "制度创新": (5, 10),
        "技术创新": (8, 15),
        "工作方法创新": (3, 8),
        "服务模式创新": (3, 6),
    }
    assert scheme.bonus.cap_percent_of_base == 20
    assert scheme.bonus.fraud_is_veto
    assert scheme.bonus.negative_list


def test_b4_twelve_veto_situations(scheme: Scheme) -> None:
    assert len(scheme.veto) == 12
    assert len({v.code for v in scheme.veto}) == 12


def test_b5_tolerance(scheme: Scheme) -> None:
    assert len(scheme.tolerance.conditions) == 3


def test_o1_to_o6_outcomes(scheme: Scheme) -> None:
    outcomes = scheme.outcomes
    assert outcomes.pay.floats == {
        Grade.excellent: 20,
        Grade.good: 10,
        Grade.qualified: 0,
        Grade.basic: -10,
        Grade.unqualified: -20,
    }
    assert outcomes.pay.min_float == 15
    assert outcomes.bonus_pool.min_percent_of_monthly_base == 15
    assert outcomes.one_off_award.max_percent_of_annual_base == 30
    assert "记功表彰" in outcomes.treatment[Grade.excellent]
    assert outcomes.promotion[Grade.excellent].min_recommended_share == 70
    assert not outcomes.promotion[Grade.unqualified].eligible
    assert outcomes.training.coverage == 100


def test_every_overlay_keeps_the_quantitative_floor(scheme: Scheme) -> None:
    for category in PostCategory:
        for post in (None, "招商引资岗", "科研岗"):
            tree = indicators_for(scheme, category=category, post=post)
            assert sum(effective_weights(tree).values()) == 100
            assert quantitative_share(tree) >= 70


def test_s3_an_overlay_can_select_by_post_level(data: dict) -> None:  # type: ignore[type-arg]
    from kaohe.scheme.loader import scheme_from_data

    data["post_templates"][1]["applies_to"]["levels"] = ["senior"]  # 专业技术岗 template: senior posts only
    scheme = scheme_from_data(data)
    assert isinstance(scheme, Scheme), scheme
    senior = indicators_for(scheme, category=PostCategory.technical, level=Level.senior)
    junior = indicators_for(scheme, category=PostCategory.technical, level=Level.junior)
    assert [n.code for n in senior[3].children] == ["JI.T1", "JI.T2", "JI.T3"]
    assert [n.code for n in junior[3].children] == ["JI.1", "JI.2", "JI.3"]  # the base tree's 绩
    target = {i.node.code: i.node for i in library(scheme)}["JI.T1.1"].measure.rule.target
    assert (target.for_level(Level.junior), target.for_level(Level.senior)) == (2, 4)
