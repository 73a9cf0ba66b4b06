"""The cell normalisers: text, integers, decimals and percents, dates in every way they are written."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from kaohe.sheets import CellError, cell_text, excel_serial_date, to_date, to_decimal, to_integer, to_text


def detail(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(CellError) as caught:
        call(*args, **kwargs)
    return caught.value.detail


def test_cell_text_writes_whole_floats_without_a_decimal_point():
    assert cell_text(123.0) == "123"
    assert cell_text(12.5) == "12.5"
    assert cell_text("007") == "007"
    assert cell_text(None) == ""
    assert cell_text(datetime(2023, 7, 1)) == "2023-07-01"
    assert cell_text(datetime(2023, 7, 1, 9, 30)) == "2023-07-01 09:30:00"


def test_to_text_trims_refuses_formulas_and_control_characters():
    assert to_text("  张三\u200b ") == "张三"
    assert to_text("Ａ００１，", folded=True) == "A001,"
    assert detail(to_text, "=1+1") == "内容不能以 = + - @ 开头（疑似公式注入）"
    assert to_text("+86 138 0013 8000", signed_number=True) == "+86 138 0013 8000"
    assert detail(to_text, "+SUM(1)", signed_number=True).endswith("（疑似公式注入）")
    assert detail(to_text, "科长\n副主任") == "不能包含换行、制表符等控制字符"
    assert to_text("一、初稿\r\n二、定稿", multiline=True) == "一、初稿\n二、定稿"
    assert detail(to_text, "完成\x07", multiline=True) == "不能包含换行和制表符以外的控制字符"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12, 12), (12.0, 12), ("12", 12), ("１２３", 123), ("1,200", 1200), ("00123", 123), (" -5 ", -5),
     ("7.0", 7), (Decimal("40"), 40), ("123456789012345678", 123456789012345678)],
)
def test_to_integer_reads_whole_numbers_however_written(value, expected):
    assert to_integer(value) == expected


@pytest.mark.parametrize("value", ["12.5", 12.5, "十二", "", True, date(2023, 7, 1), "1e5"])
def test_to_integer_refuses_what_is_not_a_whole_number(value):
    assert "不是整数" in detail(to_integer, value)


def test_to_integer_refuses_more_digits_than_can_be_trusted():
    assert detail(to_integer, "1234567890123456789012345") == "「1234567890123456789012345」超过 18 位数字，无法准确读取"
    assert "超过 18 位" in detail(to_integer, 10**24)
    assert to_integer("0000000000000000000001") == 1  # leading zeros are not digits of the value
    assert "超过 5 位" in detail(to_integer, "123456", max_digits=5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("85%", "0.85"), ("８５％", "0.85"), ("85.5 %", "0.855"), (0.85, "0.85"), (85, "85"), ("1,234.5", "1234.5"),
     ("－３．５", "-3.5"), (".5", "0.5"), ("１２３", "123")],
)
def test_to_decimal_reads_numbers_and_percents(value, expected):
    assert to_decimal(value) == Decimal(expected)


@pytest.mark.parametrize("value", ["abc", "", "%", "1.2.3", "--1", True, "NaN", "inf"])
def test_to_decimal_refuses_what_is_not_a_number(value):
    assert "不是有效的数字" in detail(to_decimal, value)


def test_to_decimal_refuses_a_25_digit_number():
    assert "超过 18 位" in detail(to_decimal, "1234567890123456789012345.5")


@pytest.mark.parametrize(
    "value",
    ["2023-07-01", "2023/7/1", "2023年7月1日", "2023 年 7 月 1 日", "２０２３年７月１日", "２０２３－０７－０１",
     "2023/7/1 0:00", "2023-07-01 09:30:00", datetime(2023, 7, 1, 8), date(2023, 7, 1)],
)
def test_to_date_reads_dates_as_typed_or_as_date_cells(value):
    assert to_date(value) == date(2023, 7, 1)


@pytest.mark.parametrize("value", ["2023-02-30", "2023.7.1", "07/01/2023", "2023-7/1", "1899-12-31", "去年", 45108,
                                   20230701, "45108"])
def test_to_date_refuses_what_it_was_not_asked_to_read(value):
    assert detail(to_date, value).endswith("不是有效日期，请使用 2023-07-01、2023/7/1 或 2023年7月1日 格式")


def test_to_date_reads_dots_compact_dates_and_excel_serials_when_asked():
    assert to_date("2023.7.1", dots=True) == date(2023, 7, 1)
    assert to_date(20230701, compact=True) == to_date("20230701", compact=True) == date(2023, 7, 1)
    assert to_date(45108, serial=True) == to_date(45108.0, serial=True) == date(2023, 7, 1)
    assert excel_serial_date(45108.5) == datetime(2023, 7, 1, 12)
    assert excel_serial_date(0) is None and excel_serial_date(3_000_000) is None
    # Why serials are read only when asked: the year 2020 typed as a number is a day in 1905.
    assert to_date(2020, serial=True) == date(1905, 7, 12)
