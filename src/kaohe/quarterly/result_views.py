"""Quarterly results over /api/v1: the quarter's results the caller may see, and HR's computation."""

from typing import Any

from fastapi import APIRouter

from kaohe.auth.permissions import Perm
from kaohe.clock import now
from kaohe.quarterly import results
from kaohe.quarterly.result_schemas import ComputeRead, ResultRead
from kaohe.web.deps import CurrentPrincipal, SessionDep, requires
from kaohe.web.inputs import Int, Year

router = APIRouter(tags=["季度结果"])
QuarterNo = Int(1, 12)


@router.get("/quarters/{year}/{quarter}/results", response_model=list[ResultRead],
            summary="季度结果（按数据范围，最高分在前）")
def list_results(year: Year, quarter: QuarterNo, db: SessionDep, principal: CurrentPrincipal) -> list[Any]:
    rows = results.results_of(db, actor=principal, year=year, quarter=quarter)
    names = results.leaf_names(db, year) if rows else {}
    return [ResultRead(staff_id=r.staff_id, employee_no=r.staff.employee_no, name=r.staff.name,
                       department=r.staff.department.name, record_score=r.record_score,
                       indicator_score=r.indicator_score, quarterly_score=r.quarterly_score,
                       record_weight=r.record_weight, flags=r.flags, notes=results.explain_flags(r, names),
                       breakdown=r.breakdown, scheme_version=r.scheme_version, scheme_hash=r.scheme_hash,
                       inputs_hash=r.inputs_hash) for r in rows]


@router.post("/quarters/{year}/{quarter}/compute", response_model=ComputeRead, summary="计算全单位的季度结果")
def compute(year: Year, quarter: QuarterNo, db: SessionDep, principal: requires(Perm.quarter_manage)) -> Any:
    summary = results.compute_quarter(db, actor=principal, year=year, quarter=quarter, now=now())
    return ComputeRead(**summary.__dict__)
