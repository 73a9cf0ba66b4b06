"""Sign-in, sessions, passwords, accounts and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kaohe.audit import service as audit
from kaohe.auth import passwords, throttle
from kaohe.auth.models import ApiToken, AuthSession, LoginAttempt, RoleGrant, User
from kaohe.auth.permissions import Grant, Perm, Principal
from kaohe.auth.roles import Role
from kaohe.config import Settings
from kaohe.db import utcnow
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.messages import t
from kaohe.org.enums import label
from kaohe.org.models import Staff

TOKEN_PREFIX = "kh_"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def principal_for(user: User, *, via_token: bool = False) -> Principal:
    staff = user.staff
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name or (staff.name if staff else user.username),
        staff_id=staff.id if staff else None,
        staff_department_id=staff.department_id if staff else None,
        grants=tuple(Grant(g.role, g.department_id) for g in user.grants),
        via_token=via_token,
        must_change_password=user.must_change_password,
    )


def authenticate(db: Session, *, username: str, password: str, attempt_id: int) -> User:
    """The active user with these credentials, or raise. `attempt_id` is the attempt that
    `throttle.admit` let through; its outcome is settled here, in the caller's unit of work."""
    username = username.strip()
    user = db.scalar(select(User).where(User.username == username))
    ok = passwords.verify_password(user.password_hash if user else None, password)
    throttle.settle(db, attempt_id=attempt_id, succeeded=bool(ok and user and user.is_active))
    if not ok or user is None:
        raise Forbidden(t("auth.bad_credentials"))
    if not user.is_active:
        raise Forbidden(t("auth.inactive"))
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def open_session(db: Session, settings: Settings, *, user: User, ip: str, user_agent: str) -> tuple[str, AuthSession]:
    """Start a session; returns the cookie value (never stored) and the row."""
    token = secrets.token_urlsafe(32)
    row = AuthSession(
        id=sha256(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=utcnow() + timedelta(hours=settings.session_hours),
        ip=ip[:64],
        user_agent=user_agent[:255],
    )
    db.add(row)
    audit.record(db, actor=principal_for(user), action="auth.sign_in", entity_type="user",
                 entity_id=user.id, summary=t("auth.audit_sign_in"), ip=ip)
    # Expired sessions are swept whenever someone signs in, so the table stays small without a job.
    db.execute(delete(AuthSession).where(AuthSession.expires_at < utcnow()))
    db.flush()
    return token, row


def session_user(db: Session, token: str) -> tuple[User, AuthSession] | None:
    if not token:
        return None
    row = db.get(AuthSession, sha256(token))
    if row is None or row.expires_at < utcnow():
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return user, row


def close_session(db: Session, *, token: str, actor: Principal) -> None:
    db.execute(delete(AuthSession).where(AuthSession.id == sha256(token)))
    audit.record(db, actor=actor, action="auth.sign_out", entity_type="user", entity_id=actor.user_id,
                 summary=t("auth.audit_sign_out"))
    db.flush()


def _revoke_tokens(db: Session, user: User) -> int:
    """A new password ends the account's API tokens too: a token must not outlive the password it was
    issued under (whoever knew the old password could have made one)."""
    rows = list(db.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))))
    for row in rows:
        row.revoked_at = utcnow()
    return len(rows)


def change_password(db: Session, *, user: User, current: str, new: str, keep_session: str | None = None) -> None:
    """The user changes their own password; their other sessions end."""
    if not passwords.verify_password(user.password_hash, current):
        raise Invalid(t("auth.current_password_wrong"))
    passwords.check_policy(new, username=user.username)
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    stmt = delete(AuthSession).where(AuthSession.user_id == user.id)
    if keep_session:
        stmt = stmt.where(AuthSession.id != sha256(keep_session))
    db.execute(stmt)
    revoked = _revoke_tokens(db, user)
    audit.record(db, actor=principal_for(user), action="auth.password_change", entity_type="user",
                 entity_id=user.id, summary=t("auth.audit_password_change"), after={"tokens_revoked": revoked})
    db.flush()


def reset_password(db: Session, *, actor: Principal, user_id: int) -> str:
    """An administrator sets a one-time password; the user must change it at next sign-in."""
    if not actor.can(Perm.user_admin):
        raise Forbidden(t("common.forbidden"))
    user = db.get(User, user_id)
    if user is None:
        raise NotFound(t("auth.user_not_found"))
    temporary = secrets.token_urlsafe(9)
    user.password_hash = passwords.hash_password(temporary)
    user.must_change_password = True
    user.password_changed_at = utcnow()
    db.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
    db.execute(delete(LoginAttempt).where(LoginAttempt.username == user.username))
    revoked = _revoke_tokens(db, user)
    audit.record(db, actor=actor, action="user.reset_password", entity_type="user", entity_id=user.id,
                 summary=t("auth.audit_reset", username=user.username), after={"tokens_revoked": revoked})
    db.flush()
    return temporary


