"""Daily records over the API: other systems send records with an idempotency key (R1, P5); leaders
review; project systems report task progress; inspectors verify the ledger."""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from kaohe.auth.permissions import Perm
from kaohe.clock import now
from kaohe.ledger import service as ledger_service
from kaohe.records import service, tasks
from kaohe.records.models import RecordStatus
from kaohe.records.schemas import (
    ProgressIn,
    RecordCreate,
    RecordRead,
    RecordUpdate,
    ReviewIn,
    TaskCreate,
    TaskRead,
)
from kaohe.web.deps import CurrentPrincipal, SessionDep, requires
from kaohe.web.inputs import Id, Page, PerPage, Text, Year

router = APIRouter(tags=["工作记录"])


@router.post("/records", response_model=RecordRead, status_code=201, summary="提交一条工作记录（支持幂等键）",
             responses={200: {"model": RecordRead, "description": "同一幂等键已提交过:原样返回那条记录"}})
def create_record(body: RecordCreate, db: SessionDep, principal: CurrentPrincipal,
                  idempotency_key: Annotated[Text(100, min_length=1) | None, Header()] = None) -> Any:
    # Keys are per account, so two systems cannot collide on each other's keys.
    source = f"api:{principal.user_id}" if principal.user_id is not None else "api"
    created = service.create_record(db, actor=principal, record_in=body, now=now(), source=source,
                                    idempotency_key=idempotency_key)
    payload = RecordRead.model_validate(created.record).model_dump(mode="json")
    return JSONResponse(payload, status_code=201 if created.created else 200)


@router.get("/records", response_model=list[RecordRead], summary="工作记录（按数据范围）")
def list_records(db: SessionDep, principal: CurrentPrincipal, staff_id: Id | None = None,
                 status: RecordStatus | None = None, month: Text(7) = "",
                 page: Annotated[Page, Query()] = 1, per_page: Annotated[PerPage, Query()] = 50
                 ) -> list[Any]:
    rows, _total = service.search(db, actor=principal, query=service.RecordQuery(
        staff_id=staff_id, status=status, month=month, page=page, per_page=per_page))
    return rows


@router.get("/records/{record_id}", response_model=RecordRead, summary="工作记录详情")
def get_record(record_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Any:
    return service.get_record(db, actor=principal, record_id=record_id)


@router.put("/records/{record_id}", response_model=RecordRead, summary="修改记录（生成新版本）")
def update_record(record_id: Id, body: RecordUpdate, db: SessionDep, principal: CurrentPrincipal) -> Any:
    return service.update_record(db, actor=principal, record_id=record_id, record_in=body, now=now())


@router.post("/records/review", response_model=list[RecordRead], summary="确认或退回记录（批量）")
def review(body: ReviewIn, db: SessionDep, principal: requires(Perm.records_review)) -> list[Any]:
    return service.review(db, actor=principal, review_in=body, now=now())


@router.get("/tasks", response_model=list[TaskRead], summary="年度任务书")
def list_tasks(staff_id: Id, year: Year, db: SessionDep, principal: CurrentPrincipal) -> list[Any]:
    return tasks.tasks_of(db, actor=principal, staff_id=staff_id, year=year)


@router.post("/tasks", response_model=TaskRead, status_code=201, summary="添加任务")
def create_task(body: TaskCreate, db: SessionDep, principal: requires(Perm.tasks_write)) -> Any:
    return tasks.create_task(db, actor=principal, task_in=body)


@router.post("/tasks/progress", summary="项目系统报送任务进度（全部成功或全部不更新）")
def progress(body: list[ProgressIn], db: SessionDep, principal: requires(Perm.tasks_write)) -> dict[str, int]:
    return {"updated": tasks.set_progress(db, actor=principal, items=body, source="api")}


@router.get("/ledger/verify", summary="校验记录账本")
def verify(db: SessionDep, principal: requires(Perm.ledger_read)) -> dict[str, Any]:
    result = ledger_service.verify(db)
    return {"ok": result.ok, "count": result.count, "head_seq": result.head_seq, "head_hash": result.head_hash,
            "bad_seq": result.bad_seq, "reason": result.reason, "message": None if result.ok else result.message,
            "problems": list(result.problems), "problem_count": result.problem_count, "rows": result.rows}
