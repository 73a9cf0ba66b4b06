"""Metric values over the API: business systems send one source's values for a quarter (idempotent with
`Idempotency-Key`, a personal or system token); HR, the inspector, leaders and staff read what they may."""

from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from kaohe.auth.permissions import Perm
from kaohe.clock import now
from kaohe.metrics import service
from kaohe.metrics.catalog import quarter_of
from kaohe.metrics.schemas import MetricBatchIn, MetricBatchRead, MetricRead
from kaohe.web.deps import CurrentPrincipal, SessionDep, requires
from kaohe.web.inputs import Int, Text, Year

router = APIRouter(tags=["指标数据"])


@router.post("/metrics", response_model=MetricBatchRead, status_code=201,
             summary="报送一个数据来源一个季度的指标数据（全部成功或全部不保存，幂等）",
             responses={409: {"description": "同一幂等键已用于内容不同的请求"}})
def post_metrics(body: MetricBatchIn, db: SessionDep, principal: requires(Perm.metrics_import),
                 idempotency_key: Annotated[Text(100, min_length=1) | None, Header()] = None) -> Any:
    # The same key and body answer what the first call answered, without saving anything twice. Without
    # a key a repeated call cannot be recognised; it is still refused unless it says `replace`, since
    # the quarter's values of the source are already there.
    answer = service.import_api(db, actor=principal, batch_in=body, idempotency_key=idempotency_key, now=now())
    return JSONResponse(answer, status_code=201)


@router.get("/metrics", response_model=list[MetricRead], summary="季度指标数据及来源（按数据范围）")
def list_metrics(year: Year, quarter: Int(1, 4), db: SessionDep, principal: CurrentPrincipal,
                 source: Text(40) = "") -> list[Any]:
    rows = service.values_of(db, actor=principal, quarter=quarter_of(year, quarter), source=source or None)
    return [MetricRead(employee_no=staff.employee_no, name=staff.name, department=department.name,
                       indicator_code=value.indicator_code, value=value.value, source=value.source,
                       channel=batch.channel, filename=batch.filename, sha256=batch.sha256, row=value.row,
                       created_by_name=batch.created_by_name, created_at=batch.created_at)
            for value, batch, staff, department in rows]
