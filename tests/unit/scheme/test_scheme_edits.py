"""Edits in place: one value changes, comments and layout stay."""

from kaohe.scheme.edits import Edit, apply_edits, parse_path, with_year
from kaohe.scheme.loader import load_scheme_text
from kaohe.scheme.models import Scheme


def test_it_parses_document_paths():
    assert parse_path("indicators[0].children[12].weight") == ["indicators", 0, "children", 12, "weight"]
    assert parse_path("bonus.cap_percent_of_base") == ["bonus", "cap_percent_of_base"]
    assert parse_path("[0]x") is None and parse_path("") is None and parse_path(".a") is None


def test_it_changes_one_weight_and_keeps_every_comment(default_text):
    text, problems = apply_edits(default_text, [Edit("quotas.limits[0].max_share", "15")])
    assert problems == []
    assert "max_share: 15  # G5 优秀比例不超过20%" in text
    assert len(text.splitlines()) == len(default_text.splitlines())
    assert sum(a != b for a, b in zip(text.splitlines(), default_text.splitlines(), strict=True)) == 1


def test_it_edits_by_indicator_code_and_quotes_texts(default_text):
    text, problems = apply_edits(default_text, [Edit("standard", '新标准: "全部完成"', code="JI.1"),
                                                Edit("weight", 12.5, code="KY.1")])
    assert problems == []
    scheme = load_scheme_text(text, check=False)
    assert isinstance(scheme, Scheme)
    assert scheme.indicators[3].children[0].standard == '新标准: "全部完成"'
    assert scheme.post_indicator_sets[1].indicators[0].weight == 12.5


def test_it_skips_unchanged_values(default_text):
    assert apply_edits(default_text, [Edit("indicators[0].weight", "10"), Edit("name", "干事考核方案（参考模板）")]) == (
        default_text, [])


def test_it_reports_edits_it_cannot_apply(default_text):
    _text, problems = apply_edits(default_text, [
        Edit("year", 2030), Edit("indicators[99].weight", 1), Edit("indicators[0].weight", "十"),
        Edit("indicators[0].children", 1), Edit("weight", 1, code="NOPE"), Edit("bonus.fraud_is_veto", "no"),
    ])
    assert [p.path for p in problems] == [
        "year", "indicators[99].weight", "indicators[0].weight", "indicators[0].children", "weight",
        "bonus.fraud_is_veto"]


def test_it_sets_the_year_line_only_at_the_top_level():
    assert with_year("name: x\nyear: 2025  # the year\n", 2026) == "name: x\nyear: 2026  # the year\n"
    assert with_year("a:\n  year: 2025\n", 2026) is None
