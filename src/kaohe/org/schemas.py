"""Pydantic shapes of departments and staff for the API and the forms."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kaohe.org.enums import DepartmentKind, Level, PostCategory, StaffStatus
from kaohe.web.inputs import Id, Text


class DepartmentBase(BaseModel):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: Text(100, min_length=1)
    kind: DepartmentKind
    is_pilot: bool = False
    rollout_batch: int = Field(default=1, ge=1, le=12)


class DepartmentCreate(DepartmentBase):
    leader_no: Text(32) | None = None
    head_no: Text(32) | None = None
    liaison_no: Text(32) | None = None


class DepartmentUpdate(DepartmentCreate):
    pass


class DepartmentRead(DepartmentBase):
    model_config = ConfigDict(from_attributes=True)
    id: int
    is_active: bool
    leader_id: int | None
    head_id: int | None
    liaison_id: int | None


class StaffBase(BaseModel):
    name: Text(20, min_length=2)
    gender: str | None = Field(default=None, pattern="^(男|女)$")
    department_id: Id
    post_category: PostCategory
    level: Level
    title: Text(40) = ""
    post_name: Text(60) = ""
    supervisor_no: Text(32) | None = None
    hired_on: date | None = None
    phone: str | None = Field(default=None, pattern=r"^(\+86)?1\d{10}$")

    @field_validator("name", "title", "post_name")
    @classmethod
    def _no_formula(cls, value: str) -> str:
        value = value.strip()
        if value[:1] in ("=", "+", "-", "@"):
            raise ValueError("不能以 = + - @ 开头")
        return value

    @field_validator("supervisor_no", "phone", "gender", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class StaffCreate(StaffBase):
    employee_no: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")


class StaffUpdate(StaffBase):
    pass


class StaffRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    employee_no: str
    name: str
    gender: str | None
    department_id: int
    post_category: PostCategory
    level: Level
    title: str
    post_name: str
    supervisor_id: int | None
    hired_on: date | None
    status: StaffStatus


class StaffPage(BaseModel):
    items: list[StaffRead]
    total: int
    page: int
    per_page: int


class ImportResult(BaseModel):
    created: int
    updated: int
