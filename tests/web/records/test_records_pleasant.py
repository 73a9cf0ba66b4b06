"""Records that are pleasant to keep: evidence in the entry form, downloads under their own names, the
quality mark beside the record, a person picker for those who record for others, list filters, and a
quarter picker on the score page."""

import re
from datetime import timedelta
from urllib.parse import unquote

from sqlalchemy import func, select
from tests.integration.records.records_support import enter

from kaohe.clock import now, zone
from kaohe.org.models import Staff
from kaohe.records import service
from kaohe.records.models import Attachment, WorkRecord
from kaohe.records.schemas import ReviewIn

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _form(**changes: str) -> dict[str, str]:
    ended = now() - timedelta(hours=1)
    return {"title": "窗口受理企业开办", "stage_result": "受理企业开办申请十二件，全部当日办结。",
            "started_at": (ended - timedelta(hours=2)).astimezone(zone()).strftime("%Y-%m-%dT%H:%M"),
            "ended_at": ended.astimezone(zone()).strftime("%Y-%m-%dT%H:%M"), **changes}


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model)) or 0


def _staff(db, principal) -> Staff:  # type: ignore[no-untyped-def]
    return db.get(Staff, principal.staff_id)


# --- evidence in the entry form and downloads -----------------------------------------------------


def test_the_entry_form_takes_evidence_and_saves_it_with_the_record(client_as, db, who):
    staff = client_as("staff")
    assert 'name="evidence"' in staff.get("/records").text and 'enctype="multipart/form-data"' in \
        staff.get("/records").text
    response = staff.form("/records", _form(), files=[("evidence", ("会议纪要.pdf", PDF, "application/pdf")),
                                                      ("evidence", ("现场照片.png", PNG, "image/png"))])
    assert response.status_code == 303
    listing = staff.get(response.headers["location"]).text
    assert "记录已保存" in listing and "已同时上传附件 2 个。" in listing
    record = db.scalar(select(WorkRecord).where(WorkRecord.staff_id == who("staff").staff_id)
                       .order_by(WorkRecord.id.desc()))
    names = db.scalars(select(Attachment.filename).where(Attachment.record_id == record.id)
                       .order_by(Attachment.id)).all()
    assert names == ["会议纪要.pdf", "现场照片.png"]
    assert "会议纪要.pdf" in staff.get(f"/records/{record.id}").text


def test_a_bad_file_in_the_entry_form_saves_neither_record_nor_files(client_as, db):
    records, files = _count(db, WorkRecord), _count(db, Attachment)
    response = client_as("staff").form("/records", _form(title="附件有误的记录"), files=[
        ("evidence", ("会议纪要.pdf", PDF, "application/pdf")),
        ("evidence", ("伪装.pdf", b"MZ\x90\x00not a pdf", "application/pdf"))])
    assert response.status_code == 422
    assert "附件「伪装.pdf」的内容与扩展名不符。" in response.text
    assert 'value="附件有误的记录"' in response.text  # the typed fields come back
    assert (_count(db, WorkRecord), _count(db, Attachment)) == (records, files)


def test_the_entry_form_limits_how_many_files_one_entry_carries(client_as, db):
    records = _count(db, WorkRecord)
    many = [("evidence", (f"第{i}页.pdf", PDF, "application/pdf")) for i in range(6)]
    response = client_as("staff").form("/records", _form(), files=many)
    assert response.status_code == 422 and "最多附 5 个附件" in response.text
    assert _count(db, WorkRecord) == records


def test_a_download_keeps_its_original_name_and_extension(client_as, db, who):
    record = enter(db, who("staff"), now=now())
    staff = client_as("staff")
    staff.form(f"/records/{record.id}/evidence", files={"file": ("9月 会议纪要.pdf", PDF, "application/pdf")})
    attachment = db.scalar(select(Attachment).where(Attachment.record_id == record.id))
    disposition = client_as("leader").get(f"/records/evidence/{attachment.id}").headers["content-disposition"]
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert encoded and unquote(encoded.group(1)) == "9月 会议纪要.pdf"
    assert f'filename="evidence-{attachment.id}.pdf"' in disposition  # for clients without UTF-8 names


def test_the_roster_download_is_named_in_chinese_with_its_extension(client_as):
    for fmt in ("xlsx", "csv"):
        disposition = client_as("hr").get("/roster/export", params={"fmt": fmt}).headers["content-disposition"]
        assert unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)) == f"人员名册.{fmt}"
        assert f'filename="roster.{fmt}"' in disposition


# --- the quality mark beside the record -----------------------------------------------------------


def test_the_leaders_quality_mark_is_shown_in_the_list_and_on_the_record(client_as, db, who):
    staff, leader = who("staff"), who("leader")
    record = enter(db, staff, title="受理企业开办质量评分", now=now())
    service.review(db, actor=leader, review_in=ReviewIn(record_ids=[record.id], action="confirm",
                                                         quality_mark=4), now=now())
    db.commit()
    client = client_as("staff")
    listing = client.get("/records").text
    item = listing[listing.index("受理企业开办质量评分"):]
    assert "质量 4/5" in item[:item.index("</li>")]
    detail = client.get(f"/records/{record.id}").text
    assert re.search(r"<dt>质量评分</dt><dd><strong>4</strong> / 5", detail)


# --- recording for someone else -------------------------------------------------------------------


