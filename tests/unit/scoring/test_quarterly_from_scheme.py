"""The quarterly engine on the real scheme: the adapter reads every rule, target, group weight and policy
out of the YAML (change it and the result follows), and the new `quarterly` settings are validated with
Chinese messages at Chinese places."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kaohe.org.enums import Level, PostCategory
from kaohe.scheme.display import where
from kaohe.scheme.loader import default_scheme_text, load_scheme_text
from kaohe.scheme.models import MissingGroup, Scheme
from kaohe.scheme.problems import Problem
from kaohe.scheme.tree import effective_weights, indicators_for
from kaohe.scoring.quarterly import PersonResult, score_quarter
from kaohe.scoring.quarterly_from_scheme import Post, RecordTally, quarter_inputs, quarter_setup


def text_with(*replacements: tuple[str, str]) -> str:
    text = default_scheme_text()
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def scheme_with(*replacements: tuple[str, str]) -> Scheme:
    scheme = load_scheme_text(text_with(*replacements))
    assert isinstance(scheme, Scheme), scheme
    return scheme


def problems_with(*replacements: tuple[str, str]) -> list[Problem]:
    result = load_scheme_text(text_with(*replacements))
    assert not isinstance(result, Scheme)
    return result


@pytest.fixture(scope="module")
def scheme() -> Scheme:
    return scheme_with()


POSTS = {
    "科员": Post(Level.junior),
    "管理岗": Post(Level.intermediate, PostCategory.management),
    "招商引资岗": Post(Level.senior, PostCategory.management, post="招商引资岗"),
    "科研岗": Post(Level.junior, PostCategory.technical, post="科研岗"),
    "工勤": Post(Level.senior, PostCategory.service),
}


def full_marks(scheme: Scheme, post: Post, **changes: float) -> PersonResult:
    """One person with every leaf of their tree at 100 points (ratings at the top of the scale, 3 peers),
    except the leaf values in `changes` (code → value, None = missing)."""
    setup = quarter_setup(scheme)
    tree = {code for code in effective_weights(indicators_for(scheme, category=post.category, level=post.level,
                                                             post=post.post))}
    values = []
    for leaf in setup.quantitative:
        if leaf.code not in tree:
            continue
        if leaf.rule == "bands":
            best = leaf.bands[0][0]
        elif leaf.rule == "linear":
            best = max(leaf.targets) if leaf.higher_better else min(leaf.targets)
        else:
            best = max(leaf.targets) * 2 if leaf.higher_better else 0.0
        value = changes.get(leaf.code.replace(".", "_"), best)
        if value is not None:
            values.append(("p", leaf.code, value))
    ratings = [("p", leaf.code, group, leaf.scale_max, 1 if group == "leader" else 3)
               for leaf in setup.qualitative if leaf.code in tree for group in leaf.groups]
    inputs = quarter_inputs(setup, scheme_hash="v1", people=[("p", post)], values=values, ratings=ratings,
                            records={"p": RecordTally(submitted=12, confirmed=12, mean_mark=5)})
    return score_quarter(inputs).person(0)


@pytest.mark.parametrize("name", list(POSTS))
def test_composed_weights_are_the_schemes_for_every_post(scheme: Scheme, name: str) -> None:
    post = POSTS[name]
    expected = effective_weights(indicators_for(scheme, category=post.category, level=post.level, post=post.post))
    result = full_marks(scheme, post)
    assert {line.code: Fraction(line.nominal_weight).limit_denominator(10_000) for line in result.lines} == expected
    assert result.indicator_score == pytest.approx(100)
    assert result.record_score == 100 and result.quarterly_score == pytest.approx(100)
    assert result.flags == ()


def test_the_senior_target_of_ji_1_2_is_twice_the_junior(scheme: Scheme) -> None:
    senior = full_marks(scheme, Post(Level.senior), JI_1_2=3)
    junior = full_marks(scheme, Post(Level.junior), JI_1_2=3)
    line = {row.code: row for row in senior.lines}["JI.1.2"]
    assert (line.target, line.points) == (4, 75)
    assert {row.code: row for row in junior.lines}["JI.1.2"].points == 100  # 3 ÷ 2 capped at 100
    # 主持项目数量 weighs 40 × 50 × 40% = 8% of the tree: a quarter of it is 2 points
    assert junior.indicator_score - senior.indicator_score == pytest.approx(2)


def test_a_missing_metric_follows_the_schemes_policy(scheme: Scheme) -> None:
    excluded = full_marks(scheme, Post(Level.junior), JI_1_1=None)
    assert excluded.indicator_score == pytest.approx(100) and excluded.missing_metrics == ("JI.1.1",)
    zero = full_marks(scheme_with(("missing_metric: exclude  #", "missing_metric: zero  #")), Post(Level.junior),
                      JI_1_1=None)
    assert zero.indicator_score == pytest.approx(100 - 12)  # 40 × 50 × 60%
    assert zero.flags == ("missing_metric",)


def test_group_weights_and_policies_come_from_the_scheme(scheme: Scheme) -> None:
    setup = quarter_setup(scheme)
    assert dict(zip(setup.groups, setup.group_weights, strict=True)) == {
        "leader": 40, "peers": 20, "recipients": 30, "experts": 10}
    assert (setup.missing_group, setup.short_of_raters, setup.missing_metric) == ("renormalise", "exclude",
                                                                                  "exclude")
    assert setup.record_weight == 30 and setup.expected_records == 12
    qualitative = {leaf.code: leaf for leaf in setup.qualitative}
    assert qualitative["DE.2.1"].scale_max == 5 and qualitative["DE.1.2"].scale_max == 100
    assert qualitative["DE.1.2"].groups == ("leader", "peers")
    assert all(leaf.min_raters == 3 for leaf in setup.qualitative)
    changed = quarter_setup(scheme_with(("weight: 40  # Q3", "weight: 50  # Q3"), ("weight: 10  # Q3", "weight: 0  # Q3"),
                                        ("rating_scale_max: 100  #", "rating_scale_max: 10  #"),
                                        ("min_raters: 3  # S2\n      - code: DE.2", "min_raters: 5  # S2\n      - code: DE.2"),
                                        ("missing_group: renormalise  #", "missing_group: zero  #")))
    assert changed.group_weights == (50, 20, 30, 0)
    assert {leaf.code: leaf for leaf in changed.qualitative}["DE.1.2"].scale_max == 10
    assert {leaf.code: leaf.min_raters for leaf in changed.qualitative}["DE.1.2"] == 5
    assert changed.missing_group == "zero"


def test_a_person_without_records_scores_the_record_rules_zero(scheme: Scheme) -> None:
    setup = quarter_setup(scheme)
    inputs = quarter_inputs(setup, scheme_hash="v1", people=[(7, Post(Level.junior))])
    result = score_quarter(inputs).person(0)
    assert result.record_score == 0 and "no_records" in result.flags
    assert result.indicator_score == 0 and "no_indicators" in result.flags
    assert result.quarterly_score == 0


def test_the_hash_changes_with_the_scheme_version_and_the_inputs(scheme: Scheme) -> None:
    setup = quarter_setup(scheme)
    people = [(1, Post(Level.junior)), (2, Post(Level.senior, PostCategory.technical))]

    def hashes(version: str, value: float) -> tuple[str, ...]:
        return score_quarter(quarter_inputs(setup, scheme_hash=version, people=people,
                                            values=[(1, "JI.1.1", value), (2, "JI.T1.1", 2)])).inputs_hash

    assert hashes("v1", 90) == hashes("v1", 90)
    assert hashes("v1", 91)[0] != hashes("v1", 90)[0] and hashes("v1", 91)[1] == hashes("v1", 90)[1]
    assert set(hashes("v2", 90)).isdisjoint(hashes("v1", 90))


@pytest.mark.parametrize(("values", "ratings", "message"), [
    ([(1, "NOPE", 1.0)], [], "NOPE is not a quantitative leaf"),
    ([(1, "DE.1.2", 1.0)], [], "DE.1.2 is not a quantitative leaf"),
    ([(9, "JI.1.1", 1.0)], [], "unknown person 9"),
    ([(1, "JI.1.1", 1.0), (1, "JI.1.1", 2.0)], [], "two values of JI.1.1"),
    ([], [(1, "DE.1.2", "bosses", 80.0, 3)], "bosses is not a rater group"),
    ([], [(1, "DE.1.2", "experts", 80.0, 3)], "ratings from a group the leaf does not ask for"),
    ([], [(1, "DE.1.2", "peers", 180.0, 3)], "mean ratings must lie within 0 and the leaf's scale"),
])
def test_wrong_inputs_are_refused(scheme: Scheme, values: list, ratings: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score_quarter(quarter_inputs(scheme, scheme_hash="v1", people=[(1, Post(Level.junior))], values=values,
                                     ratings=ratings))


# --- the scheme's quarterly settings -------------------------------------------------------------------

def test_the_defaults_are_the_seeds(scheme: Scheme) -> None:
    settings = scheme.quarterly
    assert settings.missing_group is MissingGroup.renormalise
    assert (settings.short_of_raters.value, settings.missing_metric.value) == ("exclude", "exclude")
    assert (settings.peers_per_person, settings.rating_scale_max) == (4, 100)
    warnings = settings.warnings
    assert (warnings.satisfaction_threshold, warnings.satisfaction_quarters) == (85, 2)  # Q5
    assert (warnings.satisfaction_indicator, warnings.task_progress_indicator) == ("JI.S3.1", "JI.M1.1")
    assert (warnings.task_progress_min, warnings.score_drop_margin) == (80, 10)
    assert warnings.suggested_action.satisfaction == "组织专项培训并优化服务流程"  # Q5
    assert (scheme.deadlines.rating.working_days, scheme.deadlines.review.working_days) == (10, 5)


@pytest.mark.parametrize(("old", "new", "path", "words", "place"), [
    ("missing_group: renormalise  #", "missing_group: average  #", "quarterly.missing_group", "renormalise",
     "季度评估 › 评价主体缺失时的处理"),
    ("short_of_raters: exclude  #", "short_of_raters: drop  #", "quarterly.short_of_raters", "score",
     "季度评估 › 评价人数不足时的处理"),
    ("satisfaction_threshold: 85  #", "satisfaction_threshold: 120  #",
     "quarterly.warnings.satisfaction_threshold", "100", "季度评估 › 预警 › 满意度预警线"),
    ("satisfaction_quarters: 2  #", "satisfaction_quarters: 0  #", "quarterly.warnings.satisfaction_quarters",
     "1", "季度评估 › 预警 › 连续季度数"),
    ("satisfaction_indicator: JI.S3.1  #", "satisfaction_indicator: JI.9.9  #",
     "quarterly.warnings.satisfaction_indicator", "指标编码 JI.9.9 不存在", "季度评估 › 预警 › 满意度指标"),
    ("task_progress_indicator: JI.M1.1  #", "task_progress_indicator: DE.1.2  #",
     "quarterly.warnings.task_progress_indicator", "DE.1.2（政治素质评价）不是定量指标",
     "季度评估 › 预警 › 任务进度指标"),
    ("  rating:\n    working_days: 10  #", "  rating:\n    working_days: 0  #", "deadlines.rating.working_days",
     "1", "时限 › 评价阶段 › 工作日数"),
    ("score_drop: 分管领导一对一谈话", "score_drop: \"\"  #", "quarterly.warnings.suggested_action.score_drop", "",
     "季度评估 › 预警 › 建议措施 › 得分下降预警"),
])
def test_bad_settings_are_refused_in_chinese_at_their_place(old: str, new: str, path: str, words: str,
                                                           place: str) -> None:
    problems = problems_with((old, new))
    assert [problem.path for problem in problems] == [path]
    assert words in problems[0].message
    assert any("\u4e00" <= char <= "\u9fff" for char in problems[0].message)
    assert where(path) == place


def test_a_missing_block_is_named() -> None:
    text = default_scheme_text()
    cut = text.index("# Q3, S2, S3, R6 季度评估")
    end = text.index("\noutcomes:")
    problems = load_scheme_text(text[:cut] + text[end:])
    assert not isinstance(problems, Scheme)
    assert [problem.path for problem in problems] == ["quarterly"]
    assert where("quarterly") == "季度评估"
