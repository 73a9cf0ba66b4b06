"""Quarterly cycles over /api/v1: the quarters and where they stand; HR opens a year, advances a
quarter, reopens a closed one (the same use cases and permissions as the pages)."""

from typing import Any

from fastapi import APIRouter

from kaohe.auth.permissions import Perm
from kaohe.clock import now
from kaohe.quarterly import service
from kaohe.quarterly.schemas import (
    OwedRead,
    PhaseRunRead,
    QuarterAdvance,
    QuarterDetail,
    QuarterOpen,
    QuarterRead,
    QuarterReopen,
    TransitionRead,
)
from kaohe.web.deps import SessionDep, requires
from kaohe.web.inputs import Int, Year

router = APIRouter(tags=["季度考核周期"])
QuarterNo = Int(1, 12)


def read(view: service.CycleView) -> QuarterRead:
    cycle, standing = view.cycle, view.standing.standing
    return QuarterRead(
        year=cycle.year, quarter=cycle.quarter, code=cycle.code, label=view.label, phase=cycle.phase,
        phase_label=view.phase_label, starts_on=cycle.starts_on, ends_on=cycle.ends_on,
        scheme_version=cycle.scheme_version, deadline=view.run.deadline if view.run else None,
        days_left=standing.left if standing else None, days_overdue=standing.overdue if standing else None,
        calendar_error=view.standing.error)


def detail(shown: service.CycleDetail) -> QuarterDetail:
    return QuarterDetail(
        **read(shown).model_dump(),
        phases=[PhaseRunRead.model_validate(run) for run in shown.runs.values()],
        history=[TransitionRead.model_validate(row) for row in shown.history],
        owed={phase: [OwedRead.model_validate(item) for item in items] for phase, items in shown.owed.items()})


@router.get("/quarters", response_model=list[QuarterRead], summary="季度考核周期及各自所处阶段")
def list_quarters(db: SessionDep, principal: requires(Perm.quarter_read)) -> list[Any]:
    return [read(view) for view in service.overview(db, actor=principal, now=now())]


@router.post("/quarters", response_model=list[QuarterRead], status_code=201, summary="开启考核年度及其各季度")
def open_year(body: QuarterOpen, db: SessionDep, principal: requires(Perm.quarter_manage)) -> list[Any]:
    service.open_year(db, actor=principal, year=body.year, now=now())
    return [read(view) for view in service.overview(db, actor=principal, now=now()) if view.cycle.year == body.year]


@router.get("/quarters/{year}/{quarter}", response_model=QuarterDetail, summary="季度详情：各阶段日期、变更记录、未完成事项")
def show(year: Year, quarter: QuarterNo, db: SessionDep, principal: requires(Perm.quarter_read)) -> Any:
    return detail(service.detail(db, actor=principal, year=year, quarter=quarter, now=now()))


@router.post("/quarters/{year}/{quarter}/advance", response_model=QuarterDetail, summary="推进到下一阶段")
def advance(year: Year, quarter: QuarterNo, body: QuarterAdvance, db: SessionDep,
            principal: requires(Perm.quarter_manage)) -> Any:
    service.advance(db, actor=principal, year=year, quarter=quarter, reason=body.reason,
                    expected=body.from_phase, now=now())
    return detail(service.detail(db, actor=principal, year=year, quarter=quarter, now=now()))


@router.post("/quarters/{year}/{quarter}/reopen", response_model=QuarterDetail, summary="重新打开已结束的季度（须说明理由）")
def reopen(year: Year, quarter: QuarterNo, body: QuarterReopen, db: SessionDep,
           principal: requires(Perm.quarter_manage)) -> Any:
    service.reopen(db, actor=principal, year=year, quarter=quarter, reason=body.reason, now=now())
    return detail(service.detail(db, actor=principal, year=year, quarter=quarter, now=now()))
