"""Schemathesis over the whole API, as HR and as the administrator, on every backend: no input gives a
server error, and every answer (status, content type, body) is the one the OpenAPI document declares.

Bounded so `make test` stays quick: each operation gets its schema examples, Schemathesis' coverage
cases (boundaries and each constraint broken once) and at most MAX_EXAMPLES generated cases, valid and
invalid, with a fixed seed. Nothing is excluded. The calls that would end the fuzzing session itself
(resetting the password of, changing the roles of, or deactivating one of the two fuzzing accounts) are
aimed at a third account instead (`_aim_away`), so they are still fuzzed.
"""

import json
import tempfile
import urllib.request
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.fuzz.conftest import SECRET

from kaohe.config import Settings
from kaohe.main import create_app

MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# Operations whose path id names an account or a staff member the fuzz run signs in with.
USER_TARGETS = ("/api/v1/users/{user_id}/roles", "/api/v1/users/{user_id}/reset-password")
STAFF_TARGETS = ("/api/v1/staff/{staff_id}", "/api/v1/staff/{staff_id}/deactivate")


def _document() -> dict:
    """The application's OpenAPI document (`test_it_fuzzes_the_document_it_serves` checks it is the served one)."""
    # The engine is made but never connected: describing the API reads no database.
    url = f"sqlite:///{Path(tempfile.gettempdir()) / 'kaohe-openapi-unused.db'}"
    app = create_app(Settings(database_url=url, environment="test", secret_key=SECRET))
    try:
        return app.openapi()
    finally:
        app.state.engine.dispose()


schema = schemathesis.openapi.from_dict(_document())


def test_it_fuzzes_the_document_it_serves(fuzz_server):  # type: ignore[no-untyped-def]
    with urllib.request.urlopen(f"{fuzz_server.url}/api/v1/openapi.json", timeout=10) as response:
        assert json.load(response) == _document()


def _aim_away(case, server) -> None:  # type: ignore[no-untyped-def]
    path = case.operation.path
    params = case.path_parameters or {}
    for targets, name, protected, decoy in (
        (USER_TARGETS, "user_id", server.protected_users, server.decoy_user),
        (STAFF_TARGETS, "staff_id", server.protected_staff, server.decoy_staff),
    ):
        if path in targets and str(params.get(name)) in {str(i) for i in protected}:
            params[name] = decoy


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
def test_no_input_gives_a_server_error_or_an_undeclared_answer(case, fuzz_server, fuzz_session, fuzz_tally):  # type: ignore[no-untyped-def]
    _aim_away(case, fuzz_server)
    response = case.call(base_url=fuzz_server.url, cookies=fuzz_session.cookies, headers=fuzz_session.headers, timeout=30)
    fuzz_tally.add(fuzz_server.backend, fuzz_session.role, case.operation.label, response.status_code)
    case.validate_response(response, checks=CHECKS)
