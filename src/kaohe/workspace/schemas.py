"""What `GET /api/v1/todo` answers."""

from pydantic import BaseModel, Field


class TodoOut(BaseModel):
    key: str = Field(description="稳定标识，如 records.review")
    title: str
    count: int
    href: str = Field(description="办理该事项的页面")
    detail: str
    urgency: int = Field(description="0 一般，1 即将到期，2 已逾期")


class TodoList(BaseModel):
    total: int = Field(description="待办总数，与导航栏角标一致")
    items: list[TodoOut]
