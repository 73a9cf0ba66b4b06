"""Nobody is shown a form they cannot submit, nor a link to a page that refuses them.

For every account and every page of the permission matrix that the matrix lets the account open, the
page is fetched and its forms (method=post) are matched to the matrix rows of their action, and every
link (<a href>) into the app to the rows of the page it opens. The matrix is the authority: a page that
grows a form or a link for people the matrix refuses fails here, and so does a form or link to an
endpoint that has no row.

A form is matched to the rows of its endpoint about the same item: the same concrete path (for that
account: {token} is their own token, {record} the matrix's record, ...) and, where a row's body sets a
field the form fills in (record_ids, status, the staff_no of a task, ...), the same value. For the same
item the account's word must be "ok". When no row is about that item (a token in a list, one of many staff), the form is
matched to the endpoint's other rows (those about a missing item left out), and "422" passes too: the
account may use the form, only not for the matrix's particular item. A link must lead to a page the
account may open ("ok"; "login" for the anonymous visitor).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from tests.web.test_permission_matrix import (
    COLUMNS,
    PAGES,
    Ctx,
    Endpoint,
    Row,
    World,
    endpoint_of,
    endpoints,
    open_worlds,
    record_fields,
    row_endpoint,
)

from kaohe.messages import t

FILLED = ("hidden", "text", "number", "date", "month", "email", "tel")
OPEN_LINK = ("ok", "login")  # an anonymous visitor's link leads to the sign-in page
GET_PAGES = [row for row in PAGES if row.method == "GET"]


@dataclass
class Form:
    action: str
    values: dict[str, str] = field(default_factory=dict)  # inputs the page fills in (hidden or not)


class Page(HTMLParser):
    """The post forms (action, the values they fill in) and the links of one HTML page."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._open: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            post = found.get("method", "get").lower() == "post"
            self._open = Form(found.get("action") or self.path) if post else None
            if self._open is not None:
                self.forms.append(self._open)
        elif (tag == "input" and self._open is not None and found.get("type", "text") in FILLED
              and found.get("name") not in ("", None, "csrf_token") and found.get("value")):
            self._open.values[found["name"]] = found["value"]
        elif tag == "a" and found.get("href"):
            self.links.append(found["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def _cases() -> Iterator[Any]:
    for row in GET_PAGES:
        for role in COLUMNS:
            if row.actual(role) == "ok":
                yield pytest.param(role, row, id=f"{role}-{row.path}")


@pytest.fixture(scope="module")
def worlds(templates: dict, pg_server: Any, tmp_path_factory: pytest.TempPathFactory,
           accounts: dict[str, str]) -> Iterator[Callable[[str], World]]:
    with open_worlds(templates, pg_server, tmp_path_factory, accounts) as get:
        yield get


_routes: dict[int, list[Endpoint]] = {}


def _endpoints(world: World) -> list[Endpoint]:
    if id(world.app) not in _routes:
        _routes[id(world.app)] = endpoints(world.app)
    return _routes[id(world.app)]


def _fields(world: World, role: str, row: Row) -> dict[str, str]:
    """The text fields the row's request sends."""
    if row.body is None:
        return {}
    body = row.body(Ctx(ids=world.ids, accounts=world.accounts, uniq="form", role=role, world=world))
    return {name: value for name, value in body.get("form", {}).items() if isinstance(value, str)}


def _same_item(world: World, role: str, row: Row, target: str, filled: dict[str, str]) -> bool:
    """Whether the row is about the target's item: named in the path (and query, where the row has
    one), or in a field the form fills in and the row sends."""
    path = target.split("?")[0]
    url = world.url(role, row.path)
    if (url if "?" in row.path else url.split("?")[0]) != (target if "?" in row.path else path):
        return False
    sent = _fields(world, role, row)
    shared = [name for name in filled if name in sent]
    return all(sent[name] == filled[name] for name in shared) and ("{" in row.path or bool(shared))


def _words(world: World, routes: list[Endpoint], role: str, method: str, target: str,
           filled: dict[str, str] | None = None) -> tuple[set[str], bool, str]:
    """What the matrix says `role` gets from `method` on `target`: the words, whether the rows are about
    the very item, or why the matrix cannot say."""
    endpoint = endpoint_of(routes, method, target)
    if endpoint is None:
        return set(), False, "no endpoint answers it"
    if not endpoint.listed:
        return {"ok"}, True, ""  # FastAPI's own documentation pages
    rows = [row for row in PAGES if row.method == method and row_endpoint(routes, row) == endpoint]
    if not rows:
        return set(), False, f"the matrix has no row for {method} {endpoint.path}"
    same = [row for row in rows if _same_item(world, role, row, target, filled or {})]
    if same:
        return {row.actual(role) for row in same}, True, ""
    others = [row for row in rows if "{missing}" not in row.path] or rows
    return {row.actual(role) for row in others}, False, ""


@pytest.mark.parametrize(("role", "row"), list(_cases()))
def test_a_page_offers_only_what_its_viewer_may_do(role: str, row: Row, backend: str,
                                                   worlds: Callable[[str], World]) -> None:
    world = worlds(backend)
    routes = _endpoints(world)
    url = world.url(role, row.path)
    response = world.client(role).get(url, follow_redirects=False)
    assert response.status_code in (row.ok if isinstance(row.ok, tuple) else (row.ok,)), (url, response.status_code)
    if response.status_code != 200 or not response.headers.get("content-type", "").startswith("text/html"):
        return  # a redirect, a file or JSON: nothing to offer
    page = Page(url.split("?")[0])
    page.feed(response.text)
    problems = []
    for form in page.forms:
        words, same, why = _words(world, routes, role, "POST", form.action, form.values)
        if not words & ({"ok"} if same else {"ok", "422"}):
            problems.append(f"a form posts to {form.action} {form.values}: "
                            f"{why or 'the matrix says ' + '/'.join(sorted(words))}")
    for href in page.links:
        if not href.startswith("/") or href.startswith(("//", "/static/")):
            continue
        words, _same, why = _words(world, routes, role, "GET", href)
        if not words & set(OPEN_LINK):
            problems.append(f"a link to {href}: {why or 'the matrix says ' + '/'.join(sorted(words))}")
    assert not problems, f"{role} on {url}:\n" + "\n".join(sorted(set(problems)))


def test_a_confirmed_record_offers_no_edit_and_its_edit_page_refuses_as_saving_would(client_as) -> None:
    staff, leader = client_as("staff"), client_as("leader")
    made = staff.post("/api/v1/records", json=record_fields("矩阵：已确认的记录"), headers={"X-CSRF-Token": staff.csrf})
    assert made.status_code == 201, made.text
    record = made.json()["id"]
    confirmed = leader.post("/api/v1/records/review", json={"record_ids": [record], "action": "confirm"},
                            headers={"X-CSRF-Token": leader.csrf})
    assert confirmed.status_code == 200, confirmed.text
    detail = staff.get(f"/records/{record}").text
    assert f'href="/records/{record}/edit"' not in detail and f'action="/records/{record}/evidence"' not in detail
    page = staff.get(f"/records/{record}/edit")
    saving = staff.form(f"/records/{record}/edit", record_fields("矩阵：改已确认的记录"))
    assert page.status_code == saving.status_code == 422
    assert t("records.confirmed_is_final") in page.text and 'action="/records/' not in page.text
