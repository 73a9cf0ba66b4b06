"""Quarterly warnings over /api/v1: the warnings the caller may see, one with its history, and handling one."""

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Perm
from kaohe.clock import now
from kaohe.warnings import service
from kaohe.warnings.models import QuarterWarning
from kaohe.warnings.schemas import WarningHandleIn, WarningHistoryRead, WarningRead
from kaohe.web.deps import CurrentPrincipal, SessionDep, requires
from kaohe.web.inputs import Id, IdFilter, Int, Text

router = APIRouter(tags=["季度预警"])
QuarterNo = Int(1, 12)


def read(db: Session, warning: QuarterWarning, names: dict[str, str], *, history: bool = False) -> WarningRead:
    return WarningRead(
        id=warning.id, staff_id=warning.staff_id, employee_no=warning.staff.employee_no, name=warning.staff.name,
        department=warning.staff.department.name, year=warning.year, quarter=warning.quarter, kind=warning.kind,
        kind_label=service.kind_label(warning.kind), status=warning.status.value,
        status_label=service.status_label(warning.status), figures=warning.figures,
        explanation=service.explain(warning, names), suggested_action=warning.suggested_action, note=warning.note,
        raised_at=warning.raised_at, handled_at=warning.handled_at,
        history=[WarningHistoryRead.model_validate(h, from_attributes=True) for h in service.history_of(db, warning)]
        if history else None)


@router.get("/warnings", response_model=list[WarningRead], summary="季度预警（按数据范围，可按季度、类型、状态、部门筛选）")
def list_warnings(db: SessionDep, principal: CurrentPrincipal, year: Int(2000, 2100) | None = None,
                  quarter: QuarterNo | None = None, kind: Text(20) = "", status: Text(20) = "",
                  department_id: IdFilter = "") -> Any:
    rows = service.list_warnings(db, actor=principal, filters=service.Filters(
        year=year, quarter=quarter, kind=kind or None, status=status or None,
        department_id=int(department_id) if department_id else None))
    names = service.indicator_names(db, {w.year for w in rows}) if rows else {}
    return [read(db, w, names) for w in rows]


@router.get("/warnings/{warning_id}", response_model=WarningRead, summary="一条预警：触发数据与变更记录")
def show(warning_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Any:
    warning = service.get_warning(db, actor=principal, warning_id=warning_id)
    return read(db, warning, service.indicator_names(db, {warning.year}), history=True)


@router.post("/warnings/{warning_id}/handle", response_model=WarningRead, summary="标记预警已处理（须写明处理情况）")
def handle(warning_id: Id, body: WarningHandleIn, db: SessionDep,
           principal: requires(Perm.warnings_handle)) -> Any:
    warning = service.handle(db, actor=principal, warning_id=warning_id, note=body.note, now=now())
    return read(db, warning, service.indicator_names(db, {warning.year}), history=True)
