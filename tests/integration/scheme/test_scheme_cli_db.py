"""`kaohe scheme import/export/publish/freeze` against a real database."""

import pytest
from typer.testing import CliRunner

from kaohe.cli import app
from kaohe.config import get_settings
from kaohe.scheme.loader import default_scheme_text

runner = CliRunner()


@pytest.fixture
def cli(empty_url, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KAOHE_DATABASE_URL", empty_url)
    get_settings.cache_clear()
    yield lambda *args: runner.invoke(app, ["scheme", *args])
    get_settings.cache_clear()


def test_it_imports_publishes_exports_and_freezes(cli, tmp_path):
    source = tmp_path / "scheme.yaml"
    source.write_text(default_scheme_text().replace("max_share: 20", "max_share: 15"), encoding="utf-8")
    imported = cli("import", str(source), "--year", "2026")
    assert imported.exit_code == 0, imported.output
    assert "2026 年度方案第 1 版" in imported.output
    published = cli("publish", "--year", "2026", "--version", "1")
    assert published.exit_code == 0, published.output
    out = tmp_path / "out.yaml"
    exported = cli("export", "--year", "2026", "--output", str(out))
    assert exported.exit_code == 0, exported.output
    text = out.read_text(encoding="utf-8")
    assert "year: 2026" in text and "max_share: 15" in text
    assert cli("export", "--year", "2026", "--version", "1").output == text
    frozen = cli("freeze", "--year", "2026")
    assert frozen.exit_code == 0 and "已冻结" in frozen.output
    cli("import", str(source), "--year", "2026")
    refused = cli("publish", "--year", "2026", "--version", "2")
    assert refused.exit_code == 1 and "冻结" in refused.output


def test_it_refuses_an_invalid_file_and_lists_the_problems(cli, tmp_path):
    source = tmp_path / "bad.yaml"
    source.write_text(default_scheme_text().replace("cap_percent_of_base: 20", "cap_percent_of_base: 120"),
                      encoding="utf-8")
    result = cli("import", str(source), "--year", "2026")
    assert result.exit_code == 1
    assert "bonus.cap_percent_of_base" in result.output
    missing = cli("export", "--year", "2026", "--version", "3")
    assert missing.exit_code == 1 and "第 3 版" in missing.output
