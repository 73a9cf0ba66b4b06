"""Ratings over the API: a rater's own assignments and forms; HR's raters of a quarter (list, propose,
adjust) and recipients' invitations. Who rated whom is answered to HR and the inspector only."""

from typing import Any

from fastapi import APIRouter

from kaohe.auth.permissions import Perm
from kaohe.clock import now
from kaohe.ratings import filling, service
from kaohe.ratings.schemas import (
    AssignmentRead,
    FormRead,
    IndicatorRead,
    InvitationCreate,
    InvitationRead,
    ProposedRead,
    RaterAdd,
    RaterRead,
    RaterRemove,
    RatingIn,
)
from kaohe.web.deps import CurrentPrincipal, SessionDep, requires
from kaohe.web.inputs import Id, Int, Year

router = APIRouter(tags=["季度评价"])
QuarterNo = Int(1, 12)


def _item(item: filling.MyItem) -> dict[str, Any]:
    row = item.assignment
    return {"id": row.id, "year": row.year, "quarter": row.quarter, "staff_id": item.ratee.id,
            "name": item.ratee.name, "department": item.department, "group": row.group, "label": item.group_name,
            "status": row.status, "progress": item.answered, "count": item.total}


def _form(form: filling.Form) -> dict[str, Any]:
    row = form.assignment
    return {"id": row.id, "year": row.year, "quarter": row.quarter, "staff_id": form.ratee.id, "name": form.ratee.name,
            "department": form.department, "group": row.group, "label": form.group_name, "status": row.status,
            "progress": len(form.marks), "count": len(form.leaves), "comment": row.comment, "marks": form.marks,
            "indicators": [IndicatorRead(code=leaf.code, name=leaf.name, low=leaf.low, high=leaf.high)
                           for leaf in form.leaves]}


@router.get("/ratings", response_model=list[AssignmentRead], summary="我要评价的人（本人的评价任务）")
def my_ratings(db: SessionDep, principal: CurrentPrincipal) -> list[Any]:
    return [_item(item) for item in filling.my_assignments(db, actor=principal)]


@router.get("/ratings/{assignment_id}", response_model=FormRead, summary="一张评价表（仅限本人的）")
def get_form(assignment_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Any:
    return _form(filling.get_form(db, actor=principal, assignment_id=assignment_id))


@router.post("/ratings/{assignment_id}", response_model=FormRead, summary="保存草稿或提交评价（提交后不可修改）")
def save_form(assignment_id: Id, body: RatingIn, db: SessionDep, principal: CurrentPrincipal) -> Any:
    filling.save(db, actor=principal, assignment_id=assignment_id, rating_in=body, now=now())
    return _form(filling.get_form(db, actor=principal, assignment_id=assignment_id))


def _rater(line: service.RaterLine) -> dict[str, Any]:
    row = line.assignment
    return {"id": row.id, "staff_id": line.ratee.id, "name": line.ratee.name, "group": row.group,
            "rater_id": row.rater_id, "rater_name": line.rater_name, "source": row.source, "status": row.status,
            "marks": line.marks}


@router.get("/quarters/{year}/{quarter}/raters", response_model=list[RaterRead], summary="季度评价人名单（谁评谁）")
def raters(year: Year, quarter: QuarterNo, db: SessionDep, principal: requires(Perm.ratings_read),
           staff_id: Id | None = None) -> list[Any]:
    return [_rater(line) for line in service.raters_of_quarter(db, actor=principal, year=year, quarter=quarter,
                                                               staff_id=staff_id)]


@router.post("/quarters/{year}/{quarter}/raters/propose", response_model=ProposedRead,
             summary="系统推荐评价人（全单位一次完成，可重复执行）")
def propose(year: Year, quarter: QuarterNo, db: SessionDep, principal: requires(Perm.ratings_manage)) -> Any:
    done = service.propose(db, actor=principal, year=year, quarter=quarter, now=now())
    return {"count": done.added, "people": done.people}


@router.post("/quarters/{year}/{quarter}/raters", response_model=RaterRead, status_code=201, summary="增加评价人")
def add_rater(year: Year, quarter: QuarterNo, body: RaterAdd, db: SessionDep,
              principal: requires(Perm.ratings_manage)) -> Any:
    row = service.add_rater(db, actor=principal, year=year, quarter=quarter, rater_in=body, now=now())
    return _rater(service.RaterLine(row, row.ratee, row.rater.name if row.rater else "", row.group, {}))


@router.post("/quarters/{year}/{quarter}/raters/{assignment_id}/remove", response_model=RaterRead,
             summary="移除评价人（须说明理由）")
def remove_rater(year: Year, quarter: QuarterNo, assignment_id: Id, body: RaterRemove, db: SessionDep,
                 principal: requires(Perm.ratings_manage)) -> Any:
    row = service.get_assignment(db, actor=principal, year=year, quarter=quarter, assignment_id=assignment_id)
    service.remove_rater(db, actor=principal, assignment_id=row.id, reason=body.reason, now=now())
    return _rater(service.RaterLine(row, row.ratee, row.rater.name if row.rater else "", row.group, {}))


@router.post("/quarters/{year}/{quarter}/invitations", response_model=InvitationRead, status_code=201,
             summary="生成服务对象评价邀请链接（一次有效，到期失效）")
def invite(year: Year, quarter: QuarterNo, body: InvitationCreate, db: SessionDep,
           principal: requires(Perm.ratings_manage)) -> Any:
    made = service.invite(db, actor=principal, year=year, quarter=quarter, invitation_in=body, now=now())
    return {"id": made.invitation.id, "staff_id": made.ratee.id, "href": made.path,
            "expires_at": made.invitation.expires_at}
