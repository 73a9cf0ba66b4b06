"""`kaohe warnings evaluate` and `kaohe warnings list` as separate processes through the installed entry
point, on each backend, after `kaohe init && kaohe demo`: a quarter computed with one person's task
completion below the scheme's minimum lists that person's warning; evaluating again raises nothing twice;
bad input gets one Chinese line."""

from tests.integration.cli.test_commands import run, unit, world

__all__ = ["run", "unit", "world"]  # the fixtures: a demo database per backend built by the commands


def test_it_evaluates_and_lists_a_quarters_warnings(world, tmp_path):  # type: ignore[no-untyped-def]
    assert world("quarter", "open", "2025").code == 0
    for _ in range(2):  # pending → collection → rating
        assert world("quarter", "advance", "2025Q3", "--reason", "命令行测试").code == 0
    empty = world("warnings", "list", "2025Q3")
    assert empty.code == 0 and "2025年第三季度没有预警" in empty.out, empty.text
    values = tmp_path / "任务完成率.csv"
    # The project system's export carries every indicator it feeds; only 年度重点工作完成率 (the scheme's
    # task-progress indicator) is below 80.
    counts = ("主持项目数量", "跨部门协作项目数", "技术难题解决数量", "项目落地数量")
    rates = ("按期完成率", "创新任务完成率", "年度重点工作完成率", "决策事项按期落实率")
    header = ["工号", "年度重点任务完成率", *counts, *rates]
    rows = [header, ["JZ0028", 95, *[2] * len(counts), 95, 95, 60, 95],
            ["JZ0062", 95, *[2] * len(counts), *[95] * len(rates)]]
    values.write_text("".join(",".join(map(str, row)) + "\n" for row in rows), encoding="utf-8-sig")
    imported = world("metrics", "import", "project_system", "2025Q3", str(values))
    assert imported.code == 0, imported.text
    assert world("quarter", "compute", "2025Q3").code == 0  # computing raises the quarter's warnings
    listed = world("warnings", "list", "2025Q3")
    assert listed.code == 0, listed.text
    lines = listed.out.strip().splitlines()
    assert lines[0].split("\t") == ["工号", "姓名", "部门", "预警类型", "状态", "触发数据"]
    assert len(lines) == 2 and lines[1].startswith("JZ0028\t") and "\t任务进度滞后\t待处理\t" in lines[1], listed.out
    again = world("warnings", "evaluate", "2025-Q3")
    assert again.code == 0 and "新发出 0 条" in again.out and "目前待处理 1 条" in again.out, again.text


def test_it_refuses_bad_input_in_chinese(world):  # type: ignore[no-untyped-def]
    for args, expected in ((("warnings", "evaluate", ""), "季度"), (("warnings", "list", "春季"), "无法识别"),
                           (("warnings", "evaluate", "2031Q1"), "尚未开启")):
        ran = world(*args)
        assert ran.code == 1 and "Traceback" not in ran.text and expected in ran.err, (args, ran.text)
