"""The month loop, reminders, evidence, the task book, the import, quality signals and the ledger page,
as the people responsible for each use them."""

import hashlib
import re
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from tests.integration.records.records_support import department, enter, record_in, review

from kaohe.clock import now, zone
from kaohe.ledger.models import LedgerEntry
from kaohe.records import service
from kaohe.records.models import Attachment, MonthClose, TaskItem, WorkRecord

SEPTEMBER = datetime(2026, 9, 15, 16, 0, tzinfo=zone())
SUMMARY = "九月份政务服务一科办件量稳步上升，群众满意度保持高位，下月重点推进一窗通办。"


def _row(html: str, name: str) -> str:
    """The table row of one person on the month page."""
    found = re.search(r"<tr>(?:(?!</tr>).)*?" + re.escape(name) + r".*?</tr>", html, re.S)
    assert found is not None, name
    return found.group(0)


def _section(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}")
    end = html.find("<h2>", start + 4)
    return html[start:end if end != -1 else len(html)]


# --- the month loop -------------------------------------------------------------------------------


def test_it_shows_each_persons_stage_and_lets_the_head_close_the_month(client_as, db, who):
    zw1 = department(db, "ZW1")
    leader = who("leader")
    returned = enter(db, who("staff"), now=SEPTEMBER, title="九月窗口受理")
    waiting = enter(db, who("JZ0025"), now=SEPTEMBER, title="九月帮办代办")
    confirmed = enter(db, who("JZ0026"), now=SEPTEMBER, title="九月咨询答复")
    review(db, leader, [returned], "return", "请补充办件数量", now=SEPTEMBER)
    review(db, leader, [confirmed], now=SEPTEMBER)
    url = f"/records/month?department_id={zw1.id}&month=2026-09"
    head = client_as("dept_head")
    page = head.get(url).text
    assert "待本人修改" in _row(page, "郭婷")
    assert "待分管领导审核" in _row(page, "张承明")
    assert "待部门办结" in _row(page, "冯静静")
    assert "办结 2026-09" in page

    form = {"department_id": str(zw1.id), "month": "2026-09", "summary": SUMMARY}
    pending = head.form("/records/month/close", form)
    assert pending.status_code == 422 and "还有 1 条记录等待分管领导审核" in pending.text
    assert client_as("staff").form("/records/month/close", form).status_code == 403
    assert db.scalar(select(func.count()).select_from(MonthClose)) == 0

    service.update_record(db, actor=who("staff"), record_id=returned.id, now=SEPTEMBER + timedelta(days=1),
                          record_in=record_in(title="九月窗口受理", ended=returned.ended_at,
                                              stage="受理企业开办申请三十件，全部当日办结。"))
    review(db, leader, [returned, waiting], now=SEPTEMBER + timedelta(days=1))
    closed = head.form("/records/month/close", form)
    assert closed.status_code == 303
    after = head.get(closed.headers["location"]).text
    assert "已办结" in after and SUMMARY in after
    twice = head.form("/records/month/close", form)
    assert twice.status_code == 409 and "2026-09 已经办结。" in twice.text
    assert db.scalar(select(func.count()).select_from(MonthClose)) == 1


def test_it_reminds_the_leader_and_the_author_of_what_waits_on_them(client_as, db, who):
    returned = enter(db, who("staff"), now=now(), title="需要补充的记录")
    enter(db, who("JZ0025"), now=now(), title="等待审核的记录")
    review(db, who("leader"), [returned], "return", "请补充办件数量", now=now())
    leader = client_as("leader").get("/records/reminders").text
    assert "<strong>沈杰</strong>：有记录等待审核确认" in leader
    mine = client_as("staff").get("/records/reminders").text
    assert "<strong>郭婷</strong>：有被退回的记录需要修改后重新提交" in mine
    assert "有记录等待审核确认" not in mine


# --- evidence -------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_it_keeps_a_pdf_with_its_digest_for_the_leader_to_download(client_as, db, who):
    record = enter(db, who("staff"), now=now())
    staff = client_as("staff")
    uploaded = staff.form(f"/records/{record.id}/evidence", files={"file": ("会议纪要.pdf", PDF, "application/pdf")})
    assert uploaded.status_code == 303
    attachment = db.scalar(select(Attachment).where(Attachment.record_id == record.id))
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest() and attachment.size == len(PDF)
    assert "会议纪要.pdf" in staff.get(f"/records/{record.id}").text
    download = client_as("leader").get(f"/records/evidence/{attachment.id}")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-sha256"] == attachment.sha256
    assert client_as("JZ0025").get(f"/records/evidence/{attachment.id}").status_code == 404
    # The last entry but the upload's audit row's own (every audit row has a ledger entry).
    assert db.scalar(select(LedgerEntry.kind).where(LedgerEntry.kind != "audit")
                     .order_by(LedgerEntry.seq.desc()).limit(1)) == "record.evidence"


