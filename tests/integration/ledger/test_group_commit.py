"""Group commit (docs/ledger.md, "Writing at scale"): `append` stages a signed pending row without
touching the head, and the sealer chains pending rows in batches. On both backends: what a commit
leaves behind, many writers at once, entries left pending (a sealer that failed after its commit),
and pending rows edited, inserted, renumbered or deleted in SQL before they were chained.
"""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from tests.integration.ledger.ledger_support import run_kaohe
from tests.integration.records.records_support import NOW, enter, record_in

from kaohe.ledger import sealer
from kaohe.ledger import service as ledger
from kaohe.ledger.chain import Entry, Signer, verify
from kaohe.ledger.models import LedgerEntry, LedgerHead, LedgerPending
from kaohe.records import service

AT = datetime(2026, 10, 14, 2, 0, tzinfo=UTC)


def chain_of(db: Session) -> list[Entry]:
    rows = db.scalars(select(LedgerEntry).order_by(LedgerEntry.seq))
    return [Entry(r.seq, r.at, r.kind, bytes(r.payload), r.prev_hash, r.hash, r.signature) for r in rows]


def pending_count(db: Session) -> int:
    db.rollback()  # a fresh snapshot
    return db.scalar(select(func.count()).select_from(LedgerPending)) or 0


def left_pending(db: Session) -> None:
    """Commit without sealing, as when the sealer fails after the commit (the sweep is then due)."""
    db.info.pop(sealer.APPENDED, None)
    db.commit()


def test_it_chains_a_transactions_entries_in_order_when_it_commits(db):
    before = db.scalar(select(LedgerHead.seq))
    rows = [ledger.append(db, kind="test.step", at=AT + timedelta(seconds=i), payload={"step": i}) for i in range(3)]
    assert db.scalar(select(LedgerHead.seq)) == before  # nothing waits on the head before the commit
    assert all(row.signature for row in rows)
    db.commit()
    assert pending_count(db) == 0
    entries = chain_of(db)
    assert [e.kind for e in entries[-3:]] == ["test.step"] * 3
    assert [e.seq for e in entries[-3:]] == [before + 1, before + 2, before + 3]
    assert [e.content()["step"] for e in entries[-3:]] == [0, 1, 2]
    signer = ledger.signer_for(db)
    head = db.scalar(select(LedgerHead))
    assert verify(entries, signer=signer, expected_head=(head.seq, head.hash)).ok
    assert signer.matches(head.signature, signer.head(head.seq, head.hash))


def test_nothing_is_chained_when_the_transaction_rolls_back(db):
    before = db.scalar(select(LedgerHead.seq))
    ledger.append(db, kind="test.step", at=AT, payload={"step": 1})
    db.rollback()
    assert pending_count(db) == 0 and db.scalar(select(LedgerHead.seq)) == before


def test_the_anchor_of_a_pending_entry_chains_it_inside_the_transaction(db):
    row = ledger.append(db, kind="test.close", at=AT, payload={"month": "2026-09"})
    line = ledger.anchor_line(row)
    last = db.scalar(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(1))
    assert last.kind == "test.close" and line.startswith(f"考核账本锚点：第 {last.seq} 号条目，哈希 {last.hash}")
    db.commit()
    assert pending_count(db) == 0
    assert db.scalar(select(LedgerEntry.seq).order_by(LedgerEntry.seq.desc()).limit(1)) == last.seq


def test_many_writers_at_once_make_one_sound_chain(app, db):
    """Writers in threads, each its own unit of work: every entry is chained exactly once, in one chain."""
    factory = app.state.session_factory
    before = db.scalar(select(LedgerHead.seq))
    writers, each = 12, 15
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for i in range(each):
                with factory() as session:
                    ledger.append(session, kind="test.write", at=AT, payload={"writer": writer, "i": i})
                    ledger.append(session, kind="test.write", at=AT, payload={"writer": writer, "i": i, "second": True})
                    session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    ledger.seal(db)  # a sealer that lost the race for the head leaves its rows to the holder: none remain
    assert pending_count(db) == 0
    entries = chain_of(db)
    assert len(entries) == before + writers * each * 2
    written = [e.content() for e in entries[before:]]
    assert len({(p["writer"], p["i"], p.get("second", False)) for p in written}) == writers * each * 2
    # A transaction's two entries stay in its order.
    firsts = {(p["writer"], p["i"]): n for n, p in enumerate(written) if not p.get("second")}
    assert all(firsts[(p["writer"], p["i"])] < n for n, p in enumerate(written) if p.get("second"))
    assert ledger.verify(db).ok


def test_a_committed_entry_left_pending_is_replayed_by_verify_and_chained_by_seal(demo_url, db, who):
    record = enter(db, who("staff"))  # its entries are chained by the commit
    ledger.append(db, kind="test.late", at=AT, payload={"record": record.id})
    left_pending(db)
    assert pending_count(db) == 1
    run = run_kaohe(demo_url, "ledger", "verify")
    assert run.code == 0, run.text
    assert "另有 1 条已提交、等待入链的条目" in run.out
    sealed = run_kaohe(demo_url, "ledger", "seal")
    assert sealed.code == 0, sealed.text
    assert "已将 1 条待入链条目写入账本" in sealed.out
    assert pending_count(db) == 0
    assert db.scalar(select(LedgerEntry.kind).order_by(LedgerEntry.seq.desc()).limit(1)) == "test.late"
    run = run_kaohe(demo_url, "ledger", "verify")
    assert run.code == 0 and "等待入链" not in run.out


