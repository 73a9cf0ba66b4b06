"""The demo's scheme history: last year's scheme as published, and this year's, revised from it and
published by the appraisal office, so 与上年比较 compares two real years and the audit log holds the edit."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.auth import service as auth_service
from kaohe.auth.models import User
from kaohe.auth.roles import Role
from kaohe.scheme import service as scheme_service
from kaohe.scheme.edits import Edit, apply_edits

# Last year NENG.2 weighed more than NENG.1 within 能; this year evens them out (a real revision).
LAST_YEAR = (Edit("weight", 40, "NENG.1"), Edit("weight", 60, "NENG.2"))
THIS_YEAR = (Edit("weight", 50, "NENG.1"), Edit("weight", 50, "NENG.2"))


def load_demo_schemes(db: Session, *, hr_username: str, today: date) -> int:
    """Publish last year's and this year's schemes as the HR account would; returns versions stored."""
    user = db.scalar(select(User).where(User.username == hr_username))
    assert user is not None and any(g.role is Role.hr for g in user.grants), hr_username
    hr = auth_service.principal_for(user)
    last = today.year - 1
    text, problems = apply_edits(scheme_service.default_text(last), LAST_YEAR)
    assert not problems, problems
    previous = scheme_service.import_version(db, actor=hr, year=last, text=text, note="上年度执行的考核方案")
    scheme_service.publish(db, actor=hr, version_id=previous.id)
    draft = scheme_service.new_draft(db, actor=hr, year=today.year, note="以上年度方案为基础修订")
    revised = scheme_service.update_draft(db, actor=hr, version_id=draft.id, edits=THIS_YEAR)
    scheme_service.publish(db, actor=hr, version_id=revised.id)
    return 3
