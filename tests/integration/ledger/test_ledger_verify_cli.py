"""`kaohe ledger verify` as an inspector runs it (R5): the installed command, in a process of its own,
against a real database on both backends that holds a month of records made through the use cases.
The tables and the ledger are then changed behind the application's back with plain SQL, the way
someone with database access would; every change must make the command exit 1 naming what changed.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session
from tests.integration.ledger.ledger_support import SECRET, Run, run_kaohe
from tests.integration.records.records_support import department, enter, record_in, review

from kaohe.clock import zone
from kaohe.config import Settings
from kaohe.ledger.chain import Entry, Signer, canonical, next_entry
from kaohe.ledger.models import LedgerEntry, LedgerHead
from kaohe.records import month as month_service
from kaohe.records import service
from kaohe.records.models import Attachment, MonthClose, RecordVersion, WorkRecord
from kaohe.records.schemas import ReviewIn

SERVER_KEY = Settings(secret_key=SECRET).ledger_key  # what someone holding the server would have
SEPTEMBER = datetime(2026, 9, 15, 16, 0, tzinfo=zone())
OCTOBER = datetime(2026, 10, 8, 9, 0, tzinfo=zone())
SUMMARY = "九月份政务服务一科办件量稳步上升，群众满意度保持高位，下月重点推进一窗通办。"
PDF = b"%PDF-1.4\n% evidence of the September work\n"


@pytest.fixture
def kaohe(demo_url: str) -> Callable[..., Run]:
    """`kaohe …` as a separate process against the test's database, with the app's secret key."""
    return lambda *args, **settings: run_kaohe(demo_url, *args, **settings)


@dataclass(frozen=True)
class Story:
    """September in 政务服务一科, entered, reviewed, corrected and closed through the use cases."""

    confirmed: WorkRecord  # confirmed with quality mark 4
    edited: WorkRecord  # returned, edited into version 2, evidence attached, confirmed
    late: WorkRecord  # entered 32 hours after the work ended, confirmed
    returned: WorkRecord  # returned, and left so
    attachment: Attachment
    close: MonthClose
    anchor: str  # the line the month close printed


@pytest.fixture
def story(db: Session, who) -> Story:  # type: ignore[no-untyped-def]
    staff, colleague, leader, head = who("staff"), who("JZ0025"), who("leader"), who("dept_head")
    hour, day = timedelta(hours=1), timedelta(days=1)
    confirmed = enter(db, staff, now=SEPTEMBER, title="窗口受理企业开办")
    edited = enter(db, staff, now=SEPTEMBER + hour, title="帮办代办服务")
    late = enter(db, colleague, now=SEPTEMBER + 2 * hour, ended=SEPTEMBER - 30 * hour, title="补录的咨询答复")
    returned = enter(db, colleague, now=SEPTEMBER + 3 * hour, title="材料初审")
    assert late.late and not confirmed.late
    service.review(db, actor=leader, now=SEPTEMBER + day,
                   review_in=ReviewIn(record_ids=[confirmed.id], action="confirm", quality_mark=4))
    db.commit()
    review(db, leader, [edited, returned], "return", "请补充办件数量", now=SEPTEMBER + day)
    service.update_record(db, actor=staff, record_id=edited.id, now=SEPTEMBER + 2 * day, record_in=record_in(
        title="帮办代办服务", ended=edited.ended_at, stage="为老年群众代办社保业务十二件，均当场办结。"))
    attachment = service.add_evidence(db, actor=staff, record_id=edited.id, filename="办件清单.pdf", data=PDF,
                                      now=SEPTEMBER + 2 * day)
    db.commit()
    review(db, leader, [edited, late], now=SEPTEMBER + 3 * day)
    closed = month_service.close_month(db, actor=head, department_id=department(db, "ZW1").id, month="2026-09",
                                       summary=SUMMARY, now=OCTOBER)
    db.commit()
    return Story(confirmed, edited, late, returned, attachment, closed.close, closed.anchor)


def sql(db: Session, statement: str, **params: Any) -> None:
    db.execute(text(statement), params)
    db.commit()


def last_seq(db: Session) -> int:
    return db.scalar(text("SELECT max(seq) FROM ledger_entry"))


def failed(run: Run, expected: str) -> None:
    assert run.code == 1, run.text
    assert expected in run.err, run.err


# --- an untouched database -----------------------------------------------------------------------------

def close_seq(db: Session) -> int:
    """The month close's entry (its audit row's entry follows it)."""
    return db.scalar(text("SELECT max(seq) FROM ledger_entry WHERE kind = 'month.close'"))


def test_it_passes_an_untouched_database_and_the_anchor_the_month_close_printed(kaohe, db, story):
    entries = last_seq(db)
    assert story.anchor.startswith(f"考核账本锚点：第 {close_seq(db)} 号条目，哈希 ")
    run = kaohe("ledger", "verify")
    assert run.code == 0, run.text
    assert f"账本校验通过：共 {entries} 条" in run.out and "行业务数据与账本一致" in run.out
    run = kaohe("ledger", "verify", "--anchor", story.anchor, "--files")
    assert run.code == 0, run.text
    assert f"锚点核对通过：账本第 {close_seq(db)} 号条目的哈希与锚点一致。" in run.out
    anchor = kaohe("ledger", "anchor")
    assert anchor.code == 0 and f"第 {entries} 号条目" in anchor.out


def test_it_refuses_an_anchor_the_ledger_no_longer_holds(kaohe, db, story):
    seq = close_seq(db)
    wrong = story.anchor.replace(story.anchor.split("哈希 ")[1][:64], "0" * 64)
    failed(kaohe("ledger", "verify", "--anchor", wrong), f"锚点核对失败：账本第 {seq} 号条目的哈希为")
    failed(kaohe("ledger", "verify", "--anchor", f"第 {seq + 5} 号条目，哈希 {'a' * 64}"),
           f"锚点核对失败：账本中没有第 {seq + 5} 号条目")
    failed(kaohe("ledger", "verify", "--anchor", "随便一行字"), "无法识别锚点")


# --- the covered tables edited with SQL ------------------------------------------------------------------

def test_it_names_a_record_title_changed_in_the_table(kaohe, db, story):
    sql(db, "UPDATE work_record SET title = :v WHERE id = :id", v="篡改后的标题", id=story.confirmed.id)
    failed(kaohe("ledger", "verify"), f"工作记录 #{story.confirmed.id} 的「工作事项」与账本不符：表中为 “篡改后的标题”，"
                                      "账本为 “窗口受理企业开办”")


def test_it_names_a_returned_record_set_to_confirmed(kaohe, db, story):
    sql(db, "UPDATE work_record SET status = 'confirmed' WHERE id = :id", id=story.returned.id)
    failed(kaohe("ledger", "verify"), f"工作记录 #{story.returned.id} 的「状态」与账本不符：表中为 已确认，账本为 已退回")


def test_it_names_a_quality_mark_raised_and_a_late_flag_cleared(kaohe, db, story):
    sql(db, "UPDATE work_record SET quality_mark = 5 WHERE id = :id", id=story.confirmed.id)
    sql(db, "UPDATE work_record SET late = :v WHERE id = :id", v=False, id=story.late.id)
    run = kaohe("ledger", "verify")
    failed(run, f"工作记录 #{story.confirmed.id} 的「质量评分」与账本不符：表中为 5，账本为 4")
    assert f"工作记录 #{story.late.id} 的「补录」与账本不符：表中为 否，账本为 是" in run.err
    assert "共 2 处问题" in run.err


def test_it_names_a_record_text_changed_in_a_version_row(kaohe, db, story):
    version = db.scalar(select(RecordVersion).where(RecordVersion.record_id == story.edited.id,
                                                    RecordVersion.version == 2))
    assert version is not None
    db.execute(update(RecordVersion.__table__).where(RecordVersion.__table__.c.id == version.id)
               .values(content={**version.content, "stage_result": "为老年群众代办社保业务九十件。"}))
    db.commit()
    failed(kaohe("ledger", "verify"), f"记录版本 #{version.id}（工作记录 #{story.edited.id} 第 2 版）的「阶段成果」与账本不符")


def test_it_names_a_review_action_deleted(kaohe, db, story):
    sql(db, "DELETE FROM review_action WHERE record_id = :id AND action = 'return'", id=story.returned.id)
    failed(kaohe("ledger", "verify"),
           f"流转记录（工作记录 #{story.returned.id} 的第 2 条流转记录）已从表中删除，账本第")


def test_it_names_a_record_inserted_without_a_ledger_entry(kaohe, db, story):
    columns = ("staff_id, recorded_by, task_item_id, started_at, ended_at, stage_result, difficulties, commendation, "
               "entered_at, updated_at, late, version, source, review_comment, reviewed_by, reviewed_at")
    sql(db, f"INSERT INTO work_record (title, status, quality_mark, {columns}) "
            f"SELECT '凭空补造的记录', 'confirmed', 5, {columns} FROM work_record WHERE id = :id", id=story.confirmed.id)
    forged = db.scalar(text("SELECT max(id) FROM work_record"))
    failed(kaohe("ledger", "verify"), f"工作记录 #{forged} 在账本中没有记载（绕过系统写入）")


def test_it_names_a_record_deleted_with_its_history(kaohe, db, story):
    for table in ("review_action", "record_version"):
        sql(db, f"DELETE FROM {table} WHERE record_id = :id", id=story.returned.id)
    sql(db, "DELETE FROM work_record WHERE id = :id", id=story.returned.id)
    failed(kaohe("ledger", "verify"), f"工作记录 #{story.returned.id} 已从表中删除，账本第")


def test_it_names_evidence_and_a_month_close_changed(kaohe, db, story):
    sql(db, "UPDATE record_attachment SET sha256 = :v WHERE id = :id", v="0" * 64, id=story.attachment.id)
    sql(db, "UPDATE month_close SET summary = :v WHERE id = :id", v="九月份一切正常。", id=story.close.id)
    run = kaohe("ledger", "verify")
    failed(run, f"附件 #{story.attachment.id} 的「SHA-256」与账本不符")
    assert f"月度办结 #{story.close.id}（部门 #{story.close.department_id} 2026-09）的「小结」与账本不符" in run.err


def test_it_names_a_file_swapped_under_its_recorded_hash_when_asked_to_read_the_files(kaohe, db, story):
    db.execute(update(Attachment.__table__).where(Attachment.__table__.c.id == story.attachment.id)
               .values(data=b"%PDF-1.4\n% a different file\n"))
    db.commit()
    assert kaohe("ledger", "verify").code == 0  # the columns still agree with the ledger
    failed(kaohe("ledger", "verify", "--files"), f"附件 #{story.attachment.id} 的「文件内容」与账本不符")


# --- the ledger itself edited with SQL ------------------------------------------------------------------

def _entries(db: Session, start: int) -> list[Entry]:
    rows = db.scalars(select(LedgerEntry).where(LedgerEntry.seq >= start).order_by(LedgerEntry.seq))
    return [Entry(r.seq, r.at, r.kind, bytes(r.payload), r.prev_hash, r.hash, r.signature) for r in rows]


def rewrite(db: Session, seq: int, edit: Callable[[dict[str, Any]], None], *, signer: Signer | None) -> None:
    """Change entry `seq`'s payload and re-hash it and every entry after it, then move the head: a
    consistent chain again. Without `signer` the old signatures stay (the key is not in the database)."""
    found = _entries(db, max(1, seq - 1))
    prev, rest = (None, found) if seq == 1 else (found[0], found[1:])
    for index, old in enumerate(rest):
        payload = json.loads(old.payload)
        if index == 0:
            edit(payload)
        new = next_entry(prev, seq=old.seq, at=old.at, kind=old.kind, payload=canonical(payload), signer=signer)
        signature = new.signature if signer is not None else old.signature
        db.execute(text("UPDATE ledger_entry SET payload = :p, prev_hash = :prev, hash = :h, signature = :s "
                        "WHERE seq = :seq"),
                   {"p": new.payload, "prev": new.prev_hash, "h": new.hash, "s": signature, "seq": new.seq})
        prev = new
    assert prev is not None
    head_signature = signer.head(prev.seq, prev.hash) if signer is not None else None
    db.execute(text("UPDATE ledger_head SET seq = :seq, hash = :h" + (", signature = :s" if signer else "")
                    + " WHERE id = 1"), {"seq": prev.seq, "h": prev.hash, "s": head_signature})
    db.commit()


def _version_entry(db: Session, record: WorkRecord, version: int = 1) -> int:
    for entry in _entries(db, 1):
        payload = json.loads(entry.payload)
        if entry.kind == "record.version" and payload["record"] == record.id and payload["version"] == version:
            return entry.seq
    raise AssertionError("no entry")


def test_it_names_an_entry_rewritten_and_rehashed_without_the_key(kaohe, db, story):
    seq = _version_entry(db, story.confirmed)

    def retitle(payload: dict[str, Any]) -> None:
        payload["title"] = "篡改后的标题"

    rewrite(db, seq, retitle, signer=None)
    sql(db, "UPDATE work_record SET title = '篡改后的标题' WHERE id = :id", id=story.confirmed.id)
    failed(kaohe("ledger", "verify"), f"第 {seq} 号账本条目的签名不符")
    rewrite(db, seq, retitle, signer=Signer(b"a key the attacker made up"))
    failed(kaohe("ledger", "verify"), f"第 {seq} 号账本条目的签名不符")


def test_someone_holding_the_server_key_rewrites_consistently_and_only_an_earlier_anchor_shows_it(kaohe, db, story):
    """docs/ledger.md, attacker (b): with the key, the tables and the ledger can be rewritten to agree;
    the anchor staff kept from the month close no longer matches."""
    seq = _version_entry(db, story.confirmed)
    rewrite(db, seq, lambda payload: payload.update(title="篡改后的标题"), signer=Signer(SERVER_KEY.encode()))
    sql(db, "UPDATE work_record SET title = '篡改后的标题' WHERE id = :id", id=story.confirmed.id)
    version = db.scalar(select(RecordVersion).where(RecordVersion.record_id == story.confirmed.id))
    assert version is not None
    db.execute(update(RecordVersion.__table__).where(RecordVersion.__table__.c.id == version.id)
               .values(content={**version.content, "title": "篡改后的标题"}))
    db.commit()
    assert kaohe("ledger", "verify").code == 0
    failed(kaohe("ledger", "verify", "--anchor", story.anchor), "锚点核对失败")


def test_it_names_an_entry_deleted_from_the_middle(kaohe, db, story):
    seq = _version_entry(db, story.edited, 2)
    sql(db, "DELETE FROM ledger_entry WHERE seq = :s", s=seq)
    failed(kaohe("ledger", "verify"), f"第 {seq} 号账本条目被删除")


def test_it_names_the_tail_cut_off_with_the_head_moved_back(kaohe, db, story):
    last = last_seq(db)
    previous = db.scalar(select(LedgerEntry.hash).where(LedgerEntry.seq == last - 1))
    sql(db, "DELETE FROM ledger_entry WHERE seq = :s", s=last)
    sql(db, "UPDATE ledger_head SET seq = :s, hash = :h WHERE id = 1", s=last - 1, h=previous)
    failed(kaohe("ledger", "verify"), f"账本头（最新条目 #{last - 1}）的签名不符")


def test_it_names_an_entry_whose_payload_has_the_wrong_type(kaohe, db, story):
    seq = _version_entry(db, story.late)
    sql(db, "UPDATE ledger_entry SET payload = :p WHERE seq = :s", p="不是字节的文字", s=seq)
    failed(kaohe("ledger", "verify"), f"第 {seq} 号账本条目")


def _sign_payload(db: Session, seq: int, payload: bytes) -> None:
    """Write `payload` into entry `seq` with the real key, as faulty code on the server would."""
    rewrite(db, seq, lambda _payload: None, signer=Signer(SERVER_KEY.encode()))
    prev, old, *_ = _entries(db, seq - 1)
    new = next_entry(prev, seq=seq, at=old.at, kind=old.kind, payload=payload, signer=Signer(SERVER_KEY.encode()))
    db.execute(text("UPDATE ledger_entry SET payload = :p, hash = :h, signature = :s WHERE seq = :seq"),
               {"p": new.payload, "h": new.hash, "s": new.signature, "seq": seq})
    db.commit()
    rewrite(db, seq + 1, lambda _payload: None, signer=Signer(SERVER_KEY.encode()))


def test_it_reports_a_signed_entry_it_cannot_replay_on_the_command_line_and_the_page(kaohe, db, story, client_as):
    seq = _version_entry(db, story.returned)
    _sign_payload(db, seq, b"[1, 2, 3]")
    failed(kaohe("ledger", "verify"), f"第 {seq} 号账本条目（record.version）的内容无法解读：内容不是 JSON 对象")
    inspector = client_as("inspector")
    page = inspector.get("/ledger")
    assert page.status_code == 200
    assert "账本校验未通过" in page.text and f"第 {seq} 号账本条目（record.version）的内容无法解读" in page.text
    api = inspector.get("/api/v1/ledger/verify").json()
    assert (api["ok"], api["reason"]) == (False, "malformed")


# --- keys and legacy entries ---------------------------------------------------------------------------

def test_it_needs_the_key_the_ledger_was_written_with(kaohe, story):
    failed(kaohe("ledger", "verify", secret="y" * 40), "第 1 号账本条目的签名不符")
    assert kaohe("ledger", "verify", secret="y" * 40, ledger_key=SERVER_KEY).code == 0


def test_it_signs_legacy_entries_once_after_checking_everything(kaohe, db, story):
    """Rows written before migration 0004 carry no signature; sign-legacy checks, then signs them."""
    sql(db, "UPDATE ledger_entry SET signature = NULL")
    sql(db, "UPDATE ledger_head SET signature = NULL")
    failed(kaohe("ledger", "verify"), "第 1 条未签名")
    sql(db, "UPDATE work_record SET status = 'confirmed' WHERE id = :id", id=story.returned.id)
    refused = kaohe("ledger", "sign-legacy")
    assert refused.code == 1 and "拒绝补签" in refused.err and f"工作记录 #{story.returned.id}" in refused.err
    sql(db, "UPDATE work_record SET status = 'returned' WHERE id = :id", id=story.returned.id)
    signed = kaohe("ledger", "sign-legacy")
    assert signed.code == 0, signed.text
    # Every entry but the last: that one is the (signed) ledger entry of the signing's own audit row.
    assert f"已为 {last_seq(db) - 1} 条旧条目和账本头补签" in signed.out
    assert f"考核账本锚点：第 {last_seq(db)} 号条目" in signed.out
    assert kaohe("ledger", "verify", "--anchor", story.anchor).code == 0
    assert kaohe("ledger", "sign-legacy").out.strip() == "没有需要补签的条目。"


def test_it_refuses_to_sign_an_entry_whose_signature_was_erased(kaohe, db, story):
    seq = _version_entry(db, story.late)
    sql(db, "UPDATE ledger_entry SET signature = NULL WHERE seq = :s", s=seq)
    failed(kaohe("ledger", "verify"), f"第 {seq} 条未签名")
    refused = kaohe("ledger", "sign-legacy")
    assert refused.code == 1 and "签名被删除" in refused.err
    assert db.scalar(select(LedgerEntry.signature).where(LedgerEntry.seq == seq)) is None
    assert db.scalar(select(LedgerHead.signature)) is not None


# --- the month page -------------------------------------------------------------------------------------

def test_the_month_page_shows_the_anchor_of_its_close(kaohe, client_as, db, story):
    page = client_as("dept_head").get(f"/records/month?department_id={story.close.department_id}&month=2026-09")
    assert page.status_code == 200
    assert story.anchor in page.text and "请保存以下锚点" in page.text
    assert kaohe("ledger", "verify", "--anchor", story.anchor).code == 0
