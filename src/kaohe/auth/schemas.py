"""Pydantic shapes of accounts and API tokens for the API."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from kaohe.auth.roles import Role
from kaohe.web.inputs import Id, Text


class Me(BaseModel):
    user_id: int
    username: str
    display_name: str
    staff_id: int | None
    roles: list[Role]


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    staff_id: int | None
    display_name: str
    is_active: bool
    roles: list[Role]


class UserCreate(BaseModel):
    username: Text(64, min_length=1)
    password: Text(256, min_length=1)
    roles: list[Role] = Field(default=[Role.staff], max_length=len(Role))
    staff_id: Id | None = None
    display_name: Text(60) = ""


class RolesUpdate(BaseModel):
    roles: list[Role] = Field(max_length=len(Role))


class TokenCreate(BaseModel):
    name: Text(60, min_length=1)


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    token: str
