"""Who may do what: every demo role and an anonymous visitor against every page and API endpoint.

The expectations are written out by hand below, from the rules of the scheme, not computed from
`ROLE_PERMISSIONS`, so that this test fails when the code grants or refuses the wrong thing:

* staff and staff_rep see only themselves; a leader sees themself and the people whose 分管领导
  they are; dept_head and liaison see their department; committee sees the whole unit, read only;
* the inspector reads everything (staff, audit log, roster export) and changes nothing;
* hr manages staff, departments, roster import/export and the calendar, and reads the audit log;
* only admin manages accounts (/admin/users, /api/v1/users, password resets).

Reading the table: one row per endpoint, one column per account (see COLUMNS):
  ok     allowed: the row's success status (and a 303 that does not send the user to sign in)
  403    denied
  404    the resource is outside the caller's data scope (or does not exist)
  login  anonymous visitor on a page: 303 to /login?next=...
  401    anonymous caller of the API

Speed: reads, refused changes and allowed additions (a new department, person, account or token
with a unique code) run against one demo database per backend, shared by the whole module: nothing
they do changes what another case sees. An allowed change to existing data (a password, a session,
roles, a staff record, a department) gets a fresh database of its own through the usual fixtures.
"""

import itertools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import DEMO_PASSWORD, Client

from kaohe.auth import service as auth_service
from kaohe.auth.models import ApiToken, User
from kaohe.config import Settings
from kaohe.messages import t
from kaohe.org.models import Department, Staff

COLUMNS = ("admin", "hr", "leader", "dept_head", "liaison", "committee", "inspector", "staff_rep", "staff",
           "staff2", "anon")
MISSING_ID = 987654

# A roster file with one new person (the employee number is filled in per case).
ROSTER_CSV = (
    "工号,姓名,性别,部门,岗位类别,职级,职务,岗位名称,分管领导工号,入职日期,手机号,状态\n"
    "{no},矩阵测试,男,政务服务一科,管理岗,初级,科员,窗口服务岗,,2020-01-01,,在职\n"
)
CALENDAR_CSV = "日期,类型,名称\n2027-10-01,放假,国庆节\n2027-10-09,调休上班,国庆节\n2027-11-03,单位停工,闭馆维护\n"
NEW_PASSWORD = "Better-pass-2026"


# --- request bodies ----------------------------------------------------------------------------
# Each takes the case context and returns keyword arguments for the request: form=, json=, files=.

@dataclass
class Ctx:
    ids: dict[str, int]
    accounts: dict[str, str]
    uniq: str


def staff_form(c: Ctx) -> dict:
    return {"form": {"employee_no": f"T{c.uniq}", "name": "矩阵测试", "department_id": str(c.ids["zw1"]),
                     "post_category": "management", "level": "junior"}}


def staff_edit_form(c: Ctx) -> dict:
    return {"form": {"name": "矩阵改名", "department_id": str(c.ids["zw1"]), "post_category": "management",
                     "level": "junior", "supervisor_no": c.accounts["leader"]}}


def staff_json(c: Ctx) -> dict:
    return {"json": {"employee_no": f"T{c.uniq}", "name": "矩阵测试", "department_id": c.ids["zw1"],
                     "post_category": "management", "level": "junior"}}


def staff_update_json(c: Ctx) -> dict:
    return {"json": {"name": "矩阵改名", "department_id": c.ids["zw1"], "post_category": "management",
                     "level": "junior", "supervisor_no": c.accounts["leader"]}}


def department_form(c: Ctx) -> dict:
    return {"form": {"code": f"M{c.uniq}", "name": f"矩阵部门{c.uniq}", "kind": "general", "rollout_batch": "1"}}


def zw1_fields(c: Ctx) -> dict:
    return {"code": "ZW1", "name": "政务服务一科", "kind": "frontline", "rollout_batch": 2,
            "leader_no": c.accounts["leader"], "head_no": c.accounts["dept_head"],
            "liaison_no": c.accounts["liaison"]}


def department_edit_form(c: Ctx) -> dict:
    return {"form": {**{k: str(v) for k, v in zw1_fields(c).items()}, "is_pilot": "on"}}


def department_json(c: Ctx) -> dict:
    return {"json": {"code": f"M{c.uniq}", "name": f"矩阵部门{c.uniq}", "kind": "general"}}


