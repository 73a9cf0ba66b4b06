"""Sign-in throttling against a real database: strangers cannot lock the user out, guesses slow
down, one's own success buys no guesses, and a parallel burst is judged as a whole."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kaohe.auth import service, throttle
from kaohe.auth.models import LoginAttempt, LoginOutcome
from kaohe.bootstrap import Database
from kaohe.config import Settings
from kaohe.errors import Forbidden, TooMany

PASSWORD = "demo-Passw0rd-2026"  # the test demo unit's password (tests/conftest.py)
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def database(demo_url):  # type: ignore[no-untyped-def]
    database = Database.connect(demo_url)
    yield database
    database.dispose()


@pytest.fixture
def settings(demo_url) -> Settings:  # type: ignore[no-untyped-def]
    # Smaller limits than the defaults keep the test quick; the rules are the same.
    return Settings(database_url=demo_url, environment="test", secret_key="x" * 40, login_account_failures=12,
                    login_address_failures=24)


def sign_in(database: Database, settings: Settings, username: str, password: str, ip: str, at: datetime) -> str:
    """One sign-in as the login page does it: admit, then check in the request's unit of work."""
    try:
        attempt = throttle.admit(database.sessions, settings, username=username, ip=ip, now=at)
    except TooMany as refused:
        return f"wait:{refused.message}"
    try:
        with database.unit_of_work() as db:
            service.authenticate(db, username=username, password=password, attempt_id=attempt)
    except Forbidden:
        # The refusal is shown, and the failure is still recorded, as on the page.
        with database.unit_of_work() as db:
            throttle.settle(db, attempt_id=attempt, succeeded=False)
        return "wrong"
    return "ok"


def test_a_stranger_cannot_lock_the_user_out_of_their_usual_place(database, settings, accounts):
    user = accounts["staff"]
    assert sign_in(database, settings, user, PASSWORD, "10.0.0.5", T0) == "ok"  # the office desk
    for n in range(settings.login_account_failures + 8):  # someone elsewhere, guessing
        sign_in(database, settings, user, f"guess-{n}", f"203.0.113.{n % 7}", T0 + timedelta(minutes=1, seconds=n))
    assert sign_in(database, settings, user, PASSWORD, "10.0.0.5", T0 + timedelta(minutes=2)) == "ok"
    # A new address is what the account-wide limit holds back while the guessing goes on.
    fresh = sign_in(database, settings, user, PASSWORD, "198.51.100.9", T0 + timedelta(minutes=2))
    assert fresh.startswith("wait:")


def test_guesses_from_one_place_wait_longer_and_longer(database, settings, accounts):
    user, ip = accounts["staff2"], "192.0.2.44"
    at = T0
    for _ in range(settings.login_free_failures):
        assert sign_in(database, settings, user, "nope-nope", ip, at) == "wrong"
    waits = []
    for _ in range(4):
        refused = sign_in(database, settings, user, "nope-nope", ip, at + timedelta(seconds=1))
        assert refused.startswith("wait:") and "后再试" in refused
        # Try again exactly when allowed: the wait doubles each time.
        step = settings.login_delay_seconds * 2 ** len(waits)
        waits.append(step)
        at = at + timedelta(seconds=step)
        assert sign_in(database, settings, user, "nope-nope", ip, at) == "wrong"
    assert waits == [5, 10, 20, 40]
    # The right password after the last wait still gets in: the user is slowed, not locked out.
    assert sign_in(database, settings, user, PASSWORD, ip, at + timedelta(seconds=80)) == "ok"


def test_ones_own_success_buys_no_guesses_at_others(database, settings, accounts):
    ip, mine = "192.0.2.99", accounts["staff_rep"]
    targets = [a for role, a in accounts.items() if role not in ("staff_rep",)]
    at, checked = T0, 0
    for n in range(settings.login_address_failures + 30):
        if n % 5 == 0:
            assert sign_in(database, settings, mine, PASSWORD, ip, at) == "ok"
        if sign_in(database, settings, targets[n % len(targets)], f"guess-{n}", ip, at) == "wrong":
            checked += 1
        at += timedelta(seconds=2)
    assert checked <= settings.login_address_failures
    # The address's own regular user still signs in there.
    assert sign_in(database, settings, mine, PASSWORD, ip, at) == "ok"


def test_a_parallel_burst_cannot_slip_past_the_gate(database, settings, accounts):
    user, ip = accounts["hr"], "192.0.2.7"
    results: list[str] = []
    start = threading.Barrier(11)

    def one(password: str) -> None:
        start.wait()
        results.append(sign_in(database, settings, user, password, ip, T0))

    threads = [threading.Thread(target=one, args=(f"wrong-{n}",)) for n in range(10)]
    threads.append(threading.Thread(target=one, args=(PASSWORD,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with database.sessions() as db:
        checked = db.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == user, LoginAttempt.outcome.in_((LoginOutcome.failed, LoginOutcome.succeeded))))
    assert len(results) == 11
    assert checked <= settings.login_free_failures, results
    assert sum(r.startswith("wait:") for r in results) >= 11 - settings.login_free_failures
