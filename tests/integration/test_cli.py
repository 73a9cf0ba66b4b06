"""The kaohe command line against a real database."""

import io

import openpyxl
import pytest
from typer.testing import CliRunner

from kaohe.cli import app
from kaohe.config import get_settings

runner = CliRunner()


@pytest.fixture
def cli(empty_url, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KAOHE_DATABASE_URL", empty_url)
    monkeypatch.setenv("KAOHE_DEMO_PASSWORD", "cli-Demo-pass-1")
    get_settings.cache_clear()

    def run(*args: str):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args))
        return result

    yield run
    get_settings.cache_clear()


def test_it_initialises_builds_the_demo_and_prints_sign_ins(cli):
    init = cli("init")
    assert init.exit_code == 0, init.output
    assert "2026" in init.output
    demo = cli("demo")
    assert demo.exit_code == 0, demo.output
    assert "cli-Demo-pass-1" in demo.output
    for role in ("系统管理员", "考核办公室", "分管领导", "部门负责人", "部门联络员", "考核委员会委员", "纪检监督", "职工代表"):
        assert role in demo.output
    again = cli("demo")
    assert again.exit_code == 1 and "已有人员数据" in again.output


def test_it_creates_users_and_resets_passwords(cli):
    cli("init")
    created = cli("user", "create", "zhang", "--role", "hr", "--password", "Zhang-pass-2026")
    assert created.exit_code == 0, created.output
    weak = cli("user", "create", "li", "--password", "123")
    assert weak.exit_code == 1 and "至少需要 10 个字符" in weak.output
    reset = cli("user", "reset-password", "zhang")
    assert reset.exit_code == 0 and "临时密码" in reset.output
    assert cli("user", "reset-password", "nobody").exit_code == 1


def test_it_imports_and_exports_the_roster(cli, tmp_path):
    cli("init")
    cli("demo")
    out = tmp_path / "roster.xlsx"
    exported = cli("export", "staff", str(out))
    assert exported.exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet.max_row == 78  # header + 77 demo staff
    bad = tmp_path / "bad.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["工号", "姓名", "部门", "岗位类别", "职级"])
    book.active.append(["Q1", "张三", "火星科", "管理岗", "初级"])
    buf = io.BytesIO()
    book.save(buf)
    bad.write_bytes(buf.getvalue())
    refused = cli("import", "staff", str(bad))
    assert refused.exit_code == 1 and "第 2 行" in refused.output
    accepted = cli("import", "staff", str(out))
    assert accepted.exit_code == 0 and "更新 77 人" in accepted.output


def test_it_imports_a_calendar_year_and_computes_deadlines(cli, tmp_path):
    cli("init")
    refused = cli("calendar", "deadline", "2026-12-28", "--working-days", "10")
    assert refused.exit_code == 1 and "2027" in refused.output
    csv = tmp_path / "2027.csv"
    csv.write_text("日期,类型,名称\n2027-01-01,放假,元旦\n", encoding="utf-8")
    assert cli("calendar", "import", str(csv), "--year", "2027").exit_code == 0
    ok = cli("calendar", "deadline", "2026-12-28", "--working-days", "10")
    assert ok.exit_code == 0 and ok.output.strip() == "2027-01-12 23:59:59"
    shown = cli("calendar", "show", "2026")
    assert "国庆节" in shown.output
