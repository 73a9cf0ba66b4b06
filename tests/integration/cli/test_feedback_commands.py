"""`kaohe feedback status` as a separate process through the installed entry point, on each backend, after
`kaohe init && kaohe demo`: a quarter without results says so; a quarter with results counts every
department's people by the state of their written feedback (a draft and a signed one arranged through the use
cases); bad input gets one Chinese line."""

from datetime import date

from sqlalchemy import func, select
from tests.integration.cli.test_commands import run, unit, world

from kaohe.auth import service as auth_service
from kaohe.auth.models import User
from kaohe.auth.permissions import Perm
from kaohe.bootstrap import make_engine, make_session_factory
from kaohe.clock import now
from kaohe.config import Settings
from kaohe.feedback import service
from kaohe.feedback.models import Feedback
from kaohe.feedback.schemas import FeedbackDraft, SignIn
from kaohe.org.models import Staff
from kaohe.quarterly import results
from kaohe.quarterly import service as quarterly
from kaohe.quarterly.models import QuarterPhase
from kaohe.quarterly.result_models import QuarterResult

__all__ = ["run", "unit", "world"]  # the fixtures: a demo database per backend built by the commands
YEAR, QUARTER = 2025, 3  # a year the demo leaves alone (it evaluates this year's quarters itself)


def _arrange(url: str) -> tuple[int, int]:
    """Through the use cases: the quarter's results under review (whatever the demo left), then a leader drafts
    one person's feedback and signs another's. Returns (people with a result, feedbacks before)."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine, Settings(database_url=url, environment="test", secret_key="x" * 40))() as db:
            principals = [auth_service.principal_for(u) for u in db.scalars(select(User).order_by(User.id))]
            hr = next(p for p in principals if p.has_unit_scope(Perm.quarter_manage))
            if quarterly.find_cycle(db, YEAR, QUARTER) is None:
                quarterly.open_year(db, actor=hr, year=YEAR, now=now())
            while quarterly.find_cycle(db, YEAR, QUARTER).phase in (QuarterPhase.pending, QuarterPhase.collection):
                quarterly.advance(db, actor=hr, year=YEAR, quarter=QUARTER, reason="命令行测试", now=now())
            cycle = quarterly.find_cycle(db, YEAR, QUARTER)
            if cycle.phase is not QuarterPhase.closed and not db.scalar(select(func.count()).select_from(
                    QuarterResult).where(QuarterResult.year == YEAR, QuarterResult.quarter == QUARTER)):
                results.compute_quarter(db, actor=hr, year=YEAR, quarter=QUARTER, now=now())
            if cycle.phase is QuarterPhase.rating:
                quarterly.advance(db, actor=hr, year=YEAR, quarter=QUARTER, reason="进入审核", now=now())
            db.commit()
            before = db.scalar(select(func.count()).select_from(Feedback).where(Feedback.year == YEAR,
                                                                                 Feedback.quarter == QUARTER))
            done = set(db.scalars(select(Feedback.staff_id).where(Feedback.year == YEAR, Feedback.quarter == QUARTER)))
            by_staff = {p.staff_id: p for p in principals if p.staff_id is not None}
            people = [s for s in db.scalars(select(Staff).join(QuarterResult, QuarterResult.staff_id == Staff.id)
                                            .where(QuarterResult.year == YEAR, QuarterResult.quarter == QUARTER)
                                            .order_by(Staff.employee_no))
                      if s.id not in done and s.supervisor_id in by_staff]
            first = people[0]
            second = next(p for p in people[1:] if p.supervisor_id == first.supervisor_id)
            leader = by_staff[first.supervisor_id]
            texts = FeedbackDraft(strengths="甲", weaknesses="乙", goals="丙", measures="丁", deadline=date(2026, 12, 31))
            for person in (first, second):
                service.save_draft(db, actor=leader, year=YEAR, quarter=QUARTER, staff_id=person.id, draft_in=texts,
                                   now=now())
            service.sign(db, actor=leader, year=YEAR, quarter=QUARTER, staff_id=second.id, sign_in=SignIn(), now=now())
            db.commit()
            people_count = db.scalar(select(func.count()).select_from(QuarterResult).where(
                QuarterResult.year == YEAR, QuarterResult.quarter == QUARTER))
            return people_count, before
    finally:
        engine.dispose()


def _sum(lines: list[str], word: str) -> int:
    return sum(int(line.split(f"{word} ")[1].split("，")[0]) for line in lines)


def test_it_counts_each_departments_feedback_by_state(world, unit, backend):  # type: ignore[no-untyped-def]
    early = world("feedback", "status", "2030Q1")
    assert early.code == 0 and "2030年第一季度还没有季度结果" in early.out, early.text
    url, _home, _init, _demo = unit(backend)
    people, before = _arrange(url)
    ran = world("feedback", "status", "2025-Q3")
    assert ran.code == 0, ran.text
    lines = ran.out.strip().splitlines()
    assert lines[0] == f"2025年第三季度书面反馈（有结果 {people} 人）：", lines
    assert len(lines) > 5 and all("：有结果 " in line for line in lines[1:])
    assert sum(int(line.split("：有结果 ")[1].split(" 人")[0]) for line in lines[1:]) == people
    assert _sum(lines[1:], "未起草") == people - before - 2
    assert _sum(lines[1:], "草稿") >= 1 and _sum(lines[1:], "已签署") >= 1
    counted = sum(_sum(lines[1:], w) for w in ("未起草", "草稿", "已签署", "已确认", "有异议"))
    assert counted == people


def test_it_refuses_bad_input_in_chinese(world):  # type: ignore[no-untyped-def]
    for args, expected in ((("feedback", "status", ""), "季度"), (("feedback", "status", "明年"), "明年")):
        ran = world(*args)
        assert ran.code == 1 and "Traceback" not in ran.text and expected in ran.err, (args, ran.text)
