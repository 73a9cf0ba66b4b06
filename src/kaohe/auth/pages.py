"""Sign-in, sign-out, password change and personal API tokens (HTML)."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from kaohe.auth import service, throttle
from kaohe.clock import now
from kaohe.errors import Forbidden, Invalid, TooMany
from kaohe.messages import t
from kaohe.web.deps import (
    SESSION_COOKIE,
    CurrentPrincipal,
    CurrentUser,
    OptionalPrincipal,
    PendingPrincipal,
    SessionDep,
    SettingsDep,
    client_ip,
)
from kaohe.web.forms import done
from kaohe.web.inputs import Id, Text
from kaohe.web.templating import render

router = APIRouter()
NEXT_MAX = 2000  # the page to go to after signing in, a path of this site


def _safe_next(target: str) -> str:
    parts = urlsplit(target or "/")
    # Only same-site relative paths; "//evil" and absolute URLs are not followed.
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, principal: OptionalPrincipal, next: Text(NEXT_MAX) = "/") -> Response:
    if principal is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": _safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    username: Annotated[Text(64), Form()],
    password: Annotated[Text(256), Form()],
    next: Annotated[Text(NEXT_MAX), Form()] = "/",
) -> Response:
    try:
        # The attempt is counted in a transaction of its own before the password is checked.
        attempt_id = throttle.admit(request.app.state.session_factory, settings, username=username,
                                    ip=client_ip(request), now=now())
        user = service.authenticate(db, username=username, password=password, attempt_id=attempt_id)
    except (Forbidden, TooMany) as exc:
        return render(request, "auth/login.html", {"next": _safe_next(next), "error": exc.message,
                                                   "username": username}, status_code=exc.status_code)
    token, _row = service.open_session(db, settings, user=user, ip=client_ip(request),
                                       user_agent=request.headers.get("user-agent", ""))
    target = "/account/password" if user.must_change_password else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.https,
                        max_age=settings.session_hours * 3600)
    return response


@router.post("/logout")
def logout(request: Request, db: SessionDep, principal: PendingPrincipal) -> Response:
    service.close_session(db, token=request.cookies.get(SESSION_COOKIE, ""), actor=principal)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/account/password")
def password_form(request: Request, user: CurrentUser) -> Response:
    return render(request, "auth/password.html", {"forced": user.must_change_password})


@router.post("/account/password")
def change_password(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    current: Annotated[Text(256), Form()],
    new: Annotated[Text(256), Form()],
    confirm: Annotated[Text(256), Form()],
) -> Response:
    try:
        if new != confirm:
            raise Invalid(t("auth.password_mismatch"))
        service.change_password(db, user=user, current=current, new=new,
                                keep_session=request.cookies.get(SESSION_COOKIE))
    except Invalid as exc:
        return render(request, "auth/password.html", {"error": exc.message, "forced": user.must_change_password},
                      status_code=422)
    return render(request, "auth/password.html", {"notice": t("auth.password_changed")})


@router.get("/account/tokens")
def tokens(request: Request, db: SessionDep, principal: CurrentPrincipal) -> Response:
    return render(request, "auth/tokens.html", {"tokens": service.list_tokens(db, actor=principal)})


@router.post("/account/tokens")
def create_token(
    request: Request, db: SessionDep, principal: CurrentPrincipal, name: Annotated[Text(60), Form()]
) -> Response:
    try:
        secret, _row = service.create_token(db, actor=principal, name=name)
    except Invalid as exc:
        return render(request, "auth/tokens.html", {"tokens": service.list_tokens(db, actor=principal),
                                                    "error": exc.message}, status_code=422)
    return render(request, "auth/tokens.html", {"tokens": service.list_tokens(db, actor=principal),
                                                "secret": secret})


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: Id, db: SessionDep, principal: CurrentPrincipal) -> Response:
    service.revoke_token(db, actor=principal, token_id=token_id)
    return done("/account/tokens", "token_revoked")
