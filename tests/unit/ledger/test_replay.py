"""Replaying the ledger into the expected state of the covered tables and comparing it with live rows
(R5), without a database: the payloads are the ones the records use cases write, the live rows are what
the drivers return (SQLite's text and integers, PostgreSQL's typed values)."""

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from kaohe.ledger.chain import Entry, chain
from kaohe.ledger.replay import CONTENT, TABLES, Replay, check_file, read_value, show

BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2026, 10, 14, 2, 0, tzinfo=UTC)
STARTED = datetime(2026, 10, 14, 7, 0, tzinfo=BEIJING)
ENDED = datetime(2026, 10, 14, 9, 0, tzinfo=BEIJING)
SHA = "ab" * 32


def content(title: str = "办理企业开办业务", stage: str = "受理二十三件") -> dict[str, Any]:
    return {"title": title, "started_at": STARTED.isoformat(), "ended_at": ENDED.isoformat(), "stage_result": stage,
            "difficulties": "", "commendation": "", "task_item_id": None}


def history() -> list[tuple[datetime, str, dict[str, Any]]]:
    """Record 1: entered, returned, edited, confirmed with a mark, with one file. Record 2: entered late.
    A month close. Written as kaohe.records.service, month and importing_service write them."""
    return [
        (T0, "record.version", {"record": 1, "version": 1, "staff": "JZ0001", "staff_id": 7, "by": 3,
                                "by_name": "郭婷", "action": "submit", "from": "", "status": "submitted",
                                "entered_at": T0, "late": False, "source": "web", **content()}),
        (T0 + timedelta(hours=1), "record.return", {"record": 1, "version": 1, "by": 5, "by_name": "沈杰",
                                                    "from": "submitted", "to": "returned", "comment": "请补充",
                                                    "mark": None}),
        (T0 + timedelta(hours=2), "record.version", {"record": 1, "version": 2, "staff": "JZ0001", "staff_id": 7,
                                                     "by": 3, "by_name": "郭婷", "action": "resubmit",
                                                     "from": "returned", "status": "submitted",
                                                     **content(stage="受理三十件")}),
        (T0 + timedelta(hours=2), "record.evidence", {"record": 1, "attachment": 4, "name": "办件清单.pdf",
                                                      "type": "application/pdf", "sha256": SHA, "size": 1024,
                                                      "by": 3}),
        (T0 + timedelta(hours=3), "record.confirm", {"record": 1, "version": 2, "by": 5, "by_name": "沈杰",
                                                     "from": "submitted", "to": "confirmed", "comment": "",
                                                     "mark": 4}),
        (T0 + timedelta(hours=4), "record.version", {"record": 2, "version": 1, "staff": "JZ0002", "staff_id": 8,
                                                     "by": 4, "by_name": "张承明", "action": "submit", "from": "",
                                                     "status": "submitted", "entered_at": T0 + timedelta(hours=4),
                                                     "late": True, "source": "api", **content("帮办代办")}),
        (T0 + timedelta(days=20), "vote.cast", {"ballot": 9}),  # another feature's entry: passes through
        (T0 + timedelta(days=21), "month.close", {"close": 1, "department": "ZW1", "department_id": 2,
                                                  "month": "2026-10", "by": 6, "summary": "十月小结",
                                                  "figures": {"records": 2, "late_share": "50.0"}}),
    ]


