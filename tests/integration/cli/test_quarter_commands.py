"""`kaohe quarter …` run as separate processes through the installed entry point, on each backend, after
`kaohe init && kaohe demo`: open a year, see a quarter, move it through every phase, reopen it; and every
bad input refused with one Chinese line and exit code 1, never a traceback."""

from tests.integration.cli.test_commands import run, unit, world

__all__ = ["run", "unit", "world"]  # the fixtures: a demo database per backend built by the commands


def test_it_opens_a_year_and_moves_a_quarter_through_every_phase_and_back(world):
    # The demo opens the current year itself; the previous one is still to open.
    opened = world("quarter", "open", "2025")
    assert opened.code == 0, opened.text
    assert "已开启 2025 年度考核周期，共 4 个季度：2025年第一季度、2025年第二季度、2025年第三季度、2025年第四季度" in opened.out
    again = world("quarter", "open", "2025")
    assert again.code == 1 and again.err.strip() == "错误：2025 年度的考核周期已经开启，无需重复开启。"

    status = world("quarter", "status", "2025Q3")
    assert status.code == 0, status.text
    assert "2025年第三季度（2025Q3）：未开始；起止 2025-07-01 至 2025-09-30" in status.out
    assert "数据采集：未开始" in status.out and "月结尚未办结" in status.out

    started = world("quarter", "advance", "2025-Q3", "--reason", "按期开始采集")
    assert started.code == 0, started.text
    assert "2025年第三季度已进入「数据采集」阶段：" in started.out and "截止" in started.out
    shown = world("quarter", "status", "2025q3")
    assert "2025年第三季度（2025Q3）：数据采集" in shown.out and "（5 个工作日）" in shown.out
    assert "未开始 → 数据采集，理由：按期开始采集" in shown.out

    for phase in ("评价", "审核", "已结束"):
        moved = world("quarter", "advance", "2025Q3")
        assert moved.code == 0 and f"已进入「{phase}」阶段" in moved.out, moved.text
    frozen = world("quarter", "advance", "2025Q3")
    assert frozen.code == 1 and "已经结束，不能再推进" in frozen.err

    no_reason = world("quarter", "reopen", "2025Q3")
    assert no_reason.code == 1 and "请填写重新打开的理由" in no_reason.err
    reopened = world("quarter", "reopen", "2025Q3", "--reason", "满意度数据有误，需更正")
    assert reopened.code == 0 and "已进入「审核」阶段" in reopened.out, reopened.text
    after = world("quarter", "status", "2025年第三季度")
    assert "：审核；" in after.out and "已结束 → 审核，理由：满意度数据有误，需更正" in after.out


def test_it_refuses_bad_input_with_one_chinese_line(world):
    refusals = {
        ("quarter", "open", "明年"): "年度「明年」无法识别",
        ("quarter", "open"): "请给出考核年度",
        ("quarter", "open", "1999"): "年度 1999 不在 2000–2100 年之间",
        ("quarter", "status"): "请给出季度",
        ("quarter", "status", "2026Q13"): "季度「2026Q13」无法识别",
        ("quarter", "status", "三季度"): "季度「三季度」无法识别",
        ("quarter", "status", "2031Q1"): "2031年第一季度尚未开启考核周期",
        ("quarter", "advance", "2031-Q2"): "2031年第二季度尚未开启考核周期",
        ("quarter", "advance", "下季度"): "季度「下季度」无法识别",
        ("quarter", "reopen", "2031Q1", "--reason", "数据有误"): "2031年第一季度尚未开启考核周期",
    }
    for args, message in refusals.items():
        ran = world(*args)
        lines = [line for line in ran.err.splitlines() if line.strip()]
        assert ran.code == 1 and len(lines) == 1 and lines[0].startswith("错误：") and message in lines[0], (args, ran.text)