def test_it_refuses_evidence_of_the_wrong_type_content_or_size(client_as, db, who):
    record = enter(db, who("staff"), now=now())
    staff = client_as("staff")
    url = f"/records/{record.id}/evidence"
    exe = staff.form(url, files={"file": ("工具.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert exe.status_code == 422 and "附件类型不支持，只能上传" in exe.text
    fake = staff.form(url, files={"file": ("报告.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")})
    assert fake.status_code == 422 and "附件「报告.pdf」的内容与扩展名不符。" in fake.text
    big = staff.form(url, files={"file": ("大文件.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")})
    assert big.status_code == 422 and "文件超过 10 MB 的上限。" in big.text
    assert db.scalar(select(func.count()).select_from(Attachment)) == 0


# --- the task book --------------------------------------------------------------------------------


def _progress(db, code: str) -> int:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.scalar(select(TaskItem.progress).where(TaskItem.code == code))


def test_it_keeps_the_task_book_and_its_progress_from_a_file_or_the_api(client_as, db):
    year = str(now().astimezone(zone()).year)
    hr = client_as("hr")
    added = hr.form("/tasks", {"staff_no": "JZ0028", "year": year, "code": "ZW1-T01", "title": "推进一窗通办改革",
                               "target": "年底前高频事项一窗受理率达到九成", "weight": "30"})
    assert added.status_code == 303
    staff = client_as("staff")
    book = staff.get("/tasks").text
    assert "推进一窗通办改革" in book and "0%" in book
    assert staff.form("/tasks", {"staff_no": "JZ0028", "year": year, "code": "ZW1-T02",
                                 "title": "自己加的任务"}).status_code == 403

    good = f"年度,任务编号,进度,说明\n{year},ZW1-T01,40,完成流程梳理\n".encode()
    imported = hr.form("/tasks/progress", files={"file": ("进度.csv", good, "text/csv")})
    assert imported.status_code == 200 and "已更新 1 项任务的进度。" in imported.text
    book = staff.get("/tasks").text
    assert "40%" in book and "完成流程梳理" in book

    unknown = f"年度,任务编号,进度,说明\n{year},ZW1-T01,90,\n{year},NOPE-9,50,\n".encode()
    refused = hr.form("/tasks/progress", files={"file": ("进度.csv", unknown, "text/csv")})
    assert refused.status_code == 422 and "任务编号 NOPE-9 不存在" in refused.text
    assert _progress(db, "ZW1-T01") == 40

    headers = {"X-CSRF-Token": hr.csrf}
    api = hr.post("/api/v1/tasks/progress", json=[{"year": int(year), "code": "ZW1-T01", "progress": 70}],
                  headers=headers)
    assert api.status_code == 200 and api.json() == {"updated": 1}
    api_refused = hr.post("/api/v1/tasks/progress", headers=headers, json=[
        {"year": int(year), "code": "ZW1-T01", "progress": 95}, {"year": int(year), "code": "NOPE-9", "progress": 5}])
    assert api_refused.status_code == 422
    assert _progress(db, "ZW1-T01") == 70


# --- bulk import ----------------------------------------------------------------------------------

HEADER = "工号,工作事项,开始时间,结束时间,阶段成果\n"
GOOD = ("JZ0028,窗口受理企业开办,2026-03-02 09:00,2026-03-02 11:30,受理企业开办申请十二件，全部当日办结\n"
        "JZ0025,帮办代办服务,2026-03-03 09:00,2026-03-03 17:00,为老年群众代办社保业务八件\n")


def test_it_imports_past_records_all_or_nothing_on_the_import_page(client_as, db):
    hr = client_as("hr")
    assert hr.get("/records/import").status_code == 200
    assert client_as("staff").get("/records/import").status_code == 403
    before = db.scalar(select(func.count()).select_from(WorkRecord))
    bad = (HEADER + GOOD + "JZ0026,咨询答复,2026-03-04 09:00,2026-03-04 10:00,短\n").encode()
    refused = hr.form("/records/import", files={"file": ("历史记录.csv", bad, "text/csv")})
    assert refused.status_code == 422
    assert "没有导入任何记录" in refused.text and "第 4 行「阶段成果」" in refused.text
    assert db.scalar(select(func.count()).select_from(WorkRecord)) == before
    done = hr.form("/records/import", files={"file": ("历史记录.csv", (HEADER + GOOD).encode(), "text/csv")})
    assert done.status_code == 200 and "已导入 2 条历史记录。" in done.text
    assert db.scalar(select(func.count()).select_from(WorkRecord)) == before + 2
    listing = client_as("staff").get("/records").text
    assert "窗口受理企业开办" in listing and "已确认" in listing


# --- signals and the ledger -----------------------------------------------------------------------

COPIED = ("今日在政务服务大厅综合窗口受理企业开办申请十五件，其中设立登记九件、变更登记六件，"
          "全部当日办结，并对三家企业开展了帮办代办指导服务。")


def test_it_points_the_inspector_to_copied_and_too_short_records(client_as, db, who):
    original = enter(db, who("staff"), now=now() - timedelta(hours=3), title="综合窗口受理", stage=COPIED)
    copy = enter(db, who("JZ0025"), now=now(), title="综合窗口受理", stage=COPIED.replace("十五件", "十五 件！"))
    short = enter(db, who("JZ0026"), now=now(), title="写材料", stage="完成初稿撰写")
    page = client_as("inspector").get("/records/signals")
    assert page.status_code == 200
    copied = _section(page.text, "疑似复制粘贴")
    assert f"#{original.id}</a> 与 <a href=\"/records/{copy.id}\">#{copy.id}" in copied
    assert "郭婷" in copied and "张承明" in copied
    too_short = _section(page.text, "内容过短")
    assert f"#{short.id}</a>" in too_short
    assert f"#{original.id}</a>" not in too_short
    assert client_as("staff").get("/records/signals").status_code == 403


def test_it_shows_the_inspector_a_ledger_that_fails_after_tampering(client_as, db, who):
    record = enter(db, who("staff"), now=now())
    review(db, who("leader"), [record], now=now())
    inspector = client_as("inspector")
    assert "账本完整" in inspector.get("/ledger").text
    assert client_as("staff").get("/ledger").status_code == 403
    target = db.scalar(select(func.min(LedgerEntry.seq)))
    db.execute(text("UPDATE ledger_entry SET payload = :p WHERE seq = :s"), {"p": b'{"record":0}', "s": target})
    db.commit()
    page = inspector.get("/ledger").text
    assert "账本校验未通过" in page and f"第 {target} 号账本条目内容被改动" in page
    api = inspector.get("/api/v1/ledger/verify").json()
    assert (api["ok"], api["bad_seq"], api["reason"]) == (False, target, "changed")


def test_each_person_has_an_evidence_quota_across_their_records(client_as, db, who, monkeypatch):
    from kaohe.config import get_settings

    monkeypatch.setenv("KAOHE_EVIDENCE_QUOTA_MB", "1")
    get_settings.cache_clear()
    try:
        first = enter(db, who("staff"), now=now(), title="窗口受理一")
        second = enter(db, who("staff"), now=now(), title="窗口受理二")
        other = enter(db, who("JZ0025"), now=now(), title="帮办代办")
        db.commit()
        half = PDF + b"0" * (600 * 1024)
        staff = client_as("staff")
        assert staff.form(f"/records/{first.id}/evidence", files={"file": ("一.pdf", half, "application/pdf")}
                          ).status_code in (200, 303)
        refused = staff.form(f"/records/{second.id}/evidence", files={"file": ("二.pdf", half, "application/pdf")})
        assert refused.status_code == 422
        assert "附件存储已达每人 1 MB 的上限：已用 0.6 MB，本文件 0.6 MB。" in refused.text
        # Another person's quota is their own.
        assert client_as("JZ0025").form(f"/records/{other.id}/evidence",
                                        files={"file": ("三.pdf", half, "application/pdf")}).status_code in (200, 303)
        db.expire_all()
        names = set(db.scalars(select(Attachment.filename)))
        assert names == {"一.pdf", "三.pdf"}
    finally:
        get_settings.cache_clear()


def test_a_department_month_is_shown_only_to_those_who_see_that_department(client_as, db, who):
    from kaohe.records.month import close_month

    zw1 = department(db, "ZW1")
    close_month(db, actor=who("dept_head"), department_id=zw1.id, month="2026-09", summary=SUMMARY,
                now=SEPTEMBER + timedelta(days=20))
    db.commit()
    url = f"/records/month?department_id={zw1.id}&month=2026-09"
    assert SUMMARY in client_as("dept_head").get(url).text
    assert SUMMARY in client_as("hr").get(url).text
    assert SUMMARY in client_as("leader").get(url).text  # the leader of some of its people
    own = client_as("staff").get(url)  # a member sees their own row, not the head's summary
    assert own.status_code == 200 and "郭婷" in own.text and SUMMARY not in own.text and "冯静静" not in own.text
    outsider = who("staff2")
    assert outsider.staff_department_id != zw1.id
    stranger = client_as("staff2").get(url)
    missing = client_as("staff2").get("/records/month?department_id=999999&month=2026-09")
    assert stranger.status_code == missing.status_code == 404
    assert SUMMARY not in stranger.text and "郭婷" not in stranger.text
    huge = client_as("hr").get("/records/month?department_id=99999999999999999999&month=2026-09")
    assert huge.status_code == 200  # an id no column can hold is ignored, as a blank one is


def test_a_quality_mark_off_the_scale_is_refused_by_name_not_a_server_error(client_as, db, who):
    record = enter(db, who("staff"), now=now(), title="窗口受理")
    db.commit()
    leader = client_as("leader")
    for mark in ("150", "-3", "abc", "9" * 30):
        answer = leader.form("/records/review", {"record_ids": str(record.id), "action": "confirm",
                                                 "quality_mark": mark})
        assert answer.status_code == 422, mark
        assert "字段「质量评价」" in answer.text, mark
    db.expire_all()
    assert db.get(WorkRecord, record.id).status.value == "submitted"
