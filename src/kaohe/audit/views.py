"""The audit log over /api/v1 (read only)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from kaohe.audit import service
from kaohe.audit.schemas import AuditRead
from kaohe.auth.permissions import Perm
from kaohe.web.deps import SessionDep, requires
from kaohe.web.inputs import Page, PerPage, Text

router = APIRouter(tags=["审计"])


@router.get("/audit", response_model=list[AuditRead], summary="审计日志（只读）")
def audit_log(db: SessionDep, principal: requires(Perm.audit_read),
              action: Annotated[Text(60), Query()] = "",
              entity_type: Annotated[Text(40), Query()] = "",
              entity_id: Annotated[Text(64), Query()] = "",
              actor: Annotated[Text(80), Query()] = "",
              since: date | None = None, until: date | None = None,
              page: Annotated[Page, Query()] = 1,
              per_page: Annotated[PerPage, Query()] = 50) -> list[Any]:
    rows, _total = service.search(db, service.AuditQuery(
        action=action, entity_type=entity_type, entity_id=entity_id, actor=actor, since=since, until=until,
        page=page, per_page=per_page))
    return rows
