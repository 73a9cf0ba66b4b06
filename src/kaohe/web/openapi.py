"""The OpenAPI document, saying what the API really answers when it refuses.

Every refusal of the API is the same JSON body, made by the handlers of `kaohe.main`: a Chinese message
and one Chinese line per problem (`ErrorBody`). FastAPI's generated document instead declares its own
`HTTPValidationError` for 422 and nothing for the other refusals. `install_openapi` replaces the document's
builder with one that declares `ErrorBody` for each refusal an operation can give:

- 400 wherever there is a body: one that cannot be read at all (not UTF-8, a broken multipart form) is
  refused before validation;
- 401 and 403 everywhere: every API router needs a signed-in principal, a CSRF token for cookie
  sessions (kaohe.web.routes), and a permission;
- 422 wherever there is a parameter or a body to refuse, and on every change (use cases raise Invalid);
- 404 wherever a parameter or body names something (an id, a 工号, a year's version), and on changes;
- 409 on changes (duplicates, a frozen year, a record already reviewed);
- 503 everywhere: a saturated server sheds the request with Retry-After (kaohe.web.load).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from kaohe.messages import t

UNSAFE = frozenset({"post", "put", "patch", "delete"})
_REF = "#/components/schemas/ErrorBody"
_FASTAPI_ERRORS = ("HTTPValidationError", "ValidationError")


class ErrorBody(BaseModel):
    """A refusal: why, in Chinese, and one Chinese line per refused value (empty when there is one reason)."""

    detail: str = Field(description="为什么被拒绝")
    errors: list[str] = Field(description="每个被拒绝的取值一行,指明字段")


def _descriptions() -> dict[int, str]:
    return {400: t("validation.openapi_400"), 401: t("validation.openapi_401"), 403: t("validation.openapi_403"), 404: t("validation.openapi_404"),
            409: t("validation.openapi_409"), 422: t("validation.openapi_422"), 503: t("validation.openapi_503")}


def refusals(method: str, operation: dict[str, Any]) -> list[int]:
    """The refusal statuses an operation can answer (see the module's docstring)."""
    changes = method in UNSAFE
    takes_input = bool(operation.get("parameters")) or "requestBody" in operation
    codes = [401, 403, 503]
    if takes_input or changes:
        codes += [404, 422]
    if changes:
        codes.append(409)
    if "requestBody" in operation:
        codes.append(400)
    return sorted(codes)


def document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document with `ErrorBody` for every refusal (built once, then cached like FastAPI's)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, openapi_version=app.openapi_version,
                         summary=app.summary, description=app.description, routes=app.routes,
                         tags=app.openapi_tags, servers=app.servers)
    descriptions = _descriptions()
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for code in refusals(method, operation):
                responses[str(code)] = {"description": descriptions[code],
                                        "content": {"application/json": {"schema": {"$ref": _REF}}}}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_ERRORS:
        components.pop(name, None)
    components["ErrorBody"] = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    app.openapi_schema = schema
    return schema


def install_openapi(app: FastAPI) -> None:
    """Make `app` describe its refusals as `ErrorBody` (called once by `kaohe.main.create_app`)."""
    app.openapi = lambda: document(app)  # type: ignore[method-assign]