def test_a_record_whose_entries_wait_is_not_reported_as_unrecorded(demo_url, db, who):
    created = service.create_record(db, actor=who("staff"), record_in=record_in(title="尚待入链的记录"), now=NOW)
    left_pending(db)
    assert pending_count(db) == 2  # the record's version and its audit row
    run = run_kaohe(demo_url, "ledger", "verify")
    assert run.code == 0, run.text
    # Deleting them before they are chained leaves the record without an entry: named.
    db.execute(text("DELETE FROM ledger_pending"))
    db.commit()
    run = run_kaohe(demo_url, "ledger", "verify")
    assert run.code == 1
    assert f"工作记录 #{created.record.id} 在账本中没有记载（绕过系统写入）" in run.err


def test_the_sweep_chains_what_a_failed_sealer_left(app, db):
    ledger.append(db, kind="test.swept", at=AT, payload={"n": 1})
    left_pending(db)
    sweeper = sealer.start_background(app.state.session_factory, interval=0.05)
    try:
        deadline = time.monotonic() + 10
        while pending_count(db) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sweeper.stop()
    assert pending_count(db) == 0
    assert db.scalar(select(LedgerEntry.kind).order_by(LedgerEntry.seq.desc()).limit(1)) == "test.swept"


# --- pending rows changed in SQL before they are chained -------------------------------------------------

@pytest.fixture
def waiting(db):  # type: ignore[no-untyped-def]
    """Two committed entries left pending; their ids."""
    first = ledger.append(db, kind="test.wait", at=AT, payload={"n": 1, "title": "原文"})
    second = ledger.append(db, kind="test.wait", at=AT, payload={"n": 2})
    left_pending(db)
    return first.id, second.id


def _refused(demo_url: str, db: Session, ident: int, message: str) -> None:
    run = run_kaohe(demo_url, "ledger", "verify")
    assert run.code == 1, run.text
    assert message.format(id=ident) in run.err, run.err
    before = db.scalar(select(LedgerHead.seq))
    sealed = run_kaohe(demo_url, "ledger", "seal")
    assert sealed.code == 1 and "签名不符，未写入账本" in sealed.err, sealed.text
    db.rollback()
    # The genuine row was chained, the tampered one was not, and stays to be looked at.
    assert db.scalar(select(LedgerHead.seq)) == before + 1
    assert db.scalar(select(LedgerPending.id)) == ident


def test_it_refuses_a_pending_row_edited_before_it_was_chained(demo_url, db, waiting):
    first, _second = waiting
    db.execute(text("UPDATE ledger_pending SET payload = :p WHERE id = :id"),
               {"p": '{"n":1,"title":"改过"}'.encode(), "id": first})
    db.commit()
    _refused(demo_url, db, first, "待入链的账本条目 #{id}（test.wait）的签名不符")


def test_it_refuses_a_pending_row_inserted_in_sql(demo_url, db, waiting):
    db.execute(text("DELETE FROM ledger_pending WHERE id = :id"), {"id": waiting[1]})
    forged = Signer(b"a key the attacker made up")
    db.execute(text("INSERT INTO ledger_pending (id, at, kind, payload, signature) VALUES (:id, :at, 'test.wait', "
                    ":p, :s)"), {"id": waiting[1] + 100, "at": AT, "p": b'{"n":3}',
                                 "s": forged.pending(waiting[1] + 100, AT, "test.wait", b'{"n":3}')})
    db.commit()
    _refused(demo_url, db, waiting[1] + 100, "待入链的账本条目 #{id}（test.wait）的签名不符")


def test_it_refuses_pending_rows_renumbered_to_change_their_order(demo_url, db, waiting):
    first, _second = waiting
    db.execute(text("UPDATE ledger_pending SET id = :new WHERE id = :id"), {"new": first + 1000, "id": first})
    db.commit()
    _refused(demo_url, db, first + 1000, "待入链的账本条目 #{id}（test.wait）的签名不符")


def test_it_names_a_pending_row_with_a_value_of_the_wrong_type(demo_url, db, waiting, backend):
    if backend != "sqlite":
        pytest.skip("only SQLite stores a value of another type than the column's")
    first, _second = waiting
    db.execute(text("UPDATE ledger_pending SET payload = '不是字节' WHERE id = :id"), {"id": first})
    db.commit()
    _refused(demo_url, db, first, "待入链的账本条目 #{id} 的数据无法读取（payload）")


def test_an_empty_ledger_seals_nothing(empty_url):
    sealed = run_kaohe(empty_url, "ledger", "seal")
    assert sealed.code == 0, sealed.text
    assert "已将 0 条待入链条目写入账本；账本现有 0 条。" in sealed.out


def test_an_entry_chained_in_a_long_transaction_is_its_own_when_ids_come_round_again(db):  # type: ignore[no-untyped-def]
    """A row chained inside the transaction leaves its table, so the next row may get its id (SQLite
    reuses the highest rowid). Its entry must be its own, not the cached entry of the row before."""
    entries = []
    for n in range(3):
        row = ledger.append(db, kind="test.sign", at=AT + timedelta(minutes=n), payload={"n": n})
        entry = ledger.sealed_entry(db, row)
        entries.append(entry)
        assert entry.kind == "test.sign" and b'"n":%d' % n in entry.payload, (n, entry)
        db.expunge(row)
    assert len({e.seq for e in entries}) == 3
    db.commit()
    assert pending_count(db) == 0
