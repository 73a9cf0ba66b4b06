"""The audit log for inspectors, HR and administrators: read only, filterable."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from kaohe.audit import service
from kaohe.auth.permissions import Perm
from kaohe.web.deps import SessionDep, requires
from kaohe.web.templating import render

router = APIRouter()


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/audit")
def audit_log(request: Request, db: SessionDep, principal: requires(Perm.audit_read),
              action: str = "", entity_type: str = "", entity_id: str = "", actor: str = "",
              since: str = "", until: str = "", page: Annotated[int, Query(ge=1)] = 1) -> Response:
    query = service.AuditQuery(action=action[:60], entity_type=entity_type[:40], entity_id=entity_id[:64],
                               actor=actor[:40], since=_date(since), until=_date(until), page=page)
    rows, total = service.search(db, query)
    return render(request, "audit/log.html", {
        "rows": rows, "total": total, "page": page, "pages": max(1, -(-total // query.per_page)),
        "args": {"action": action, "entity_type": entity_type, "entity_id": entity_id, "actor": actor,
                 "since": since, "until": until},
    })