def department_update_json(c: Ctx) -> dict:
    return {"json": {**zw1_fields(c), "is_pilot": True}}


def roster_file(c: Ctx) -> dict:
    return {"files": {"file": ("roster.csv", ROSTER_CSV.format(no=f"R{c.uniq}").encode(), "text/csv")}}


def calendar_file(c: Ctx) -> dict:
    return {"form": {"year": "2027"}, "files": {"file": ("2027.csv", CALENDAR_CSV.encode(), "text/csv")}}


def calendar_file_only(c: Ctx) -> dict:
    return {"files": {"file": ("2027.csv", CALENDAR_CSV.encode(), "text/csv")}}


def calendar_day_form(c: Ctx) -> dict:
    return {"form": {"day": "2026-11-05", "kind": "closure", "name": "矩阵闭馆"}}


def user_form(c: Ctx) -> dict:
    return {"form": {"username": f"u{c.uniq}", "password": "Matrix-pass-2026", "roles": ["staff"]}}


def user_json(c: Ctx) -> dict:
    return {"json": {"username": f"u{c.uniq}", "password": "Matrix-pass-2026", "roles": ["staff"]}}


def password_form(c: Ctx) -> dict:
    return {"form": {"current": DEMO_PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}}


def form(**data: Any) -> Callable[[Ctx], dict]:
    return lambda c: {"form": dict(data)}


def json_body(**data: Any) -> Callable[[Ctx], dict]:
    return lambda c: {"json": dict(data)}


# --- the table ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    method: str
    path: str  # {staff}, {staff2}, {leader}: those accounts' staff records; {zw1}: 政务服务一科;
    #            {user}: staff2's account; {token}: the caller's own API token; {others_token}: staff's token
    expect: str  # one word per entry of COLUMNS
    ok: int | tuple[int, ...] = 200
    body: Callable[[Ctx], dict] | None = None
    # What an allowed call does to the data: "adds" new rows only (unique per case, invisible to the
    # other cases, so it runs on the shared database) or "changes" existing ones (sessions, passwords,
    # roles, records the other cases look at: it runs on a database of its own).
    writes: str = ""
    to: str | None = None  # where an allowed 303 must lead, when it matters


# Row patterns for the ten accounts; each row of the table appends the anonymous visitor's word.
#   columns:   admin hr  leader dept_head liaison committee inspector staff_rep staff staff2
ALL = "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"
HR = "ok  ok  403 403 403 403 403 403 403 403"
ADMIN = "ok  403 403 403 403 403 403 403 403 403"
AUDIT = "ok  ok  403 403 403 403 ok  403 403 403"
# Roster export: hr, the inspector, and those who see a part of the unit (at their own scope). The
# committee account also holds the leader role (the 主任 is the 分管领导 of the leadership team).
EXPORT = "ok  ok  ok  ok  ok  ok  ok  403 403 403"
NONE_FOUND = "404 404 404 404 404 404 404 404 404 404"

SEE_STAFF = "ok  ok  ok  ok  ok  ok  ok  404 ok  404"  # 政务服务一科科员: leader supervises, dept's own
SEE_STAFF2 = "ok  ok  404 404 404 ok  ok  404 404 ok"  # 信息技术科 engineer: another leader, another dept
SEE_LEADER = "ok  ok  ok  404 404 ok  ok  404 404 404"  # the 副主任 in the leadership team
OTHERS_TOKEN = "ok  404 404 404 404 404 404 404 ok  404"  # a token of staff's: its owner and admin

