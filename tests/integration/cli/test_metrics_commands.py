"""`kaohe metrics import SOURCE 2025Q3 FILE` and `kaohe metrics collect-records 2025Q3`, run as separate
processes through the installed entry point against a database `kaohe init` and `kaohe demo` built, on
each backend (the `unit`/`world` fixtures of test_commands.py)."""

import io
from pathlib import Path

import openpyxl
from sqlalchemy import func, select
from tests.integration.cli.test_commands import unit, world

from kaohe.bootstrap import make_engine
from kaohe.metrics.models import MetricBatch, MetricValue, MetricValueHistory

__all__ = ["unit", "world"]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def _counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return tuple(connection.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[return-value]
                         for model in (MetricBatch, MetricValue, MetricValueHistory))
    finally:
        engine.dispose()


def test_it_imports_a_sources_file_for_a_quarter_and_replaces_it_only_when_told(unit, backend, world, tmp_path):
    url = unit(backend)[0]
    before = _counts(url)
    file = _xlsx(tmp_path / "考勤2025Q3.xlsx", [["江州市政务服务中心考勤汇总"], ["工号", "姓名", "出勤率"],
                                              ["JZ0028", "周晓", "98%"], ["JZ0062", "赵磊", 0.97], ["合计"]])
    done = world("metrics", "import", "attendance_system", "2025Q3", str(file))
    assert done.code == 0, done.text
    assert "已导入2025年第三季度 2 条指标数据（2 人），替换 0 条。" in done.out
    again = world("metrics", "import", "attendance_system", "2025Q3", str(file))
    assert again.code == 1 and again.err.startswith("错误：") and "--replace" in again.err
    replaced = world("metrics", "import", "attendance_system", "2025-Q3", str(file), "--replace")
    assert replaced.code == 0 and "替换 2 条" in replaced.out, replaced.text
    batches, stored, history = _counts(url)
    assert (batches - before[0], stored - before[1], history - before[2]) == (2, 2, 2)


def test_it_refuses_a_bad_file_naming_each_row_and_saves_nothing(unit, backend, world, tmp_path):
    url = unit(backend)[0]
    before = _counts(url)
    file = _xlsx(tmp_path / "bad.xlsx", [["工号", "出勤率"], ["JZ0028", "=1+1"], ["JZ9999", 98], ["JZ0062", "优秀"]])
    refused = world("metrics", "import", "finance_system", "2025Q3", str(file))
    assert refused.code == 1
    assert "缺少必填列：成本控制率" in refused.err, refused.text
    refused = world("metrics", "import", "attendance_system", "2025Q2", str(file))
    assert refused.code == 1 and "共 3 处错误" in refused.err
    for row in ("第 2 行「出勤率」", "第 3 行「工号」", "第 4 行「出勤率」"):
        assert row in refused.err, refused.err
    huge = tmp_path / "huge.csv"
    huge.write_bytes(b"\xef\xbb\xbf" + ("工号,出勤率\n" + "JZ0028,98\n" * 2_100_000).encode())
    too_big = world("metrics", "import", "attendance_system", "2025Q2", str(huge))
    assert too_big.code == 1 and "超过上限 10 MB" in too_big.err
    unreadable = world("metrics", "import", "attendance_system", "2026Q9", str(file))
    assert unreadable.code == 1 and "「2026Q9」不是有效的季度" in unreadable.err
    assert _counts(url) == before


def test_it_collects_the_record_figures_of_a_quarter(world, tmp_path):
    done = world("metrics", "collect-records", "2025Q3")
    assert done.code == 0, done.text
    assert "已从日常记录采集2025年第三季度" in done.out
    file = _xlsx(tmp_path / "records.xlsx", [["工号", "工作记录及时率"], ["JZ0028", 100]])
    typed = world("metrics", "import", "daily_records", "2025Q3", str(file))
    assert typed.code == 1 and "「日常记录」的数据由系统从日常记录自动采集，不能导入" in typed.err
