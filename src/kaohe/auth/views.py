"""Accounts and personal API tokens over /api/v1."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from kaohe.auth import service
from kaohe.auth.models import User
from kaohe.auth.permissions import Perm
from kaohe.auth.schemas import Me, RolesUpdate, TokenCreate, TokenCreated, TokenRead, UserCreate, UserRead
from kaohe.web.deps import CurrentPrincipal, SessionDep, requires
from kaohe.web.inputs import Id

router = APIRouter(tags=["账号"])


def _user_read(user: User) -> UserRead:
    return UserRead(id=user.id, username=user.username, staff_id=user.staff_id, display_name=user.display_name,
                    is_active=user.is_active, roles=[g.role for g in user.grants])


@router.get("/me", response_model=Me, summary="当前账号")
def me(principal: CurrentPrincipal) -> Me:
    return Me(user_id=principal.user_id, username=principal.username, display_name=principal.display_name,
              staff_id=principal.staff_id, roles=sorted(principal.roles))


@router.get("/users", response_model=list[UserRead], summary="账号列表")
def list_users(db: SessionDep, principal: requires(Perm.user_admin)) -> list[UserRead]:
    return [_user_read(u) for u in db.scalars(select(User).order_by(User.username))]


@router.post("/users", response_model=UserRead, status_code=201, summary="新增账号")
def create_user(body: UserCreate, db: SessionDep, principal: requires(Perm.user_admin)) -> UserRead:
    user = service.create_user(db, actor=principal, username=body.username, password=body.password,
                               roles=body.roles, staff_id=body.staff_id, display_name=body.display_name)
    return _user_read(user)


@router.put("/users/{user_id}/roles", response_model=UserRead, summary="设置账号角色")
def set_roles(user_id: Id, body: RolesUpdate, db: SessionDep, principal: requires(Perm.user_admin)) -> UserRead:
    return _user_read(service.set_roles(db, actor=principal, user_id=user_id, roles=body.roles))


@router.post("/users/{user_id}/reset-password", summary="重置密码（返回一次性临时密码）")
def reset_password(user_id: Id, db: SessionDep, principal: requires(Perm.user_admin)) -> dict[str, str]:
    return {"temporary_password": service.reset_password(db, actor=principal, user_id=user_id)}


@router.get("/tokens", response_model=list[TokenRead], summary="我的 API 令牌")
def list_tokens(db: SessionDep, principal: CurrentPrincipal) -> list[Any]:
    return service.list_tokens(db, actor=principal)


@router.post("/tokens", response_model=TokenCreated, status_code=201, summary="生成 API 令牌")
def create_token(body: TokenCreate, db: SessionDep, principal: CurrentPrincipal) -> TokenCreated:
    secret, row = service.create_token(db, actor=principal, name=body.name)
    return TokenCreated(token=secret, **TokenRead.model_validate(row).model_dump())


@router.delete("/tokens/{token_id}", status_code=204, summary="吊销 API 令牌")
def revoke_token(token_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Response:
    service.revoke_token(db, actor=principal, token_id=token_id)
    return Response(status_code=204)