PAGES: list[Row] = [
    Row("GET", "/healthz", ALL + " ok"),
    Row("GET", "/api/v1/openapi.json", ALL + " ok"),
    Row("GET", "/login", ALL + " ok", ok=(200, 303)),
    Row("POST", "/login", ALL + " ok", ok=303),
    Row("POST", "/logout", ALL + " login", ok=303, writes="changes", to="/login"),
    Row("GET", "/account/password", ALL + " login"),
    Row("POST", "/account/password", ALL + " login", body=password_form, writes="changes"),
    Row("GET", "/account/tokens", ALL + " login"),
    Row("POST", "/account/tokens", ALL + " login", body=form(name="matrix"), writes="adds"),
    Row("POST", "/account/tokens/{token}/revoke", ALL + " login", ok=303, writes="changes"),
    Row("POST", "/account/tokens/{others_token}/revoke", OTHERS_TOKEN + " login", ok=303, writes="changes"),
    Row("GET", "/", ALL + " login"),
    Row("GET", "/staff", ALL + " login"),
    Row("GET", "/staff/{staff}", SEE_STAFF + " login"),
    Row("GET", "/staff/{staff2}", SEE_STAFF2 + " login"),
    Row("GET", "/staff/{leader}", SEE_LEADER + " login"),
    Row("GET", "/staff/{missing}", NONE_FOUND + " login"),
    Row("GET", "/staff/new", HR + " login"),
    Row("POST", "/staff/new", HR + " login", ok=303, body=staff_form, writes="adds"),
    Row("GET", "/staff/{staff}/edit", HR + " login"),
    Row("POST", "/staff/{staff}/edit", HR + " login", ok=303, body=staff_edit_form, writes="changes"),
    Row("POST", "/staff/{staff}/status", HR + " login", ok=303, body=form(status="inactive"), writes="changes"),
    Row("GET", "/departments", ALL + " login"),
    Row("GET", "/departments/new", HR + " login"),
    Row("POST", "/departments/new", HR + " login", ok=303, body=department_form, writes="adds"),
    Row("GET", "/departments/{zw1}/edit", HR + " login"),
    Row("POST", "/departments/{zw1}/edit", HR + " login", ok=303, body=department_edit_form, writes="changes"),
    Row("GET", "/roster/import", HR + " login"),
    Row("POST", "/roster/import", HR + " login", body=roster_file, writes="adds"),
    Row("GET", "/roster/export", EXPORT + " login"),
    Row("GET", "/audit", AUDIT + " login"),
    Row("GET", "/calendar", ALL + " login"),
    Row("POST", "/calendar/import", HR + " login", body=calendar_file, writes="adds"),
    Row("POST", "/calendar/seed", HR + " login", writes="adds"),
    Row("POST", "/calendar/days", HR + " login", ok=303, body=calendar_day_form, writes="adds"),
    Row("GET", "/admin/users", ADMIN + " login"),
    Row("POST", "/admin/users", ADMIN + " login", ok=303, body=user_form, writes="adds"),
    Row("POST", "/admin/users/{user}/roles", ADMIN + " login", ok=303, body=form(roles=["staff"]), writes="changes"),
    Row("POST", "/admin/users/{user}/active", ADMIN + " login", ok=303, body=form(active="0"), writes="changes"),
    Row("POST", "/admin/users/{user}/reset-password", ADMIN + " login", writes="changes"),
]

API: list[Row] = [
    Row("GET", "/api/v1/me", ALL + " 401"),
    Row("GET", "/api/v1/departments", ALL + " 401"),
    Row("POST", "/api/v1/departments", HR + " 401", ok=201, body=department_json, writes="adds"),
    Row("PUT", "/api/v1/departments/{zw1}", HR + " 401", body=department_update_json, writes="changes"),
    Row("GET", "/api/v1/staff", ALL + " 401"),
    Row("GET", "/api/v1/staff/{staff}", SEE_STAFF + " 401"),
    Row("GET", "/api/v1/staff/{staff2}", SEE_STAFF2 + " 401"),
    Row("GET", "/api/v1/staff/{leader}", SEE_LEADER + " 401"),
    Row("GET", "/api/v1/staff/{missing}", NONE_FOUND + " 401"),
    Row("POST", "/api/v1/staff", HR + " 401", ok=201, body=staff_json, writes="adds"),
    Row("PUT", "/api/v1/staff/{staff}", HR + " 401", body=staff_update_json, writes="changes"),
    Row("POST", "/api/v1/staff/{staff}/deactivate", HR + " 401", writes="changes"),
    Row("POST", "/api/v1/staff/{staff}/activate", HR + " 401", writes="changes"),
    Row("POST", "/api/v1/staff/import", HR + " 401", body=roster_file, writes="adds"),
    Row("GET", "/api/v1/staff-export", EXPORT + " 401"),
    Row("GET", "/api/v1/users", ADMIN + " 401"),
    Row("POST", "/api/v1/users", ADMIN + " 401", ok=201, body=user_json, writes="adds"),
    Row("PUT", "/api/v1/users/{user}/roles", ADMIN + " 401", body=json_body(roles=["staff"]), writes="changes"),
    Row("POST", "/api/v1/users/{user}/reset-password", ADMIN + " 401", writes="changes"),
    Row("GET", "/api/v1/tokens", ALL + " 401"),
    Row("POST", "/api/v1/tokens", ALL + " 401", ok=201, body=json_body(name="matrix"), writes="adds"),
    Row("DELETE", "/api/v1/tokens/{token}", ALL + " 401", ok=204, writes="changes"),
    Row("DELETE", "/api/v1/tokens/{others_token}", OTHERS_TOKEN + " 401", ok=204, writes="changes"),
    Row("GET", "/api/v1/audit", AUDIT + " 401"),
    Row("GET", "/api/v1/calendar/workday?day=2026-10-01", ALL + " 401"),
    Row("GET", "/api/v1/calendar/deadline?start=2026-09-30T09:00:00&working_days=3", ALL + " 401"),
    Row("POST", "/api/v1/calendar/import?year=2027", HR + " 401", body=calendar_file_only, writes="adds"),
]