def sqlite_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def live_tables(*, sqlite: bool = True) -> dict[str, list[dict[str, Any]]]:
    """The rows the use cases leave behind for `history()`, as the driver returns them."""
    def when(moment: datetime | None) -> Any:
        return None if moment is None else sqlite_time(moment) if sqlite else moment

    def js(value: Any) -> Any:
        return json.dumps(value, ensure_ascii=False) if sqlite else value

    def flag(value: bool) -> Any:
        return int(value) if sqlite else value

    base = {"task_item_id": None, "title": "办理企业开办业务", "started_at": when(STARTED), "ended_at": when(ENDED),
            "difficulties": "", "commendation": ""}
    return {
        "work_record": [
            {"id": 1, "staff_id": 7, "recorded_by": 3, **base, "stage_result": "受理三十件", "entered_at": when(T0),
             "late": flag(False), "status": "confirmed", "version": 2, "source": "web", "review_comment": "",
             "quality_mark": 4, "reviewed_by": 5, "reviewed_at": when(T0 + timedelta(hours=3))},
            {"id": 2, "staff_id": 8, "recorded_by": 4, **base, "title": "帮办代办", "stage_result": "受理二十三件",
             "entered_at": when(T0 + timedelta(hours=4)), "late": flag(True), "status": "submitted", "version": 1,
             "source": "api", "review_comment": "", "quality_mark": None, "reviewed_by": None, "reviewed_at": None},
        ],
        "record_version": [
            {"id": 1, "record_id": 1, "version": 1, "content": js(content()), "created_by": 3, "created_at": when(T0)},
            {"id": 2, "record_id": 1, "version": 2, "content": js(content(stage="受理三十件")), "created_by": 3,
             "created_at": when(T0 + timedelta(hours=2))},
            {"id": 3, "record_id": 2, "version": 1, "content": js(content("帮办代办")), "created_by": 4,
             "created_at": when(T0 + timedelta(hours=4))},
        ],
        "review_action": [
            _action(1, 1, "submit", "", "submitted", "", 3, "郭婷", when(T0)),
            _action(2, 1, "return", "submitted", "returned", "请补充", 5, "沈杰", when(T0 + timedelta(hours=1))),
            _action(3, 1, "resubmit", "returned", "submitted", "", 3, "郭婷", when(T0 + timedelta(hours=2))),
            _action(5, 1, "confirm", "submitted", "confirmed", "", 5, "沈杰", when(T0 + timedelta(hours=3))),
            _action(4, 2, "submit", "", "submitted", "", 4, "张承明", when(T0 + timedelta(hours=4))),
        ],
        "record_attachment": [
            {"id": 4, "record_id": 1, "filename": "办件清单.pdf", "content_type": "application/pdf", "size": 1024,
             "sha256": SHA, "uploaded_by": 3, "uploaded_at": when(T0 + timedelta(hours=2))},
        ],
        "month_close": [
            {"id": 1, "department_id": 2, "month": "2026-10", "summary": "十月小结",
             "figures": js({"records": 2, "late_share": 50.0}), "closed_by": 6, "closed_at": when(T0 + timedelta(days=21))},
        ],
    }


def _action(ident: int, record: int, action: str, before: str, after: str, comment: str, actor: int, name: str,
            at: Any) -> dict[str, Any]:
    return {"id": ident, "record_id": record, "action": action, "from_status": before, "to_status": after,
            "comment": comment, "actor_id": actor, "actor_name": name, "at": at}


def entries(items: list[tuple[datetime, str, Any]] | None = None) -> list[Entry]:
    return list(chain(items if items is not None else history()))


def compare(live: dict[str, list[dict[str, Any]]], items: list[tuple[datetime, str, Any]] | None = None, **kw: Any):
    return Replay(**kw).feed_all(entries(items)).compare(live)


def only(result) -> str:  # type: ignore[no-untyped-def]
    assert result.count == 1, [d.message(BEIJING) for d in result.differences]
    return result.differences[0].message(BEIJING)


# --- agreement -------------------------------------------------------------------------------------

@pytest.mark.parametrize("sqlite", [True, False], ids=["sqlite", "postgresql"])
def test_it_finds_untouched_tables_in_agreement_with_the_ledger(sqlite):
    result = compare(live_tables(sqlite=sqlite))
    assert result.ok, [d.message() for d in result.differences]
    assert result.rows == 12


def test_its_content_fields_are_the_records_use_cases_own():
    from kaohe.records.service import CONTENT_FIELDS

    assert CONTENT == CONTENT_FIELDS


def test_the_covered_tables_load_with_one_statement_each():
    assert [table.name for table in TABLES] == ["work_record", "record_version", "review_action",
                                                "record_attachment", "month_close", "audit_entry"]
    assert TABLES[2].select.endswith("FROM review_action ORDER BY record_id, id")
    # Audit JSON columns are covered by digest, read as their text on both backends.
    assert "CAST(before AS TEXT) AS before" in TABLES[5].select


# --- edits behind the application's back ---------------------------------------------------------------

