"""Typed dependencies shared by every page and endpoint: the database session, who is acting,
CSRF checks, and the one access helper pages open with."""

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from kaohe.auth import service as auth_service
from kaohe.auth.models import AuthSession, User
from kaohe.auth.permissions import Perm, Principal
from kaohe.bootstrap import unit_of_work
from kaohe.config import Settings
from kaohe.errors import Forbidden, NotSignedIn, PasswordChangeRequired
from kaohe.messages import t

SESSION_COOKIE = "kaohe_session"
CSRF_COOKIE = "kaohe_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed once when the endpoint returns, rolled back if it raises.

    Scope "function" runs the commit before the response is sent, so a redirect is only sent for a
    change that is already durable, and a failed commit still becomes an error response.
    """
    with unit_of_work(request.app.state.session_factory) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def client_ip(request: Request) -> str:
    settings: Settings = request.app.state.settings
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for", "")
    trusted = {p.strip() for p in settings.trusted_proxies.split(",") if p.strip()}
    if forwarded and peer and peer in trusted:
        return forwarded.split(",")[-1].strip()[:64]
    return peer[:64]


def _resolve(request: Request, db: Session) -> tuple[User, AuthSession | None] | None:
    cached = getattr(request.state, "auth", None)
    if cached is not None:
        return cached
    found: tuple[User, AuthSession | None] | None = None
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        user = auth_service.token_user(db, authorization[7:].strip())
        found = (user, None) if user else None
    else:
        pair = auth_service.session_user(db, request.cookies.get(SESSION_COOKIE, ""))
        found = pair
    request.state.auth = found
    # Plain copies: ORM rows expire when the request's session closes, before error pages render.
    request.state.session_csrf = found[1].csrf_token if found and found[1] is not None else None
    return found


def optional_principal(request: Request, db: SessionDep) -> Principal | None:
    found = _resolve(request, db)
    if found is None:
        return None
    user, session_row = found
    principal = auth_service.principal_for(user, via_token=session_row is None)
    request.state.principal = principal
    return principal


def pending_principal(request: Request, db: SessionDep) -> Principal:
    """Signed in, possibly still on a temporary password (only password change and sign-out use this)."""
    principal = optional_principal(request, db)
    if principal is None:
        raise NotSignedIn(t("auth.sign_in_required"))
    return principal


def current_principal(request: Request, db: SessionDep) -> Principal:
    """Signed in, with a password of their own: a temporary one opens nothing but the password page."""
    principal = pending_principal(request, db)
    if principal.must_change_password:
        raise PasswordChangeRequired(t("auth.must_change_password"))
    return principal


def current_user(request: Request, db: SessionDep, principal: "PendingPrincipal") -> User:
    user = db.get(User, principal.user_id)
    assert user is not None
    return user


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
PendingPrincipal = Annotated[Principal, Depends(pending_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentUser = Annotated[User, Depends(current_user)]


def csrf_token_for(request: Request) -> str:
    """The token forms must echo: the session's when signed in, else the anonymous cookie's."""
    session_csrf = getattr(request.state, "session_csrf", None)
    return session_csrf or request.state.anon_csrf


async def csrf_protect(request: Request, db: SessionDep) -> None:
    """Refuse unsafe requests that do not echo the CSRF token (bearer-token API calls are exempt)."""
    if request.method in SAFE_METHODS:
        return
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    # Resolving the principal here also lets a refusal page show the signed-in layout.
    optional_principal(request, db)
    expected = csrf_token_for(request)
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        sent = str(form.get(CSRF_FIELD, ""))
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Forbidden(t("auth.csrf_failed"))


class Require:
    """Dependency: the current principal, if it holds every listed permission."""

    def __init__(self, *perms: Perm) -> None:
        self.perms = perms

    def __call__(self, principal: CurrentPrincipal) -> Principal:
        for perm in self.perms:
            if not principal.can(perm):
                raise Forbidden(t("common.forbidden"))
        return principal


def requires(*perms: Perm) -> type[Principal]:
    return Annotated[Principal, Depends(Require(*perms))]  # type: ignore[return-value]


def page_guard(principal: OptionalPrincipal) -> None:
    """Pages other than sign-in and password change: signed in, and not on a temporary password."""
    if principal is None:
        raise NotSignedIn(t("auth.sign_in_required"))
    if principal.must_change_password:
        raise PasswordChangeRequired(t("auth.must_change_password"))
