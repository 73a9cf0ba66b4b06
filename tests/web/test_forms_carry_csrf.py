"""Every form a signed-in user is shown carries a non-empty CSRF token (the browser sends only what the
page renders; the test client's helper adds the token itself, so this checks the pages directly)."""

import re

import pytest

PAGES = ["/", "/staff", "/staff/new", "/staff/1", "/staff/1/edit", "/departments", "/departments/new",
         "/departments/1/edit", "/roster/import", "/calendar?year=2026", "/account/password", "/account/tokens",
         "/admin/users", "/audit"]


@pytest.mark.parametrize("path", PAGES)
def test_it_renders_the_csrf_token_into_every_form(client_as, path):
    admin = client_as("admin")
    page = admin.get(path)
    assert page.status_code == 200, path
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page.text, flags=re.S)
    for form in forms:
        tokens = re.findall(r'name="csrf_token" value="([^"]*)"', form)
        assert tokens == [admin.csrf], f"{path}: a form without the session's CSRF token"
    assert f'"X-CSRF-Token": "{admin.csrf}"' in page.text  # HTMX requests carry it too
