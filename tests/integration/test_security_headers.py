"""Every answer of `kaohe serve` carries the security headers, error pages included: a normal page, a
404 page, a 405, a 422 API answer, the 503 of a saturated server; HSTS when served over HTTPS, and
no-store on pages and API answers but not on static files."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.test_load_shedding import Answer, Served, burst, page_get, record_post, serve

HSTS = "max-age=600; includeSubDomains"


@pytest.fixture
def https_server(demo_url: str, accounts: dict[str, str], tmp_path: Path) -> Iterator[Served]:
    with serve(demo_url, accounts, tmp_path, KAOHE_HTTPS="true", KAOHE_HSTS_SECONDS="600",
               KAOHE_MAX_IN_FLIGHT="2", KAOHE_QUEUE_WAIT_SECONDS="0.3") as served:
        yield served


def assert_secured(answer: Answer, *, cached: bool = False) -> None:
    headers = answer.headers
    assert headers["x-content-type-options"] == "nosniff", answer
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["strict-transport-security"] == HSTS
    if cached:
        assert "no-store" not in headers.get("cache-control", "")
    else:
        assert headers["cache-control"] == "no-store"


def test_it_secures_a_normal_page_and_static_files(https_server: Served):
    page, api, static = burst(https_server, [
        page_get(https_server, "/staff"),
        ("GET", "/api/v1/staff", {"headers": {"Authorization": f"Bearer {https_server.token}"}}),
        ("GET", "/static/css/kaohe.css", {}),
    ])
    assert page.status == 200 and "人员" in page.text
    assert_secured(page)
    assert api.status == 200
    assert_secured(api)
    assert static.status == 200
    assert_secured(static, cached=True)


def test_it_secures_error_pages(https_server: Served):
    bearer = {"Authorization": f"Bearer {https_server.token}"}
    not_found, not_allowed, invalid, api_missing = burst(https_server, [
        page_get(https_server, "/no-such-page"),
        ("DELETE", "/staff", {"headers": {"Cookie": f"kaohe_session={https_server.session}"}}),
        ("POST", "/api/v1/records", {"json": {"title": ""}, "headers": bearer}),
        ("GET", "/api/v1/staff/999999", {"headers": bearer}),
    ])
    assert not_found.status == 404 and "页面或数据不存在" in not_found.text
    assert not_allowed.status == 405
    assert invalid.status == 422 and invalid.text.startswith('{"detail":')
    assert api_missing.status == 404
    for answer in (not_found, not_allowed, invalid, api_missing):
        assert_secured(answer)


def test_it_secures_the_503_of_a_saturated_server(https_server: Served):
    requests = [record_post(https_server, n) for n in range(2)] + [
        page_get(https_server) for _ in range(4)] + [record_post(https_server, 10 + n) for n in range(4)]
    answers = burst(https_server, requests, hold_seconds=1.2)
    busy = [a for a in answers if a.status == 503]
    assert any(a.headers["content-type"].startswith("text/html") for a in busy), [a.status for a in answers]
    assert any(a.headers["content-type"].startswith("application/json") for a in busy)
    for answer in busy:
        assert_secured(answer)
        assert answer.headers["retry-after"]