def create_user(
    db: Session,
    *,
    actor: Principal | None,
    username: str,
    password: str,
    roles: list[Role],
    staff_id: int | None = None,
    display_name: str = "",
    check_policy: bool = True,
    password_hash: str | None = None,
) -> User:
    """Create an account with its roles (actor None means the CLI or the demo builder)."""
    if actor is not None and not actor.can(Perm.user_admin):
        raise Forbidden(t("common.forbidden"))
    username = username.strip()
    if not username or len(username) > 64:
        raise Invalid(t("auth.username_invalid"))
    if db.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(t("auth.username_taken", username=username))
    if staff_id is not None and db.scalar(select(User.id).where(User.staff_id == staff_id)) is not None:
        raise Conflict(t("auth.staff_has_account"))
    if staff_id is not None and db.get(Staff, staff_id) is None:  # else the foreign key refuses it: a 500
        raise NotFound(t("org.staff_not_found"))
    if check_policy:
        passwords.check_policy(password, username=username)
    user = User(
        username=username,
        password_hash=password_hash or passwords.hash_password(password),
        staff_id=staff_id,
        display_name=display_name,
        grants=[RoleGrant(role=r) for r in dict.fromkeys(roles)],
    )
    db.add(user)
    db.flush()
    audit.record(db, actor=actor, action="user.create", entity_type="user", entity_id=user.id,
                 summary=t("auth.audit_create", username=username,
                           roles="、".join(label(r) for r in roles)),
                 after={"username": username, "roles": [r.value for r in roles], "staff_id": staff_id})
    return user


def set_roles(db: Session, *, actor: Principal, user_id: int, roles: list[Role]) -> User:
    if not actor.can(Perm.user_admin):
        raise Forbidden(t("common.forbidden"))
    user = db.get(User, user_id)
    if user is None:
        raise NotFound(t("auth.user_not_found"))
    before = sorted(g.role.value for g in user.grants)
    if user.id == actor.user_id and Role.admin not in roles and Role.admin in {g.role for g in user.grants}:
        raise Invalid(t("auth.cannot_drop_own_admin"))
    user.grants = [g for g in user.grants if g.role in roles]
    have = {g.role for g in user.grants}
    user.grants.extend(RoleGrant(role=r) for r in dict.fromkeys(roles) if r not in have)
    audit.record(db, actor=actor, action="user.roles", entity_type="user", entity_id=user.id,
                 summary=t("auth.audit_roles", username=user.username),
                 before={"roles": before}, after={"roles": sorted(r.value for r in roles)})
    db.flush()
    return user


def set_active(db: Session, *, actor: Principal, user_id: int, active: bool) -> User:
    if not actor.can(Perm.user_admin):
        raise Forbidden(t("common.forbidden"))
    user = db.get(User, user_id)
    if user is None:
        raise NotFound(t("auth.user_not_found"))
    if user.id == actor.user_id and not active:
        raise Invalid(t("auth.cannot_deactivate_self"))
    before = user.is_active
    user.is_active = active
    if not active:
        db.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
    audit.record(db, actor=actor, action="user.activate" if active else "user.deactivate",
                 entity_type="user", entity_id=user.id, summary=user.username,
                 before={"is_active": before}, after={"is_active": active})
    db.flush()
    return user


def create_token(db: Session, *, actor: Principal, name: str) -> tuple[str, ApiToken]:
    """A new personal API token for the actor; the secret is shown once and only its hash kept."""
    name = name.strip()
    if not name or len(name) > 60:
        raise Invalid(t("auth.token_name_invalid"))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=actor.user_id, name=name, prefix=secret[:10], token_hash=sha256(secret))
    db.add(row)
    db.flush()
    audit.record(db, actor=actor, action="token.create", entity_type="api_token", entity_id=row.id,
                 summary=t("auth.audit_token_create", name=name))
    db.flush()
    return secret, row


def revoke_token(db: Session, *, actor: Principal, token_id: int) -> None:
    row = db.get(ApiToken, token_id)
    if row is None or (row.user_id != actor.user_id and not actor.can(Perm.user_admin)):
        raise NotFound(t("auth.token_not_found"))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(db, actor=actor, action="token.revoke", entity_type="api_token", entity_id=row.id,
                     summary=t("auth.audit_token_revoke", name=row.name))
        db.flush()


def token_user(db: Session, secret: str) -> User | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    row = db.scalar(select(ApiToken).where(ApiToken.token_hash == sha256(secret)))
    if row is None or row.revoked_at is not None:
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    now = utcnow()
    # Touch at most once a minute so API reads do not turn into writes on every call.
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now
        db.flush()
    return user


def list_tokens(db: Session, *, actor: Principal) -> list[ApiToken]:
    return list(db.scalars(select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id.desc())))