def test_it_names_a_status_set_to_confirmed_in_the_table():
    live = live_tables()
    live["work_record"][1]["status"] = "confirmed"
    assert only(compare(live)) == "工作记录 #2 的「状态」与账本不符：表中为 已确认，账本为 待审核"


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("title", "改过的标题", "工作记录 #1 的「工作事项」与账本不符：表中为 “改过的标题”，账本为 “办理企业开办业务”"),
    ("quality_mark", 5, "工作记录 #1 的「质量评分」与账本不符：表中为 5，账本为 4"),
    ("late", 0, "工作记录 #2 的「补录」与账本不符：表中为 否，账本为 是"),
    ("ended_at", "2026-10-14 00:30:00.000000",
     "工作记录 #1 的「结束时间」与账本不符：表中为 2026-10-14 08:30:00，账本为 2026-10-14 09:00:00"),
    ("staff_id", 9, "工作记录 #1 的「记录人」与账本不符：表中为 9，账本为 7"),
    ("started_at", "not a time", "工作记录 #1 的「开始时间」与账本不符：表中为 无法读取的值 'not a time'，"
                                 "账本为 2026-10-14 07:00:00"),
])
def test_it_names_the_field_of_a_record_changed_in_the_table(column, value, expected):
    live = live_tables()
    row = live["work_record"][1 if column == "late" else 0]
    row[column] = value
    assert only(compare(live)) == expected


def test_it_names_a_version_whose_content_was_changed():
    live = live_tables()
    live["record_version"][0]["content"] = json.dumps(content(stage="受理九十件"), ensure_ascii=False)
    assert only(compare(live)) == ("记录版本 #1（工作记录 #1 第 1 版）的「阶段成果」与账本不符："
                                   "表中为 “受理九十件”，账本为 “受理二十三件”")


def test_it_names_an_attachment_whose_hash_was_replaced_and_a_close_whose_figures_were():
    live = live_tables()
    live["record_attachment"][0]["sha256"] = "cd" * 32
    live["month_close"][0]["figures"] = json.dumps({"records": 3, "late_share": 50.0})
    result = compare(live)
    assert result.count == 2
    first, second = (d.message(BEIJING) for d in result.differences)
    assert first.startswith("附件 #4 的「SHA-256」与账本不符")
    assert second == "月度办结 #1（部门 #2 2026-10）的「统计数据·记录数」与账本不符：表中为 3，账本为 2"


def test_it_names_a_history_row_deleted_and_leaves_the_rows_after_it_alone():
    live = live_tables()
    del live["review_action"][1]  # the return
    result = compare(live)
    assert only(result) == ("流转记录（工作记录 #1 的第 2 条流转记录）已从表中删除，账本第 2 号条目记载了它")


def test_it_names_a_history_row_slipped_in():
    live = live_tables()
    live["review_action"].insert(2, _action(9, 1, "confirm", "returned", "confirmed", "", 5, "沈杰",
                                            sqlite_time(T0 + timedelta(hours=1, minutes=5))))
    assert only(compare(live)).startswith("流转记录 #9（工作记录 #1 的第 3 条流转记录）在账本中没有记载")


def test_it_names_rows_the_ledger_never_recorded_and_rows_it_recorded_that_are_gone():
    live = live_tables()
    extra = dict(live["work_record"][1], id=3, title="凭空插入的记录")
    live["work_record"].append(extra)
    del live["work_record"][1]
    del live["record_version"][2]
    del live["review_action"][4]
    result = compare(live)
    messages = [d.message(BEIJING) for d in result.differences]
    assert messages == ["工作记录 #2 已从表中删除，账本第 6 号条目记载了它",
                        "工作记录 #3 在账本中没有记载（绕过系统写入）",
                        "记录版本（工作记录 #2 第 1 版）已从表中删除，账本第 6 号条目记载了它",
                        "流转记录（工作记录 #2 的第 1 条流转记录）已从表中删除，账本第 6 号条目记载了它"]


def test_it_counts_every_difference_but_lists_only_the_first_few():
    live = live_tables()
    for row in live["work_record"]:
        row["title"] = "全部改过"
        row["quality_mark"] = 1
    result = Replay().feed_all(entries()).compare(live, limit=3)
    assert result.count == 4 and len(result.differences) == 3


# --- older and broken payloads ---------------------------------------------------------------------

