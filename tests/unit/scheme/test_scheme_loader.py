"""Safe loading: hostile YAML is refused with a Chinese message (how fast: bench/bench_inputs.py); types map to paths."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from kaohe.scheme import dump_scheme, load_default_scheme, load_scheme_file, load_scheme_text
from kaohe.scheme.loader import scheme_from_data
from kaohe.scheme.models import Scheme
from kaohe.scheme.problems import Problem, format_path

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def refused(result: Scheme | list[Problem]) -> list[Problem]:
    assert isinstance(result, list), "expected the document to be refused"
    assert result
    assert all(CHINESE.search(problem.message) for problem in result)
    return result


def test_it_loads_the_default_scheme() -> None:
    scheme = load_default_scheme()
    assert scheme.year == 2025
    assert scheme.version == 1


def test_it_refuses_an_alias_bomb() -> None:
    # Refused before expanding; how long that takes is measured in bench/bench_inputs.py.
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for index in range(1, 12):
        bomb += (
            f"{chr(97 + index)}: &{chr(97 + index)} [*{chr(96 + index)}" + f",*{chr(96 + index)}" * 8 + "]\n"
        )
    problems = refused(load_scheme_text(bomb))
    assert "别名" in problems[0].message


def test_it_refuses_a_lone_anchor() -> None:
    problems = refused(load_scheme_text("year: &y 2025\n"))
    assert "锚点" in problems[0].message


def test_it_refuses_python_object_tags() -> None:
    text = "year: !!python/object/apply:os.system ['echo pwned']\n"
    problems = refused(load_scheme_text(text))
    assert "标签" in problems[0].message
    assert "python/object" in problems[0].message


def test_it_refuses_custom_tags() -> None:
    assert "标签" in refused(load_scheme_text("name: !custom x\n"))[0].message


def test_it_accepts_standard_explicit_tags(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True).replace("name: 干事考核", "name: !!str 干事考核", 1)
    assert isinstance(load_scheme_text(text), Scheme)


def test_it_refuses_a_50_mb_file_before_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    problems = refused(load_scheme_file(big))
    assert "文件过大" in problems[0].message


def test_it_refuses_large_text_with_a_custom_limit() -> None:
    problems = refused(load_scheme_text("name: " + "x" * 2000, max_bytes=1000))
    assert "1000" in problems[0].message


def test_it_refuses_deep_nesting() -> None:
    problems = refused(load_scheme_text("[" * 100_000))
    assert "嵌套" in problems[0].message


def test_it_refuses_duplicate_keys() -> None:
    problems = refused(load_scheme_text("year: 2025\nyear: 2026\n"))
    assert "重复的键 year" in problems[0].message


def test_it_reports_syntax_errors_with_line() -> None:
    problems = refused(load_scheme_text("year: [2025\nname: x\n"))
    assert "YAML 语法错误" in problems[0].message


def test_it_refuses_several_documents() -> None:
    assert "一个 YAML 文档" in refused(load_scheme_text("year: 1\n---\nyear: 2\n"))[0].message


def test_it_refuses_non_mapping_and_empty_documents() -> None:
    assert "顶层" in refused(load_scheme_text("- 1\n- 2\n"))[0].message
    assert "为空" in refused(load_scheme_text(""))[0].message


def test_it_refuses_an_unsupported_version(data: dict[str, Any]) -> None:
    data["version"] = 2
    problems = refused(scheme_from_data(data))
    assert problems[0].path == "version"


def test_it_reports_missing_and_unknown_fields_with_paths(data: dict[str, Any]) -> None:
    del data["indicators"][0]["children"][1]["name"]
    data["quotas"]["limits"][0]["max_shares"] = 20
    problems = refused(scheme_from_data(data))
    by_path = {p.path: p.message for p in problems}
    assert by_path["indicators[0].children[1].name"] == "缺少必填项"
    assert "未知字段" in by_path["quotas.limits[0].max_shares"]


def test_it_reports_type_errors_inside_measures(data: dict[str, Any]) -> None:
    leaf = data["indicators"][3]["children"][0]["children"][0]
    leaf["weight"] = "很多"
    leaf["measure"]["direction"] = "sideways"
    leaf["measure"]["rule"]["bands"][0]["threshold"] = "高"
    problems = refused(scheme_from_data(data))
    by_path = {p.path: p.message for p in problems}
    base = "indicators[3].children[0].children[0]"
    assert "应为数字" in by_path[f"{base}.weight"]
    assert "sideways" in by_path[f"{base}.measure.direction"]
    assert "应为数字" in by_path[f"{base}.measure.rule.bands[0].threshold"]


def test_it_reports_an_unknown_measure_kind(data: dict[str, Any]) -> None:
    data["indicators"][0]["children"][0]["children"][0]["measure"]["kind"] = "vibes"
    problems = refused(scheme_from_data(data))
    assert problems[0].path == "indicators[0].children[0].children[0].measure"
    assert "vibes" in problems[0].message


def test_it_reports_an_out_of_range_quota(data: dict[str, Any]) -> None:
    data["quotas"]["limits"][0]["max_share"] = 120
    problems = refused(scheme_from_data(data))
    assert problems == [Problem("quotas.limits[0].max_share", "应不大于 100，实际为“120”")]


def test_format_path() -> None:
    assert format_path(("indicators", 0, "children", 2, "weight")) == "indicators[0].children[2].weight"
    assert format_path(("indicators", 0, "measure", "quantitative", "rule", "bands", "type")) == (
        "indicators[0].measure.rule.type"
    )


def test_round_trip_equals_the_file_as_a_model(default_text: str) -> None:
    scheme = load_scheme_text(default_text)
    assert isinstance(scheme, Scheme)
    exported = dump_scheme(scheme)
    again = load_scheme_text(exported)
    assert again == scheme
    assert dump_scheme(again) == exported


def test_it_loads_a_file(tmp_path: Path, default_text: str) -> None:
    path = tmp_path / "scheme.yaml"
    path.write_text(default_text, encoding="utf-8")
    assert isinstance(load_scheme_file(path), Scheme)
    assert "找不到" in refused(load_scheme_file(tmp_path / "missing.yaml"))[0].message
    (tmp_path / "latin.yaml").write_bytes("name: caf\xe9".encode("latin-1"))
    assert "UTF-8" in refused(load_scheme_file(tmp_path / "latin.yaml"))[0].message


def test_changing_the_excellent_quota_in_the_text_changes_the_model(default_text: str) -> None:
    assert "max_share: 20  # G5" in default_text
    changed = load_scheme_text(default_text.replace("max_share: 20  # G5", "max_share: 15  # G5"))
    assert isinstance(changed, Scheme)
    limit = changed.quotas.limits[0]
    assert (limit.grade, limit.max_share) == ("excellent", 15)
    assert load_default_scheme().quotas.limits[0].max_share == 20