WORDS = {"ok": "allow", "403": "deny", "404": "notfound", "login": "deny", "401": "deny"}

@dataclass(frozen=True)
class Case:
    role: str
    row: Row
    outcome: str  # a word of the table

    @property
    def fresh(self) -> bool:
        """Run on a database of its own: an allowed change to existing data."""
        return self.row.writes == "changes" and self.outcome == "ok"

    @property
    def id(self) -> str:
        return f"{self.role}-{self.row.method}-{self.row.path}-{WORDS[self.outcome]}"


def _cases() -> Iterator[Any]:
    for row in PAGES + API:
        words = row.expect.split()
        assert len(words) == len(COLUMNS), row
        for role, word in zip(COLUMNS, words, strict=True):
            assert word in (("ok", "login", "401") if role == "anon" else ("ok", "403", "404")), (row, role)
            assert word != "login" or not row.path.startswith("/api/"), row
            assert word != "401" or row.path.startswith("/api/"), row
            case = Case(role, row, word)
            yield pytest.param(case, id=case.id)


CASES = list(_cases())


# --- worlds: an app, its database and one signed-in client per account -------------------------

class World:
    def __init__(self, app: Any, db: Session, accounts: dict[str, str],
                 sign_in: Callable[[str], Client], anon: Client) -> None:
        self.app, self.db, self.accounts = app, db, accounts
        self._sign_in = sign_in
        self._clients: dict[str, Client] = {"anon": anon}
        if not anon.csrf:
            anon.get("/healthz")
            anon.csrf = anon.cookies.get("kaohe_csrf") or ""
        staff_no = {role: accounts[role] for role in ("staff", "staff2", "leader")}
        by_no = dict(self.db.execute(select(Staff.employee_no, Staff.id)
                                     .where(Staff.employee_no.in_(list(staff_no.values())))).all())
        self.ids: dict[str, int] = {role: by_no[no] for role, no in staff_no.items()}
        self.ids["zw1"] = self.db.scalar(select(Department.id).where(Department.code == "ZW1"))
        self.ids["user"] = self._user(accounts["staff2"]).id
        self.ids["missing"] = MISSING_ID
        self.db.commit()  # end the read transaction: the app writes to this database too

    def _user(self, username: str) -> User:
        user = self.db.scalar(select(User).where(User.username == username))
        assert user is not None, username
        return user

    def client(self, role: str) -> Client:
        if role not in self._clients:
            self._clients[role] = self._sign_in(role)
        return self._clients[role]

    def token_of(self, username: str, name: str) -> int:
        user = self._user(username)
        found = self.db.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.name == name))
        if found is None:
            _secret, row = auth_service.create_token(self.db, actor=auth_service.principal_for(user), name=name)
            found = row.id
        self.db.commit()
        return found

    def url(self, role: str, path: str) -> str:
        values: dict[str, int] = dict(self.ids)
        if "{token}" in path:
            values["token"] = MISSING_ID if role == "anon" else self.token_of(self.accounts[role], "matrix-own")
        if "{others_token}" in path:
            values["others_token"] = self.token_of(self.accounts["staff"], "matrix-others")
        return path.format(**values)

    def fresh_client(self, role: str) -> Client:
        """A throw-away client carrying the same cookies, for calls that would change them."""
        source = self.client(role)
        client = Client(self.app, base_url="http://testserver")
        for name, value in source.cookies.items():
            client.cookies.set(name, value)
        client.csrf = source.csrf
        return client