def test_it_replays_entries_written_before_the_payloads_carried_every_field():
    """The payloads of the first version of the records ledger: no staff id, late flag, names, entry
    time, close id. What they state is checked; what they do not is not."""
    legacy = [
        (T0, "record.version", {"record": 1, "version": 1, "staff": "JZ0001", "by": 3, **content()}),
        (T0 + timedelta(hours=1), "record.confirm", {"record": 1, "version": 1, "by": 5, "from": "submitted",
                                                     "to": "confirmed", "comment": "", "mark": 4}),
        (T0 + timedelta(days=21), "month.close", {"department": "ZW1", "month": "2026-10", "by": 6,
                                                  "summary": "十月小结", "figures": {"records": 1}}),
    ]
    live = live_tables()
    live["work_record"] = [dict(live["work_record"][0], stage_result="受理二十三件", version=1,
                                reviewed_at=sqlite_time(T0 + timedelta(hours=1)), late=1, source="whatever")]
    live["record_version"] = live["record_version"][:1]
    live["review_action"] = [_action(1, 1, "submit", "", "submitted", "", 3, "任何人", sqlite_time(T0)),
                             _action(2, 1, "confirm", "submitted", "confirmed", "", 5, "沈杰",
                                     sqlite_time(T0 + timedelta(hours=1)))]
    live["record_attachment"] = []
    live["month_close"][0]["figures"] = json.dumps({"records": 1})
    lookups = {"staff_ids": {"JZ0001": 7}, "department_ids": {"ZW1": 2}}
    assert compare(live, legacy, **lookups).ok
    live["work_record"][0]["staff_id"] = 8
    assert only(compare(live, legacy, **lookups)).endswith("表中为 8，账本为 7")
    assert only(compare(live_tables() | {k: v for k, v in live.items() if k != "work_record"} | {
        "work_record": [dict(live["work_record"][0], staff_id=7)]}, legacy, staff_ids={},
        department_ids={"ZW1": 2})).endswith("账本为 JZ0001")


@pytest.mark.parametrize(("payload", "problem"), [
    (b"not json", "内容不是 JSON 对象"),
    (b"[1, 2]", "内容不是 JSON 对象"),
    (b'{"record": "1", "version": 1}', "「record」缺失或类型不对"),
    (b'{"record": 1, "version": 1, "to": 3, "from": "submitted", "comment": ""}', "「to」缺失或类型不对"),
    (b'{"record": true, "version": 1}', "「record」缺失或类型不对"),
])
def test_it_names_an_entry_whose_payload_cannot_be_replayed_instead_of_failing(payload, problem):
    base = entries()
    kind = "record.confirm" if b'"to"' in payload else "record.version"
    broken = next(iter(chain([(T0, kind, payload)], after=base[-1])))
    replay = Replay().feed_all([*base, broken])
    assert [(p.seq, p.problem) for p in replay.problems] == [(9, problem)]
    assert replay.problems[0].message == f"第 9 号账本条目（{kind}）的内容无法解读：{problem}"
    assert replay.compare(live_tables()).ok  # the sound entries still replay


def test_it_names_a_review_of_a_record_it_never_saw():
    replay = Replay().feed_all(entries([(T0, "record.confirm", {"record": 99, "version": 1, "by": 5, "from": "",
                                                                "to": "confirmed", "comment": "", "mark": None})]))
    assert replay.problems[0].problem == "记载的工作记录 #99 此前没有出现"


# --- reading raw values and files -------------------------------------------------------------------

def test_it_reads_both_drivers_values_alike():
    aware = datetime(2026, 10, 14, 2, 0, tzinfo=UTC)
    assert read_value("time", "2026-10-14 02:00:00.000000") == aware == read_value("time", aware)
    assert read_value("time", aware.astimezone(BEIJING)) == aware
    assert read_value("bool", 1) is True and read_value("bool", False) is False
    assert read_value("json", '{"a": 1}') == {"a": 1} == read_value("json", {"a": 1})
    for kind, raw in (("int", "7"), ("int", True), ("bool", 2), ("time", 3), ("text", b"x"), ("json", "{")):
        assert type(read_value(kind, raw)).__name__ == "Unreadable", (kind, raw)


def test_it_shows_values_as_people_read_them():
    assert show("status", "returned") == "已退回"
    assert show("action", "resubmit") == "修改后重新提交"
    assert show("time", datetime(2026, 10, 14, 2, 0, tzinfo=UTC), BEIJING) == "2026-10-14 10:00:00"
    assert show("text", "字" * 50) == "“" + "字" * 40 + "…”"
    assert show("int", None) == "（空）"


def test_it_checks_a_files_bytes_against_its_recorded_hash():
    import hashlib

    data = b"%PDF-1.4 evidence"
    digest = hashlib.sha256(data).hexdigest()
    assert check_file(4, data, digest, len(data)) is None
    swapped = check_file(4, b"%PDF-1.4 forged!!", digest, len(data))
    assert swapped is not None and swapped.message().startswith("附件 #4 的「文件内容」与账本不符")
    assert check_file(4, "text", digest, 4) is not None
