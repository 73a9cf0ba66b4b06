"""The audit log's date filter counts days in the unit's zone, whatever the server's zone is."""

import os
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from kaohe.audit import service
from kaohe.audit.models import AuditEntry
from kaohe.bootstrap import Database


@pytest.fixture
def utc_host():  # type: ignore[no-untyped-def]
    """Run as on a server whose own zone is UTC (the usual container)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_it_files_an_entry_under_the_units_date_not_the_servers(empty_url, utc_host):
    database = Database.connect(empty_url)
    try:
        # 17:30 UTC on 1 March is 01:30 on 2 March in Beijing: the entry belongs to 2 March.
        with database.unit_of_work() as db:
            db.add(AuditEntry(at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC), action="test.late_night",
                              entity_type="test", summary="夜间操作"))
        with database.sessions() as db:
            def found(since: date, until: date) -> list[str]:
                rows, _ = service.search(db, service.AuditQuery(since=since, until=until, action="test.late_night"))
                return [r.action for r in rows]

            assert found(date(2026, 3, 2), date(2026, 3, 2)) == ["test.late_night"]
            assert found(date(2026, 3, 1), date(2026, 3, 1)) == []
            assert db.scalar(select(AuditEntry.summary).where(AuditEntry.action == "test.late_night")) == "夜间操作"
    finally:
        database.dispose()
