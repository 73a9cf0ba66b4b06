"""Signing in and out, throttling, sessions and CSRF, through the HTTP client."""

import re

from sqlalchemy import select
from tests.conftest import DEMO_PASSWORD

from kaohe.audit.models import AuditEntry


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def _login(client, username: str, password: str, next_url: str = "/"):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    return client.post("/login", data={"csrf_token": _csrf(page.text), "username": username, "password": password,
                                       "next": next_url}, follow_redirects=False)


def test_it_redirects_anonymous_visitors_to_sign_in(anon):
    response = anon.get("/staff", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/staff"


def test_it_signs_in_with_the_right_password_and_shows_the_home_page(anon, accounts, db):
    response = _login(anon, accounts["hr"], DEMO_PASSWORD, "/staff")
    assert response.status_code == 303
    assert response.headers["location"] == "/staff"
    cookie = response.headers["set-cookie"]
    assert "kaohe_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    home = anon.get("/")
    assert "考核办公室" in home.text
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "auth.sign_in")) is not None


def test_it_refuses_a_wrong_password_in_chinese(anon, accounts):
    response = _login(anon, accounts["hr"], "wrong-password")
    assert response.status_code == 403
    assert "用户名或密码不正确" in response.text


def test_it_does_not_follow_an_offsite_next(anon, accounts):
    response = _login(anon, accounts["hr"], DEMO_PASSWORD, "//evil.example/")
    assert response.headers["location"] == "/"


def test_it_makes_repeated_failures_wait_before_trying_again(anon, accounts, settings):
    for _ in range(settings.login_free_failures):
        assert _login(anon, accounts["staff"], "nope-nope-nope").status_code == 403
    locked = _login(anon, accounts["staff"], DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "锁定" in locked.text and "秒后再试" in locked.text


def test_it_ignores_forwarded_addresses_unless_a_proxy_is_configured(anon, accounts, settings):
    # Rotating X-Forwarded-For must not give a guesser a fresh address each time.
    for n in range(settings.login_free_failures):
        response = anon.post("/login", data={"csrf_token": _csrf(anon.get("/login").text),
                                             "username": accounts["staff"], "password": "nope-nope-nope"},
                             headers={"X-Forwarded-For": f"198.51.100.{n}"}, follow_redirects=False)
        assert response.status_code == 403
    again = anon.post("/login", data={"csrf_token": _csrf(anon.get("/login").text), "username": accounts["staff"],
                                      "password": "nope-nope-nope"},
                      headers={"X-Forwarded-For": "198.51.100.200"}, follow_redirects=False)
    assert again.status_code == 429


def test_it_refuses_a_form_without_the_csrf_token(anon, accounts):
    response = anon.post("/login", data={"username": accounts["hr"], "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.text


def test_it_refuses_a_signed_in_post_with_a_foreign_token(client_as):
    client = client_as("hr")
    response = client.post("/staff/new", data={"csrf_token": "forged", "name": "张三"})
    assert response.status_code == 403


def test_it_signs_out_and_the_session_stops_working(client_as):
    client = client_as("staff")
    assert client.get("/", follow_redirects=False).status_code == 200
    assert client.form("/logout").status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_it_changes_the_password(client_as, anon, accounts):
    client = client_as("staff")
    response = client.form("/account/password", {"current": DEMO_PASSWORD, "new": "Better-pass-2026",
                                                  "confirm": "Better-pass-2026"})
    assert "密码已修改" in response.text
    assert _login(anon, accounts["staff"], "Better-pass-2026").status_code == 303


def test_it_explains_a_weak_new_password(client_as):
    response = client_as("staff").form("/account/password", {"current": DEMO_PASSWORD, "new": "12345678901",
                                                             "confirm": "12345678901"})
    assert response.status_code == 422
    assert "过于简单" in response.text


def test_it_lets_an_admin_reset_a_password_that_must_then_be_changed(client_as, anon, accounts, db):
    from kaohe.auth.models import User

    user = db.scalar(select(User).where(User.username == accounts["staff"]))
    page = client_as("admin").form(f"/admin/users/{user.id}/reset-password")
    temporary = re.search(r"临时密码为：(\S+?)（", page.text).group(1)
    assert _login(anon, accounts["staff"], DEMO_PASSWORD).status_code == 403
    response = _login(anon, accounts["staff"], temporary)
    assert response.headers["location"] == "/account/password"
    assert anon.get("/staff", follow_redirects=False).headers["location"] == "/account/password"
