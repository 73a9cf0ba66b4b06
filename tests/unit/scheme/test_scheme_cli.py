"""`kaohe scheme validate|diff|schema` through Typer's CliRunner, and the committed JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from kaohe.scheme.cli import scheme_app
from kaohe.scheme.models import Scheme
from kaohe.scheme.schema import scheme_json_schema

runner = CliRunner()
DOCS = Path(__file__).resolve().parents[3] / "docs"


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_it_validates_a_good_file(tmp_path: Path, default_text: str) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(default_text, encoding="utf-8")
    result = runner.invoke(scheme_app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "方案校验通过" in result.output


def test_it_lists_every_problem_of_a_bad_file(tmp_path: Path, data: dict[str, Any]) -> None:
    data["raters"]["groups"][0]["weight"] = 50
    data["records"]["weight"] = 20
    result = runner.invoke(scheme_app, ["validate", str(write(tmp_path / "bad.yaml", data))])
    assert result.exit_code == 1
    assert "raters.groups: 评价主体权重之和为 110，应为 100" in result.output
    assert "records.weight: 日常记录权重 20% 低于下限 30%" in result.output
    assert "方案校验通过" not in result.output


def test_it_refuses_a_hostile_file(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("year: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    result = runner.invoke(scheme_app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "不允许使用自定义 YAML 标签" in result.output


def test_it_diffs_two_years(tmp_path: Path, data: dict[str, Any]) -> None:
    old = write(tmp_path / "2025.yaml", data)
    data["year"] = 2026
    data["indicators"][5]["children"][0]["children"][1]["code"] = "CX.1.3"
    new = write(tmp_path / "2026.yaml", data)
    result = runner.invoke(scheme_app, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert "CX.1.3" in result.output and "CX.1.2" in result.output
    assert "不在方案规定的 10%–15% 区间内" in result.output


def test_it_prints_the_json_schema() -> None:
    result = runner.invoke(scheme_app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == Scheme.model_json_schema()


def test_the_committed_json_schema_is_up_to_date() -> None:
    committed = (DOCS / "scheme.schema.json").read_text(encoding="utf-8")
    assert committed == scheme_json_schema(), "regenerate: kaohe scheme schema > docs/scheme.schema.json"
