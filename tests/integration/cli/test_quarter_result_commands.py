"""`kaohe quarter compute` and `kaohe quarter export` as separate processes through the installed entry
point, on each backend, after `kaohe init && kaohe demo`: a quarter in its rating phase is computed, a second
run reports nothing changed, the export opens with the issue's columns; bad input gets one Chinese line."""

from openpyxl import load_workbook
from tests.integration.cli.test_commands import run, unit, world

__all__ = ["run", "unit", "world"]  # the fixtures: a demo database per backend built by the commands
COLUMNS = ("工号", "姓名", "部门", "记录得分", "指标得分", "季度得分", "缺评说明")


def _to_rating(world) -> None:  # type: ignore[no-untyped-def]
    assert world("quarter", "open", "2025").code == 0
    for _ in range(2):  # pending → collection → rating
        moved = world("quarter", "advance", "2025Q3", "--reason", "命令行测试")
        assert moved.code == 0, moved.text


def test_it_computes_a_quarter_then_exports_one_row_per_person(world, tmp_path):  # type: ignore[no-untyped-def]
    early = world("quarter", "compute", "2025Q2")
    assert early.code == 1 and "尚未开启" in early.err, early.text
    _to_rating(world)
    ahead = world("quarter", "compute", "2025Q4")
    assert ahead.code == 1 and "评价" in ahead.err, ahead.text  # still pending: nothing to compute yet
    first = world("quarter", "compute", "2025Q3")
    assert first.code == 0, first.text
    assert "2025年第三季度结果已计算" in first.out and "77 人" in first.out, first.out
    again = world("quarter", "compute", "2025-Q3")
    assert again.code == 0 and "其中 0 人结果有变化" in again.out, again.out

    target = tmp_path / "季度结果.xlsx"
    exported = world("quarter", "export", "2025Q3", str(target))
    assert exported.code == 0, exported.text
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == COLUMNS and len(rows) == 78
    assert all(row[6] for row in rows[1:])  # the demo's daily records are not in this database: said so


def test_it_refuses_bad_input_in_chinese(world, tmp_path):  # type: ignore[no-untyped-def]
    for args, expected in ((("quarter", "compute", ""), "季度"), (("quarter", "compute", "2026Q9"), "第九季度"),
                           (("quarter", "export", "2025Q3", str(tmp_path / "out.csv")), ".xlsx")):
        ran = world(*args)
        assert ran.code == 1 and "Traceback" not in ran.text and expected in ran.err, (args, ran.text)


def test_it_imports_past_results_all_or_nothing(world, tmp_path):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    def book(rows: list[list[object]], name: str):  # type: ignore[no-untyped-def]
        sheet_book = Workbook()
        sheet = sheet_book.active
        sheet.append(["2024 年第四季度考核结果"])
        sheet.append(["工号", "姓名", "年度", "季度", "记录得分", "指标得分", "季度得分"])
        for row in rows:
            sheet.append(row)
        path = tmp_path / name
        sheet_book.save(path)
        return path

    bad = book([["JZ0028", "郭婷", 2024, 4, 80, 85, 83.5], ["JZ9999", "无此人", 2024, 4, 80, 85, 83.5]], "bad.xlsx")
    refused = world("quarter", "import-history", str(bad))
    assert refused.code == 1 and "第 4 行「工号」" in refused.err and "JZ9999" in refused.err, refused.text
    good = book([["JZ0028", "郭婷", 2024, 4, 80, 85, 83.5], ["JZ0027", "廖永浩", 2024, "第四季度", 76, 82, 80.2]],
                "good.xlsx")
    done = world("quarter", "import-history", str(good))
    assert done.code == 0 and "已导入历史季度结果 2 条（2 人，1 个季度），替换 0 条" in done.out, done.text
    again = world("quarter", "import-history", str(good))
    assert again.code == 1 and "已导入过历史结果" in again.err, again.text
    replaced = world("quarter", "import-history", str(good), "--replace")
    assert replaced.code == 0 and "替换 2 条" in replaced.out, replaced.text
    target = tmp_path / "2024Q4.xlsx"
    assert world("quarter", "export", "2024Q4", str(target)).code == 0
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert len(rows) == 3 and all("历史结果" in row[6] for row in rows[1:])
