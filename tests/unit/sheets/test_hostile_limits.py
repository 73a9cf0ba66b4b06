"""Hostile workbooks, small on disk and costly to read naively: each is refused (or, for rows past
the declared range, read) quickly, with a Chinese message naming the limit.

The time guard here is deliberately loose ("refused, not hung"); the figures are in bench/bench_inputs.py.
"""

import io
import time
import zipfile
from collections.abc import Iterator

import pytest
from tests.unit.sheets import hostile

from kaohe.sheets import Limits, SheetRefused, UploadBudget, read_sheet
from kaohe.sheets.budget import within

GUARD_SECONDS = 30.0  # a hang guard only, loose enough for a loaded 2-core CI machine; figures are in bench/


@pytest.fixture
def quick() -> Iterator[None]:
    started = time.monotonic()
    yield
    assert time.monotonic() - started < GUARD_SECONDS, "took too long: hung rather than refused"


def refusal(data: bytes, limits: Limits = Limits()) -> SheetRefused:
    with pytest.raises(SheetRefused) as caught:
        read_sheet(data, "表.xlsx", limits=limits)
    return caught.value


def test_it_refuses_a_sheet_declaring_the_whole_grid(quick):
    refused = refusal(hostile.huge_dimension())
    assert refused.reason == "dimension"
    assert refused.message == "工作表声明的范围 A1:XFD1048576 超过 1024 列或 1048576 行的上限，请删除多余的行列后再导入"


def test_it_refuses_a_wide_range_with_a_gap_to_row_20000(quick):
    assert refusal(hostile.gap_to_row()).reason == "dimension"


def test_it_reads_a_gap_to_row_20000_without_a_dimension_quickly(quick):
    # Without the declared range there is nothing to refuse up front; the empty rows are scanned.
    data = hostile.workbook(hostile.sheet(
        [hostile.row_xml(1, ["工号", "姓名"])]
        + [f'<row r="{n}" spans="1:200" s="1" customFormat="1"/>' for n in range(2, 20_000)]
        + [hostile.row_xml(20_000, ["E001", "张三"])], dimension=None))
    rows = read_sheet(data, "表.xlsx").rows
    assert [row.number for row in rows] == [1, 20_000]


def test_it_refuses_a_shared_strings_bomb_as_a_zip_bomb(quick):
    data = hostile.shared_strings_bomb(5_000_000)
    assert len(data) < 1024 * 1024
    refused = refusal(data)
    assert refused.reason == "zip_bomb"
    assert "超过 200 倍的上限" in refused.message


def test_it_counts_the_shared_strings_before_openpyxl_loads_them(quick):
    # With the ratio check out of the way, the streaming count refuses it before a string is parsed.
    refused = refusal(hostile.shared_strings_bomb(5_000_000), Limits(max_compression_ratio=10**6))
    assert refused.reason == "shared_strings"
    assert refused.message == "共享字符串表超过 1000000 条的上限，请删除多余的内容或拆分后再导入"


def test_it_stops_reading_shared_strings_at_the_deadline(quick):
    # Every check lifted but the clock: 1,000,000 strings take openpyxl about ten seconds.
    limits = Limits(max_compression_ratio=10**6, max_shared_strings=10**7, max_parse_seconds=0.3)
    started = time.monotonic()
    refused = refusal(hostile.shared_strings_bomb(1_000_000), limits)
    assert refused.reason == "too_slow"
    assert refused.message == "解析超过 0.3 秒，已停止，请检查文件是否过大或已损坏，拆分后再导入"
    assert time.monotonic() - started < 2


def test_it_stops_reading_rows_at_the_deadline(quick):
    limits = Limits(max_parse_seconds=0.2, max_scanned_rows=10**7, max_rows=10**7)
    many = hostile.workbook(hostile.sheet(
        [hostile.row_xml(n, [f"E{n}", "张三"]) for n in range(1, 300_000)], dimension=None))
    assert refusal(many, limits).reason == "too_slow"


def test_it_refuses_a_zip_bomb_by_its_unpacked_size(quick):
    refused = refusal(hostile.zip_bomb(200))
    assert refused.reason == "unpacked"
    assert refused.message == "文件解压后超过 100 MB 的上限，请删除多余的工作表、图片或空行后再导入"


