"""Pydantic shapes of departments and staff for the API and the forms."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kaohe.org.enums import DepartmentKind, Level, PostCategory, StaffStatus


class DepartmentBase(BaseModel):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=100)
    kind: DepartmentKind
    is_pilot: bool = False
    rollout_batch: int = Field(default=1, ge=1, le=12)


class DepartmentCreate(DepartmentBase):
    leader_no: str | None = None
    head_no: str | None = None
    liaison_no: str | None = None


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
    name: str = Field(min_length=2, max_length=20)
    gender: str | None = Field(default=None, pattern="^(男|女)$")
    department_id: int
    post_category: PostCategory
    level: Level
    title: str = Field(default="", max_length=40)
    post_name: str = Field(default="", max_length=60)
    supervisor_no: str | None = Field(default=None, max_length=32)
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
