"""`GET /api/v1/todo`: the caller's 待办, as the home page shows them."""

from fastapi import APIRouter

from kaohe.clock import now
from kaohe.todo import total
from kaohe.web.deps import CurrentPrincipal, SessionDep
from kaohe.workspace import service
from kaohe.workspace.schemas import TodoList, TodoOut

router = APIRouter(tags=["待办"])


@router.get("/todo", summary="我的待办")
def my_todo(db: SessionDep, principal: CurrentPrincipal) -> TodoList:
    items = service.todos(db, actor=principal, now=now())
    return TodoList(total=total(items), items=[
        TodoOut(key=i.key, title=i.title, count=i.count, href=i.href, detail=i.detail, urgency=int(i.urgency))
        for i in items])
