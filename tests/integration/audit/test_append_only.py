"""The audit log cannot be changed or deleted, even by SQL behind the application's back."""

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from kaohe.audit import service as audit
from kaohe.audit.models import AuditEntry
from kaohe.auth.permissions import Grant, Principal
from kaohe.auth.roles import Role
from kaohe.bootstrap import make_engine, make_session_factory


@pytest.fixture
def session(demo_url):  # type: ignore[no-untyped-def]
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as db:
        yield db
    engine.dispose()


def test_it_refuses_update_and_delete_of_audit_rows(session, demo_url):
    first = session.scalar(select(func.min(AuditEntry.id)))
    assert first is not None
    engine = create_engine(demo_url)
    for sql in (f"UPDATE audit_entry SET summary = 'tampered' WHERE id = {first}",
                f"DELETE FROM audit_entry WHERE id = {first}"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(sql))
    engine.dispose()
    assert session.scalar(select(AuditEntry.summary).where(AuditEntry.id == first)) != "tampered"


def test_it_records_only_the_fields_that_changed(session):
    actor = Principal(user_id=None, username="t", display_name="测试", staff_id=None, staff_department_id=None,
                      grants=(Grant(Role.admin, None),))
    entry = audit.record(session, actor=actor, action="staff.update", entity_type="staff", entity_id=1,
                         before={"title": "科员", "level": "junior"}, after={"title": "科长", "level": "junior"})
    session.commit()
    assert entry.before == {"title": "科员"} and entry.after == {"title": "科长"}


def test_it_has_no_code_path_that_updates_or_deletes_audit_rows():
    """A guard on the source: nothing outside the migration issues UPDATE/DELETE on the audit table."""
    from pathlib import Path

    import kaohe

    root = Path(kaohe.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for needle in ("update(AuditEntry)", "delete(AuditEntry)", "UPDATE audit_entry", "DELETE FROM audit_entry"):
            if needle in source:
                offenders.append(f"{path.name}: {needle}")
    assert offenders == []
