"""The unit of work: use cases stage, the edge commits once, savepoints undo only what failed.

Runs on both backends; on SQLite it also proves that a savepoint opened first in a transaction does
not commit on release (pysqlite begins transactions lazily, see kaohe.bootstrap).
"""

import pytest
from sqlalchemy import func, select

from kaohe.audit.models import AuditEntry
from kaohe.bootstrap import Database
from kaohe.clikit import CLI_ACTOR
from kaohe.errors import KaoheError
from kaohe.org import service
from kaohe.org.enums import DepartmentKind
from kaohe.org.models import Department
from kaohe.org.schemas import DepartmentCreate
from kaohe.web.forms import attempt


def _department(code: str) -> DepartmentCreate:
    return DepartmentCreate(code=code, name=f"测试部门{code}", kind=DepartmentKind.general)


def _state(database: Database) -> tuple[set[str], int]:
    with database.sessions() as db:
        codes = set(db.scalars(select(Department.code)))
        audits = db.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return codes, audits


@pytest.fixture
def database(demo_url):  # type: ignore[no-untyped-def]
    database = Database.connect(demo_url)
    yield database
    database.dispose()


def test_it_leaves_nothing_of_the_first_step_when_the_second_fails(database):
    before = _state(database)
    with pytest.raises(KaoheError), database.unit_of_work() as db:
        service.create_department(db, actor=CLI_ACTOR, department_in=_department("UOW1"))
        # The same code again: the second use case refuses, so the whole flow must vanish.
        service.create_department(db, actor=CLI_ACTOR, department_in=_department("UOW1"))
    assert _state(database) == before


def test_it_commits_both_steps_once_when_both_succeed(database):
    _codes, audits = _state(database)
    with database.unit_of_work() as db:
        service.create_department(db, actor=CLI_ACTOR, department_in=_department("UOW2"))
        service.create_department(db, actor=CLI_ACTOR, department_in=_department("UOW3"))
        # Nothing is visible to anyone else before the edge commits.
        assert {"UOW2", "UOW3"}.isdisjoint(_state(database)[0])
    after_codes, after_audits = _state(database)
    assert {"UOW2", "UOW3"} <= after_codes and after_audits == audits + 2


def test_a_savepoint_undoes_only_the_step_that_failed(database):
    codes, _ = _state(database)
    with database.unit_of_work() as db:
        service.create_department(db, actor=CLI_ACTOR, department_in=_department("UOW4"))
        with pytest.raises(KaoheError), attempt(db):
            service.create_department(db, actor=CLI_ACTOR, department_in=_department("UOW5"))
            service.create_department(db, actor=CLI_ACTOR, department_in=_department("UOW4"))
    after, _ = _state(database)
    assert after - codes == {"UOW4"}


def test_a_first_savepoint_does_not_commit_before_the_edge(database):
    codes, audits = _state(database)
    with pytest.raises(RuntimeError), database.unit_of_work() as db:
        with attempt(db):
            service.create_department(db, actor=CLI_ACTOR, department_in=_department("UOW6"))
        raise RuntimeError("the edge fails after the savepoint was released")
    assert _state(database) == (codes, audits)
