"""Sign-in throttling that slows guessing without letting a stranger lock anyone out.

Three counters, all over the last `login_lockout_minutes`, all of failures only (a success never
resets a counter other than its own pair's, so signing in to one's own account cannot buy guesses):

- the pair (account, address): after `login_free_failures` failures each further attempt waits a
  delay that doubles from `login_delay_seconds` up to the whole window;
- the account from unfamiliar addresses: after `login_account_failures` failures from addresses
  where the account never signed in, only its familiar addresses may try;
- the address across accounts: after `login_address_failures` failures (an office behind one NAT
  shares an address, so this is high), only pairs that signed in from there before may try.

Race safety: an attempt is written and committed as `pending` in a transaction of its own BEFORE
the password is checked, and counted after. Of two concurrent attempts the one that counts last
sees the other, so a parallel burst cannot slip more guesses past the gate than the limits allow.
The request then settles its own attempt as succeeded or failed in its unit of work.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, sessionmaker

from kaohe.auth.models import LoginAttempt, LoginOutcome
from kaohe.bootstrap import unit_of_work
from kaohe.config import Settings
from kaohe.errors import TooMany
from kaohe.messages import t

FAMILIAR_DAYS = 90


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    wait_seconds: int = 0
    reason: str = ""


def _failures(db: Session, *, since: datetime, mine: int, **where: str) -> int:
    """Failed or still-pending attempts (other than `mine`) matching `where`, since `since`."""
    stmt = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.at > since, LoginAttempt.id != mine,
        LoginAttempt.outcome.in_((LoginOutcome.failed, LoginOutcome.pending)))
    for column, value in where.items():
        stmt = stmt.where(getattr(LoginAttempt, column) == value)
    return db.scalar(stmt) or 0


def _familiar(db: Session, *, username: str, ip: str, now: datetime) -> bool:
    return bool(db.scalar(select(exists().where(and_(
        LoginAttempt.username == username, LoginAttempt.ip == ip, LoginAttempt.outcome == LoginOutcome.succeeded,
        LoginAttempt.at > now - timedelta(days=FAMILIAR_DAYS))))))


def judge(db: Session, settings: Settings, *, username: str, ip: str, now: datetime, mine: int = 0) -> Verdict:
    """Whether the attempt `mine` for (username, ip) at `now` may have its password checked."""
    window = now - timedelta(minutes=settings.login_lockout_minutes)
    last_success = db.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.ip == ip, LoginAttempt.outcome == LoginOutcome.succeeded))
    pair_since = max(window, last_success) if last_success else window
    pair = _failures(db, since=pair_since, mine=mine, username=username, ip=ip)
    if pair >= settings.login_free_failures:
        delay = min(settings.login_delay_seconds * 2 ** (pair - settings.login_free_failures),
                    settings.login_lockout_minutes * 60)
        last = db.scalar(select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.ip == ip, LoginAttempt.id != mine,
            LoginAttempt.outcome.in_((LoginOutcome.failed, LoginOutcome.pending))))
        ready = (last or now) + timedelta(seconds=delay)
        # Attempts still pending count as "just now": a parallel burst waits as a whole.
        if ready > now:
            return Verdict(False, max(1, int((ready - now).total_seconds() + 0.999)), "pair")
    familiar = None
    if _failures(db, since=window, mine=mine, username=username) >= settings.login_account_failures:
        familiar = _familiar(db, username=username, ip=ip, now=now)
        if not familiar:
            return Verdict(False, settings.login_lockout_minutes * 60, "account")
    if _failures(db, since=window, mine=mine, ip=ip) >= settings.login_address_failures:
        familiar = _familiar(db, username=username, ip=ip, now=now) if familiar is None else familiar
        if not familiar:
            return Verdict(False, settings.login_lockout_minutes * 60, "address")
    return Verdict(True)


def admit(sessions: sessionmaker[Session], settings: Settings, *, username: str, ip: str, now: datetime) -> int:
    """Write the attempt as pending in its own committed transaction, then judge it; raise TooMany if
    it must wait (the attempt is then marked refused, so waiting does not lengthen the wait)."""
    username = username.strip()[:64]
    with unit_of_work(sessions) as db:
        row = LoginAttempt(username=username, ip=ip[:64], at=now, outcome=LoginOutcome.pending)
        db.add(row)
        db.flush()
        mine = row.id
    with unit_of_work(sessions) as db:
        verdict = judge(db, settings, username=username, ip=ip[:64], now=now, mine=mine)
        if not verdict.allowed:
            refused = db.get(LoginAttempt, mine)
            if refused is not None:
                refused.outcome = LoginOutcome.refused
    if not verdict.allowed:
        raise TooMany(t("auth.locked", wait=_wait_text(verdict.wait_seconds)))
    return mine


def settle(db: Session, *, attempt_id: int, succeeded: bool) -> None:
    """Record how the admitted attempt ended, in the request's unit of work."""
    row = db.get(LoginAttempt, attempt_id)
    if row is not None:
        row.outcome = LoginOutcome.succeeded if succeeded else LoginOutcome.failed


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return t("auth.wait_seconds", seconds=seconds)
    return t("auth.wait_minutes", minutes=-(-seconds // 60))
