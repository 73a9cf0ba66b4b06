"""The audit log under the ledger (docs/ledger.md, "The audit log"): every audit row has an `audit`
entry, so with the append-only triggers dropped, a row edited, deleted or inserted in SQL is still
named by `kaohe ledger verify` (a process of its own) and by the /ledger page. Rows written before
migration 0006 (no entry) are legacy and do not make verify fail.
"""

from collections.abc import Callable

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from tests.integration.ledger.ledger_support import SECRET, Run, run_kaohe
from tests.integration.records.records_support import enter

from kaohe.audit import service as audit
from kaohe.audit.models import AuditEntry
from kaohe.bootstrap import make_engine, make_session_factory
from kaohe.config import Settings


@pytest.fixture
def kaohe(demo_url: str) -> Callable[..., Run]:
    return lambda *args: run_kaohe(demo_url, *args)


def drop_triggers(db: Session) -> None:
    """What someone with database access does first: the triggers are no obstacle to them."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("DROP TRIGGER audit_entry_no_change ON audit_entry"))
    else:
        db.execute(text("DROP TRIGGER audit_entry_no_update"))
        db.execute(text("DROP TRIGGER audit_entry_no_delete"))
    db.commit()


@pytest.fixture
def row(db, who) -> AuditEntry:  # type: ignore[no-untyped-def]
    """The audit row of a record entered through the use case, with the triggers already dropped."""
    record = enter(db, who("staff"), title="窗口受理企业开办")
    found = db.scalar(select(AuditEntry).where(AuditEntry.action == "record.create",
                                               AuditEntry.entity_id == str(record.id)))
    assert found is not None
    drop_triggers(db)
    return found


def failed(run: Run, expected: str) -> None:
    assert run.code == 1, run.text
    assert expected in run.err, run.err
    assert "Traceback" not in run.text


def test_every_audit_row_has_its_entry_and_verify_passes(kaohe, db, row):
    assert db.scalar(text("SELECT count(*) FROM ledger_entry WHERE kind = 'audit'")) >= 2  # demo load, record
    run = kaohe("ledger", "verify")
    assert run.code == 0, run.text


def test_it_names_an_audit_rows_summary_edited_in_sql(kaohe, db, row, client_as):
    db.execute(text("UPDATE audit_entry SET summary = :s WHERE id = :id"), {"s": "什么也没有发生", "id": row.id})
    db.commit()
    failed(kaohe("ledger", "verify"), f"审计记录 #{row.id}（record.create）的「摘要」与账本不符：表中为 “什么也没有发生”")
    page = client_as("inspector").get("/ledger")
    assert page.status_code == 200 and f"审计记录 #{row.id}（record.create）的「摘要」与账本不符" in page.text


def test_it_names_an_audit_rows_actor_and_after_edited_in_sql(kaohe, db, row, who):
    db.execute(text("UPDATE audit_entry SET actor_name = '别人', after = :a WHERE id = :id"),
               {"a": '{"title": "篡改"}', "id": row.id})
    db.commit()
    run = kaohe("ledger", "verify")
    failed(run, f"审计记录 #{row.id}（record.create）的「操作人」与账本不符：表中为 “别人”")
    assert f"审计记录 #{row.id}（record.create）的「改动后」与账本不符" in run.err


def test_it_names_an_audit_row_deleted_in_sql(kaohe, db, row):
    db.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": row.id})
    db.commit()
    failed(kaohe("ledger", "verify"), f"审计记录 #{row.id}（record.create）已从表中删除，账本第")


def test_it_names_an_audit_row_inserted_in_sql(kaohe, db, row):
    db.execute(text("INSERT INTO audit_entry (at, actor_id, actor_name, action, entity_type, entity_id, summary, ip) "
                    "SELECT at, actor_id, actor_name, 'record.delete', entity_type, entity_id, '删除记录', ip "
                    "FROM audit_entry WHERE id = :id"), {"id": row.id})
    db.commit()
    forged = db.scalar(text("SELECT max(id) FROM audit_entry"))
    failed(kaohe("ledger", "verify"), f"审计记录 #{forged}（record.delete）在账本中没有记载（绕过系统写入）")


def test_audit_rows_written_before_the_upgrade_are_legacy(empty_url, backend):
    """An upgraded database: audit rows from before migration 0006 have no entry, and verify passes;
    rows written after it are covered from the first one the ledger records."""
    engine = make_engine(empty_url)
    try:
        factory = make_session_factory(engine, Settings(database_url=empty_url, secret_key=SECRET))
        with factory() as db:
            for n in range(3):  # as the application wrote them before 0006: no ledger entry
                db.add(AuditEntry(action="legacy.action", entity_type="unit", entity_id=str(n), summary=f"旧记录 {n}"))
            db.commit()
            audit.record(db, actor=None, action="new.action", entity_type="unit", entity_id="x", summary="新记录")
            db.commit()
            assert run_kaohe(empty_url, "ledger", "verify").code == 0
            newest = db.scalar(text("SELECT max(id) FROM audit_entry"))
            drop_triggers(db)
            db.execute(text("UPDATE audit_entry SET summary = '改过' WHERE id = :id"), {"id": newest})
            db.commit()
            failed(run_kaohe(empty_url, "ledger", "verify"), f"审计记录 #{newest}（new.action）的「摘要」与账本不符")
    finally:
        engine.dispose()
