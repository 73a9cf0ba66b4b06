"""The audit log for inspectors, HR and administrators: read only, filterable."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from kaohe.audit import display, service
from kaohe.auth.permissions import Perm
from kaohe.clock import zone
from kaohe.web.deps import SessionDep, requires
from kaohe.web.inputs import Page, Text
from kaohe.web.templating import render

router = APIRouter()


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/audit")
def audit_log(request: Request, db: SessionDep, principal: requires(Perm.audit_read),
              action: Text(60) = "", entity_type: Text(40) = "", entity_id: Text(64) = "", actor: Text(80) = "",
              since: Text(10) = "", until: Text(10) = "", page: Annotated[Page, Query()] = 1) -> Response:
    query = service.AuditQuery(action=action[:60], entity_type=entity_type[:40], entity_id=entity_id[:64],
                               actor=actor[:40], since=_date(since), until=_date(until), page=page)
    rows, total = service.search(db, query)
    here = zone()
    views = [display.entry_view(action=e.action, entity_type=e.entity_type, entity_id=e.entity_id,
                                before=e.before, after=e.after, zone=here) for e in rows]
    return render(request, "audit/log.html", {
        "rows": list(zip(rows, views, strict=True)), "total": total, "page": page,
        "pages": max(1, -(-total // query.per_page)),
        "action_groups": display.action_groups(), "entity_kinds": display.entity_kinds(),
        "args": {"action": action, "entity_type": entity_type, "entity_id": entity_id, "actor": actor,
                 "since": since, "until": until},
    })
