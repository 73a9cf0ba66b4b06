"""Helpers shared by the daily-records tests (integration and pages): who is acting, and records made
through the real use cases so that each one has its version, history, audit row and ledger entry."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.auth import service as auth_service
from kaohe.auth.models import User
from kaohe.auth.permissions import Principal
from kaohe.clock import zone
from kaohe.org.models import Department, Staff
from kaohe.records import service
from kaohe.records.models import WorkRecord
from kaohe.records.schemas import RecordCreate, ReviewIn

# A moment in the past at which service-level tests "enter" their records.
NOW = datetime(2026, 10, 14, 10, 0, tzinfo=zone())
STAGE = "完成企业开办一窗通办业务二十三件，办结率百分之百，回访群众均表示满意。"


def principal_of(db: Session, username: str) -> Principal:
    user = db.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return auth_service.principal_for(user)


@pytest.fixture
def who(db, accounts) -> Callable[[str], Principal]:  # type: ignore[no-untyped-def]
    """who("leader") → the principal of the demo account playing that role (or of a 工号)."""
    return lambda role: principal_of(db, accounts.get(role, role))


def record_in(*, title: str = "办理企业开办业务", ended: datetime = NOW - timedelta(hours=1),
              hours: float = 2, stage: str = STAGE, **extra: object) -> RecordCreate:
    return RecordCreate(title=title, started_at=ended - timedelta(hours=hours), ended_at=ended,
                        stage_result=stage, **extra)


def enter(db: Session, actor: Principal, *, now: datetime = NOW, ended: datetime | None = None,
          **fields: object) -> WorkRecord:
    """A record entered by `actor` at `now`, its work having ended an hour before unless told."""
    created = service.create_record(db, actor=actor, record_in=record_in(
        ended=ended or now - timedelta(hours=1), **fields), now=now)
    db.commit()  # the test plays the edge: each arranged step is its own unit of work
    return created.record


def review(db: Session, actor: Principal, records: list[WorkRecord], action: str = "confirm",
           comment: str = "", now: datetime = NOW) -> list[WorkRecord]:
    done = service.review(db, actor=actor, review_in=ReviewIn(
        record_ids=[r.id for r in records], action=action, comment=comment), now=now)
    db.commit()
    return done


def staff_no(db: Session, principal: Principal) -> str:
    staff = db.get(Staff, principal.staff_id)
    assert staff is not None
    return staff.employee_no


def department(db: Session, code: str) -> Department:
    found = db.scalar(select(Department).where(Department.code == code))
    assert found is not None, code
    return found