@pytest.fixture(scope="module")
def shared_worlds(templates: dict, pg_server: Any, tmp_path_factory: pytest.TempPathFactory,
                  accounts: dict[str, str]) -> Iterator[Callable[[str], World]]:
    """One demo database and app per backend, built on first use and shared by the read-only cases."""
    from kaohe.main import create_app

    worlds: dict[str, World] = {}
    cleanups: list[Callable[[], None]] = []

    def get(backend: str) -> World:
        if backend in worlds:
            return worlds[backend]
        if backend == "sqlite":
            target = Path(tmp_path_factory.mktemp("matrix")) / "demo.db"
            shutil.copy(templates["sqlite"]["demo"], target)
            url = f"sqlite:///{target}"
        else:
            name = f"matrix_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            url = pg_server.create(name, template=templates["postgresql"]["demo"])
            cleanups.append(lambda: pg_server.drop(name))
        app = create_app(Settings(database_url=url, environment="test", secret_key="x" * 40,
                                  demo_password=DEMO_PASSWORD))
        cleanups.append(app.state.engine.dispose)
        db = app.state.session_factory()
        cleanups.append(db.close)
        clients: list[Client] = []

        def sign_in(role: str) -> Client:
            user = db.scalar(select(User).where(User.username == accounts[role]))
            assert user is not None
            token, row = auth_service.open_session(db, app.state.settings, user=user, ip="testclient",
                                                   user_agent="pytest")
            db.commit()
            client = Client(app, base_url="http://testserver")
            client.cookies.set("kaohe_session", token)
            client.csrf = row.csrf_token
            clients.append(client)
            return client

        anon = Client(app, base_url="http://testserver")
        clients.append(anon)
        cleanups.append(lambda: [c.close() for c in clients])
        worlds[backend] = World(app, db, accounts, sign_in, anon)
        return worlds[backend]

    yield get
    for cleanup in reversed(cleanups):
        cleanup()


_uniq = itertools.count()


def _send(world: World, case: Case) -> Any:
    role, row = case.role, case.row
    url = world.url(role, row.path)
    ctx = Ctx(ids=world.ids, accounts=world.accounts, uniq=f"{uuid.uuid4().hex[:8]}{next(_uniq)}")
    body = row.body(ctx) if row.body else {}
    if row.method == "POST" and row.path == "/login":
        # Signing in sets a new session cookie: use a throw-away client so the shared one keeps its own.
        client = world.fresh_client(role)
        username = world.accounts["staff" if role == "anon" else role]
        try:
            return client.form("/login", {"username": username, "password": DEMO_PASSWORD})
        finally:
            client.close()
    client = world.client(role)
    if row.method == "GET":
        return client.get(url, follow_redirects=False)
    if url.startswith("/api/"):
        return client.request(row.method, url, json=body.get("json"), files=body.get("files"),
                              headers={"X-CSRF-Token": client.csrf}, follow_redirects=False)
    return client.post(url, data={"csrf_token": client.csrf, **body.get("form", {})}, files=body.get("files"),
                       follow_redirects=False)


@pytest.mark.parametrize("case", CASES)
def test_permission_matrix(case: Case, backend: str, shared_worlds: Callable[[str], World],
                           request: pytest.FixtureRequest, accounts: dict[str, str]) -> None:
    if case.fresh:
        anon: Client = request.getfixturevalue("anon")
        world = World(request.getfixturevalue("app"), request.getfixturevalue("db"), accounts,
                      request.getfixturevalue("client_as"), anon)
    else:
        world = shared_worlds(backend)
    response = _send(world, case)
    status, location = response.status_code, response.headers.get("location", "")
    what = f"{case.id}: got {status} {location} {response.text[:200]!r}"
    row = case.row
    if case.outcome == "ok":
        assert status in (row.ok if isinstance(row.ok, tuple) else (row.ok,)), what
        if status == 303:
            if row.to is not None:
                assert location == row.to, what
            else:
                assert not location.startswith(("/login", "/account/password")), what
    elif case.outcome == "login":
        assert status == 303, what
        assert location.startswith("/login?next="), what
    else:
        assert status == int(case.outcome), what
        if status == 403:
            # Refused by the permission check, not by the CSRF check.
            assert t("auth.csrf_failed") not in response.text, what
            assert t("common.forbidden") in response.text, what