def test_the_liaison_picks_a_colleague_and_the_record_is_theirs(client_as, db, who):
    liaison = who("liaison")
    me = _staff(db, liaison)
    colleague = db.scalar(select(Staff).where(Staff.department_id == me.department_id, Staff.id != me.id)
                          .order_by(Staff.employee_no))
    page = client_as("liaison").get("/records").text
    picker = re.search(r'<select name="staff_no">.*?</select>', page, re.S)
    assert picker and f'value="{colleague.employee_no}"' in picker.group(0)
    assert f'value="{me.employee_no}"' not in picker.group(0)  # oneself is the default, 本人
    outsider = db.scalar(select(Staff).where(Staff.department_id != me.department_id))
    assert f'value="{outsider.employee_no}"' not in picker.group(0)
    response = client_as("liaison").form("/records", _form(title="代同事记录的窗口业务",
                                                           staff_no=colleague.employee_no))
    assert response.status_code == 303
    saved = db.scalar(select(WorkRecord).where(WorkRecord.title == "代同事记录的窗口业务"))
    assert saved.staff_id == colleague.id and saved.recorded_by == liaison.user_id


def test_staff_get_no_picker_and_hr_types_a_number(client_as):
    assert 'name="staff_no"' not in client_as("staff").get("/records").text
    hr_page = client_as("hr").get("/records").text
    # The whole unit is more than a picker can list: a 工号 field instead.
    assert re.search(r'<input name="staff_no"[^>]*placeholder="对方工号', hr_page) or \
        '<select name="staff_no">' in hr_page


# --- filters and links ----------------------------------------------------------------------------


def test_the_list_filters_by_department_and_person(client_as, db, who):
    hr = client_as("hr")
    staff, colleague = _staff(db, who("staff")), _staff(db, who("staff2"))
    enter(db, who("staff"), title="按部门筛选的记录甲", now=now())
    enter(db, who("staff2"), title="按部门筛选的记录乙", now=now())
    page = hr.get("/records").text
    assert '<select name="department_id"' in page and 'name="person"' in page
    by_person = hr.get("/records", params={"person": staff.name}).text
    assert "按部门筛选的记录甲" in by_person and "按部门筛选的记录乙" not in by_person
    by_number = hr.get("/records", params={"person": colleague.employee_no}).text
    assert "按部门筛选的记录乙" in by_number and "按部门筛选的记录甲" not in by_number
    by_department = hr.get("/records", params={"department_id": staff.department_id}).text
    assert "按部门筛选的记录甲" in by_department
    assert ("按部门筛选的记录乙" in by_department) == (colleague.department_id == staff.department_id)
    # The chosen filters survive paging and stay selected.
    assert f'<option value="{staff.department_id}" selected>' in by_department


def test_a_percent_or_underscore_in_the_person_filter_is_literal(client_as, db, who):
    enter(db, who("staff"), title="通配符不应匹配的记录", now=now())
    assert "通配符不应匹配的记录" not in client_as("hr").get("/records", params={"person": "%"}).text


def test_staff_see_no_department_filter_and_no_import_link(client_as):
    page = client_as("staff").get("/records").text
    assert 'name="department_id"' not in page and 'href="/records/import"' not in page
    assert 'href="/records/import"' in client_as("hr").get("/records").text


# --- the score page's quarter picker and paging ---------------------------------------------------


def test_the_score_page_offers_quarters_to_pick(client_as):
    page = client_as("hr").get("/records/scores", params={"quarter": "2026-Q3"}).text
    picker = re.search(r'<select name="quarter".*?</select>', page, re.S)
    assert picker and '<option value="2026-Q3" selected>2026年第三季度</option>' in picker.group(0)
    assert "2026年第三季度日常记录得分" in page


def test_a_quarter_typed_in_chinese_is_understood(client_as):
    response = client_as("hr").get("/records/scores", params={"quarter": "2026年第三季度"})
    assert response.status_code == 200 and "2026年第三季度日常记录得分" in response.text


def test_a_bad_quarter_is_explained_on_the_page_not_an_error_page(client_as):
    response = client_as("hr").get("/records/scores", params={"quarter": "2026-Q9"})
    assert response.status_code == 200
    assert "季度「2026-Q9」不正确，应写作 2026-Q4 或 2026年第四季度。" in response.text and "日常记录得分" in response.text


def test_the_score_page_pages_a_long_list(client_as, db, monkeypatch):
    from kaohe.records import pages

    monkeypatch.setattr(pages, "SCORES_PER_PAGE", 3)
    hr = client_as("hr")
    first = hr.get("/records/scores", params={"quarter": "2026-Q4"}).text
    assert first.count('href="/records?staff_id=') == 3 and "下一页" in first and "第 1 /" in first
    second = hr.get("/records/scores", params={"quarter": "2026-Q4", "page": 2}).text
    assert second.count('href="/records?staff_id=') == 3 and "<td>4</td>" in second  # ranks go on
    names = set(re.findall(r'staff_id=\d+">([^<]+)</a>', first))
    assert not names & set(re.findall(r'staff_id=\d+">([^<]+)</a>', second))


# --- the month page's pickers ---------------------------------------------------------------------


def test_a_bad_month_is_explained_on_the_month_page(client_as):
    response = client_as("hr").get("/records/month", params={"month": "2026-13"})
    assert response.status_code == 200 and "2026-13" in response.text and "月度汇总" in response.text


def test_the_month_page_offers_only_departments_the_viewer_sees(client_as, db, who):
    page = client_as("staff").get("/records/month").text
    picker = re.search(r'<select name="department_id".*?</select>', page, re.S).group(0)
    own = _staff(db, who("staff")).department
    assert re.findall(r"<option[^>]*>([^<]+)</option>", picker) == [own.name]
    assert len(re.findall(r"<option", re.search(r'<select name="department_id".*?</select>',
                                                 client_as("hr").get("/records/month").text, re.S).group(0))) > 5
