"""A roster as HR offices keep it (title rows, a merged two-row header, 工号 with leading zeros),
imported through the service into a real database."""

from datetime import date

import pytest
from sqlalchemy import select
from tests.unit.sheets.books import DEMO_PEOPLE, real_world_roster

from kaohe.auth.permissions import Grant, Principal
from kaohe.auth.roles import Role
from kaohe.bootstrap import make_engine, make_session_factory
from kaohe.org import roster_service
from kaohe.org.enums import Level, PostCategory
from kaohe.org.models import Staff

HR = Principal(user_id=None, username="hr", display_name="考核办公室", staff_id=None, staff_department_id=None,
               grants=(Grant(Role.hr, None),))


@pytest.fixture
def db(demo_url):  # type: ignore[no-untyped-def]
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def test_it_saves_a_real_world_roster_keeping_employee_numbers_as_written(db):
    data = real_world_roster(DEMO_PEOPLE)
    outcome = roster_service.import_roster(db, actor=HR, data=data, filename="江州市2026年干部名册.xlsx",
                                           max_bytes=10 << 20)
    db.commit()  # the edge commits; the use case only flushed
    assert (outcome.created, outcome.updated) == (3, 0)
    db.expire_all()
    saved = {s.employee_no: s for s in db.scalars(select(Staff).where(Staff.employee_no.in_(["00123", "007", "4506"])))}
    assert set(saved) == {"00123", "007", "4506"}
    assert db.scalar(select(Staff).where(Staff.employee_no.in_(["123", "7"]))) is None
    lin, chen, wang = saved["00123"], saved["007"], saved["4506"]
    assert (lin.name, lin.department.name, lin.level, lin.post_category) == (
        "林晓峰", "政务服务一科", Level.intermediate, PostCategory.management)
    assert (lin.hired_on, lin.phone, lin.title) == (date(2015, 3, 1), "13800138000", "科长")
    assert (chen.hired_on, chen.phone, chen.department.name) == (date(2023, 7, 1), "13900139000", "政务服务二科")
    assert (wang.hired_on, wang.phone, wang.post_category) == (date(2019, 7, 15), None, PostCategory.service)
    # Importing the same file again finds the same people by their 工号, leading zeros and all.
    again = roster_service.import_roster(db, actor=HR, data=data, filename="名册.xlsx", max_bytes=10 << 20)
    assert (again.created, again.updated) == (0, 3)
