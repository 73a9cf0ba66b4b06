"""Pydantic shapes of accounts and API tokens for the API."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from kaohe.auth.roles import Role


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
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    roles: list[Role] = Field(default=[Role.staff], max_length=len(Role))
    staff_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    display_name: str = Field(default="", max_length=100)


class RolesUpdate(BaseModel):
    roles: list[Role] = Field(max_length=len(Role))


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=60)


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
