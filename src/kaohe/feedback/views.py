"""Written feedback over /api/v1/feedback: show one person's (with the proposal), save a draft, sign,
acknowledge or comment, with the same rules as the pages."""

from typing import Any

from fastapi import APIRouter

from kaohe.clock import now
from kaohe.errors import Conflict, NotFound
from kaohe.feedback import service
from kaohe.feedback.schemas import AnswerIn, FeedbackDraft, FeedbackRead, SignIn
from kaohe.web.deps import CurrentPrincipal, SessionDep
from kaohe.web.inputs import Id, Int, Year

router = APIRouter(prefix="/feedback", tags=["书面反馈"])
QuarterNo = Int(1, 12)


def read(view: service.FeedbackView) -> FeedbackRead:
    row = view.feedback
    return FeedbackRead(
        staff_id=view.staff.id, employee_no=view.staff.employee_no, name=view.staff.name, year=view.year,
        quarter=view.quarter, status=view.status, **view.texts, deadline=view.deadline, digest=view.digest,  # type: ignore[arg-type]
        signed_name=row.signed_name if row else "", signed_at=row.signed_at if row else None,
        ledger_seq=row.ledger_seq if row else None, answered_at=row.answered_at if row else None,
        comment=row.comment if row else "", may_edit=view.may_edit, may_sign=view.may_sign,
        may_answer=view.may_answer)


def _show(db: SessionDep, principal: CurrentPrincipal, year: int, quarter: int, staff_id: int) -> FeedbackRead:
    try:
        return read(service.open_feedback(db, actor=principal, year=year, quarter=quarter, staff_id=staff_id))
    except Conflict as exc:  # a quarter not yet under review: for a read, there is no feedback to show yet
        raise NotFound(exc.message) from None


@router.get("/{year}/{quarter}/{staff_id}", response_model=FeedbackRead, summary="一个人一个季度的书面反馈")
def show(year: Year, quarter: QuarterNo, staff_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Any:
    return _show(db, principal, year, quarter, staff_id)


@router.post("/{year}/{quarter}/{staff_id}", response_model=FeedbackRead, summary="保存书面反馈草稿")
def save(year: Year, quarter: QuarterNo, staff_id: Id, draft_in: FeedbackDraft, db: SessionDep,
         principal: CurrentPrincipal) -> Any:
    service.save_draft(db, actor=principal, year=year, quarter=quarter, staff_id=staff_id, draft_in=draft_in,
                       now=now())
    return _show(db, principal, year, quarter, staff_id)


@router.post("/{year}/{quarter}/{staff_id}/sign", response_model=FeedbackRead, summary="分管领导签署书面反馈")
def sign(year: Year, quarter: QuarterNo, staff_id: Id, sign_in: SignIn, db: SessionDep,
         principal: CurrentPrincipal) -> Any:
    service.sign(db, actor=principal, year=year, quarter=quarter, staff_id=staff_id, sign_in=sign_in, now=now())
    return _show(db, principal, year, quarter, staff_id)


@router.post("/{year}/{quarter}/{staff_id}/answer", response_model=FeedbackRead,
             summary="本人确认收到或提出意见")
def answer(year: Year, quarter: QuarterNo, staff_id: Id, answer_in: AnswerIn, db: SessionDep,
           principal: CurrentPrincipal) -> Any:
    service.answer(db, actor=principal, year=year, quarter=quarter, staff_id=staff_id, answer_in=answer_in,
                   now=now())
    return _show(db, principal, year, quarter, staff_id)