def test_it_refuses_one_part_inflating_past_the_ratio(quick):
    refused = refusal(hostile.zip_bomb(50))
    assert refused.reason == "zip_bomb"


def test_the_upload_budget_sets_the_unpacked_size_and_the_time(quick):
    with within(UploadBudget(unpacked_bytes=10 * 1024 * 1024, parse_seconds=1)):
        refused = refusal(hostile.zip_bomb(20), Limits(max_compression_ratio=10**6))
    assert refused.message.startswith("文件解压后超过 10 MB 的上限")


def test_it_refuses_too_many_parts(quick):
    extra = {f"xl/media/p{n}.xml": b"" for n in range(1_001)}
    data = hostile.workbook(hostile.sheet([hostile.row_xml(1, ["工号"])]), extra=extra)
    assert refusal(data).reason == "too_many_parts"


def test_zipfile_never_yields_more_than_a_lying_header_declares(quick):
    # What the unpacked-size check relies on: the declared size bounds what comes out, and a part
    # that holds more than declared fails its CRC rather than streaming on.
    lines = [hostile.row_xml(n, [f"E{n}", "张三"]) for n in range(1, 2_000)]
    real = hostile.workbook(hostile.sheet(lines, dimension=None))
    lying = hostile.lying_header(real, 1_000)
    archive = zipfile.ZipFile(io.BytesIO(lying))
    assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 1_000
    received = 0
    with pytest.raises(zipfile.BadZipFile), archive.open("xl/worksheets/sheet1.xml") as part:
        while chunk := part.read(100):
            received += len(chunk)
    assert received <= 1_000
    assert refusal(lying).reason == "corrupt"


def test_a_header_overstating_a_size_is_refused_by_it(quick):
    real = hostile.plain(("工号", "姓名"), [("E001", "张三")])
    assert refusal(hostile.lying_header(real, 500 * 1024 * 1024)).reason == "unpacked"


def test_it_refuses_a_nul_byte(quick):
    assert refusal(hostile.nul_cell()).reason == "nul"


def test_it_refuses_a_giant_integer(quick):
    assert refusal(hostile.giant_integer()).reason == "digits"


def test_it_refuses_thousands_of_merged_ranges(quick):
    merges = "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(2, 6_000))
    part = hostile.sheet([hostile.row_xml(1, ["工号", "姓名"])]).replace(
        b"</worksheet>", f'<mergeCells count="5998">{merges}</mergeCells></worksheet>'.encode())
    assert refusal(hostile.workbook(part)).reason == "too_many_merges"


def test_it_reads_rows_past_the_declared_range(quick):
    data = hostile.plain(("年度", "任务编号", "进度", "说明"),
                         [(2026, f"T{n}", 50, "") for n in range(1, 5)], dimension="A1:D2")
    rows = read_sheet(data, "表.xlsx").rows
    assert [row.number for row in rows] == [1, 2, 3, 4, 5]


# CSV: the same ideas.


def test_it_refuses_a_csv_past_the_size_limit(quick):
    with pytest.raises(SheetRefused) as caught:
        read_sheet(b"a,b\r\n" * (3 * 1024 * 1024), "表.csv")
    assert caught.value.reason == "too_large"


def test_it_refuses_a_csv_of_blank_lines_past_the_scanned_rows(quick):
    with pytest.raises(SheetRefused) as caught:
        read_sheet(b"a,b\n" + b"\n" * 2_000_000, "表.csv")
    assert caught.value.reason == "too_many_rows"


def test_it_refuses_a_csv_row_too_wide(quick):
    with pytest.raises(SheetRefused) as caught:
        read_sheet(b",".join([b"x"] * 5_000), "表.csv")
    assert caught.value.reason == "too_many_columns"


def test_it_stops_reading_a_csv_at_the_deadline(quick):
    data = "".join(f"E{n},张三\n" for n in range(400_000)).encode()
    with pytest.raises(SheetRefused) as caught:
        read_sheet(data, "表.csv", limits=Limits(max_parse_seconds=0.2, max_rows=10**7, max_scanned_rows=10**7))
    assert caught.value.reason == "too_slow"
