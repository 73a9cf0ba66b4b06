"""The home page, the 待办 page and the navigation badge (loaded by HTMX after the page, so no page
waits for it)."""

from fastapi import APIRouter, Request, Response

from kaohe.clock import now
from kaohe.web.deps import CurrentPrincipal, SessionDep
from kaohe.web.templating import render
from kaohe.workspace import service

router = APIRouter()


@router.get("/")
def home(request: Request, db: SessionDep, principal: CurrentPrincipal) -> Response:
    return render(request, "workspace/home.html", {"home": service.home(db, actor=principal, now=now())})


@router.get("/todo")
def todo_page(request: Request, db: SessionDep, principal: CurrentPrincipal) -> Response:
    return render(request, "workspace/list.html", {"todos": service.todos(db, actor=principal, now=now())})


@router.get("/todo/badge")
def todo_badge(request: Request, db: SessionDep, principal: CurrentPrincipal) -> Response:
    return render(request, "workspace/_badge.html", {"count": service.todo_count(db, actor=principal, now=now())})
