"""`kaohe ratings …` run as separate processes through the installed entry point, on each backend, after
`kaohe init && kaohe demo`: propose the raters of a quarter (twice: nothing added the second time), see the
forms per rater group; bad input refused with one Chinese line and exit code 1, never a traceback."""

import re

from tests.integration.cli.test_commands import run, unit, world

__all__ = ["run", "unit", "world"]  # the fixtures: a demo database per backend built by the commands


def test_it_proposes_raters_once_and_shows_the_forms_per_group(world):
    # A year of its own, not started: raters may be proposed before the quarter's data is collected.
    opened = world("quarter", "open", "2027")
    assert opened.code == 0 or "已经开启" in opened.err, opened.text
    proposed = world("ratings", "propose", "2027Q1")
    assert proposed.code == 0, proposed.text
    found = re.search(r"2027年第一季度：已推荐评价人，新增 (\d+) 张评价表（在职 (\d+) 人", proposed.out)
    assert found and int(found[1]) > int(found[2]), proposed.out
    again = world("ratings", "propose", "2027-Q1")
    assert again.code == 0 and "新增 0 张评价表" in again.out and f"{found[1]} 张未重复添加" in again.out, again.text

    shown = world("ratings", "status", "2027年第一季度")
    assert shown.code == 0, shown.text
    lines = shown.out.splitlines()
    assert lines[0] == "2027年第一季度：未开始"
    leader = next(line for line in lines if line.startswith("分管领导："))
    peers = next(line for line in lines if line.startswith("同事："))
    assigned = sum(int(re.search(r"评价表 (\d+) 张", line)[1]) for line in (leader, peers))
    assert assigned == int(found[1]) and "已提交 0" in peers and "未提交" in peers
    assert any(line.startswith("专家：评价表 0 张") for line in lines)


def test_it_refuses_bad_input_with_one_chinese_line(world):
    refusals = {
        ("ratings", "propose"): "请给出季度",
        ("ratings", "propose", "下季度"): "季度「下季度」无法识别",
        ("ratings", "status", "2031Q1"): "2031年第一季度尚未开启考核周期",
        ("ratings", "status"): "请给出季度",
    }
    for args, message in refusals.items():
        ran = world(*args)
        lines = [line for line in ran.err.splitlines() if line.strip()]
        assert ran.code == 1 and len(lines) == 1 and lines[0].startswith("错误：") and message in lines[0], (args, ran.text)
