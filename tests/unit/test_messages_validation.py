"""The one translator of Pydantic errors: a Chinese reason for every error type, Chinese field names
for every field and parameter of the API and the pages, and places inside a body in words."""

from __future__ import annotations

import inspect
import re
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, ValidationError
from pydantic_core.core_schema import ErrorType

import kaohe
from kaohe.config import Settings
from kaohe.messages import CATALOGUE
from kaohe.messages.validation import _REASONS, context_of, describe, field_label, holds_model, reason
from kaohe.org.schemas import DepartmentCreate, StaffCreate
from kaohe.records.schemas import RecordCreate, ReviewIn, TaskCreate
from kaohe.scheme.views import DraftUpdate

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b(?:Field|required|Input|should|valid|must|least|most|error|Value|String|characters)\b")


def refused(model: type[BaseModel], data: dict) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return describe(caught.value, model=model)


# --- reasons -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", typing.get_args(ErrorType))
def test_every_pydantic_error_type_has_a_chinese_reason(kind: str) -> None:
    assert kind in _REASONS, f"add a Chinese reason for {kind} in kaohe/messages/validation.py"
    error = {"type": kind, "loc": ("body", "name"), "msg": "Input should be something else", "input": "x",
             "ctx": {"gt": 1, "ge": 1, "lt": 9, "le": 9, "min_length": 2, "max_length": 9, "expected": "'a' or 'b'",
                     "error": "bad value", "multiple_of": 5, "pattern": "^x$", "max_digits": 4, "decimal_places": 2,
                     "whole_digits": 2, "tag": "x", "expected_tags": "'a', 'b'", "discriminator": "'kind'"}}
    text = reason(error)
    assert CJK.search(text) and not ENGLISH.search(text), text
    assert "None" not in text and "{" not in text


def test_an_unknown_error_type_still_gets_chinese() -> None:
    assert reason({"type": "made_up", "msg": "Something odd", "input": 3}) == "取值无效：“3”"
    assert reason({"type": "made_up", "msg": "自定义的中文说明", "input": 3}) == "自定义的中文说明"
    assert reason({"type": "value_error", "msg": "Value error, bad", "ctx": {"error": ValueError("bad")}}) == "内容不合法"


def test_reasons_name_limits_and_values() -> None:
    assert refused(DepartmentCreate, {"code": "A", "name": "科", "kind": "general", "rollout_batch": 13}) == [
        "字段「推广批次」：应不大于 12，实际为“13”"]
    lines = refused(StaffCreate, {"employee_no": "N 1", "name": "张", "department_id": "一", "post_category": "x",
                                  "level": "junior", "phone": "123", "hired_on": "2020-02-30"})
    assert lines == [
        "字段「姓名」：太短，至少需要 2 个字",
        "字段「部门」：应为整数，实际为“一”",
        "字段「岗位类别」：取值“x”无效，可选：management（管理岗）、technical（专业技术岗）、service（工勤技能岗）",
        "字段「入职日期」：不是有效日期（应为 YYYY-MM-DD），实际为“2020-02-30”",
        "字段「手机号」：不是有效的 11 位手机号码：“123”",
        "字段「工号」：格式不符：“N 1”（只允许字母、数字和连字符）",
    ]


def test_custom_validators_keep_their_chinese_message() -> None:
    lines = refused(StaffCreate, {"employee_no": "N1", "name": "=CMD()", "department_id": 1,
                                  "post_category": "management", "level": "junior"})
    assert lines == ["字段「姓名」：不能以 = + - @ 开头"]


def test_secrets_are_not_repeated_back() -> None:
    class Login(BaseModel):
        password: str = Field(pattern="^x$")

    assert refused(Login, {"password": "hunter2"}) == ["字段「密码」：格式不符：（已隐藏）"]


# --- names and places ----------------------------------------------------------------------------------

def test_fields_are_named_in_their_records_terms() -> None:
    assert field_label("name", "staff") == "姓名" and field_label("name", "department") == "部门名称"
    assert field_label("name") == "名称" and field_label("title", "record") == "工作事项"
    assert field_label("idempotency-key") == "幂等键（Idempotency-Key）"
    assert field_label("no_such_field") is None
    assert [context_of(m) for m in (StaffCreate, DepartmentCreate, RecordCreate, ReviewIn, TaskCreate)] == [
        "staff", "department", "record", "review", "task"]
    assert context_of("Body_login_login_post") is None
    assert refused(TaskCreate, {"code": "T-1", "staff_no": "A1", "year": 2026}) == ["字段「任务名称」：缺少必填项"]


def test_places_inside_a_body_are_spelt_out() -> None:
    class Batch(BaseModel):
        items: list[DepartmentCreate]

    assert refused(Batch, {"items": [{"code": "A1", "kind": "general"}]}) == ["第 1 项的「部门名称」：缺少必填项"]
    assert describe([{"type": "missing", "loc": ("body", "items", 0, "name"), "msg": "Field required"}]) == [
        "第 1 项的「名称」：缺少必填项"]
    assert refused(DraftUpdate, {"edits": [{"path": "x", "value": 1}, {"value": 1}]}) == [
        "「逐项修改」第 2 项的「修改项路径」：缺少必填项"]
    assert refused(ReviewIn, {"record_ids": ["一"], "action": "confirm"}) == [
        "「所选记录」第 1 项：应为整数，实际为“一”"]


def test_parameters_and_the_body_as_a_whole() -> None:
    assert describe([{"type": "greater_than_equal", "loc": ("query", "page"), "msg": "x", "input": "0",
                      "ctx": {"ge": 1}}]) == ["参数「页码」：应不小于 1，实际为“0”"]
    assert describe([{"type": "json_invalid", "loc": ("body", 12), "msg": "JSON decode error",
                      "ctx": {"error": "Expecting value"}}]) == ["请求内容：不是有效的 JSON"]
    assert describe([{"type": "missing", "loc": ("body",), "msg": "Field required"}]) == ["请求内容：缺少必填项"]
    assert describe([{"type": "value_error", "loc": (), "msg": "x", "ctx": {"error": "结束时间早于开始时间"}}]) == [
        "结束时间早于开始时间"]


# --- every field has a Chinese name --------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    from kaohe.main import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'unused.db'}"
    application = create_app(Settings(database_url=url, environment="test", secret_key="x" * 40))
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="module")
def openapi(app: FastAPI) -> dict:
    return app.openapi()


def _properties(schema: dict, components: dict, context: str | None, seen: set[str]) -> Iterator[tuple[str, str]]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from _properties(components[name], components, context_of(name), seen)
        return
    for prop, inner in schema.get("properties", {}).items():
        yield prop, context or ""
        yield from _properties(inner, components, context, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _properties(schema[key], components, context, seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for inner in schema.get(key, []):
            yield from _properties(inner, components, context, seen)


def test_every_request_field_and_parameter_of_the_openapi_document_has_a_chinese_name(openapi: dict) -> None:
    components = openapi.get("components", {}).get("schemas", {})
    unnamed, checked = set(), 0
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                checked += 1
                if field_label(parameter["name"]) is None:
                    unnamed.add(f"{method.upper()} {path}: {parameter['in']} {parameter['name']}")
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for prop, context in _properties(content["schema"], components, None, set()):
                    checked += 1
                    if field_label(prop, context or None) is None:
                        unnamed.add(f"{method.upper()} {path}: body {prop}")
    assert checked > 80
    assert sorted(unnamed) == []


def _schema_models() -> Iterator[type[BaseModel]]:
    """The Pydantic models of the application's schemas, views and API modules (imported by create_app)."""
    for name, module in sorted(sys.modules.items()):
        if name.startswith("kaohe.") and name.rsplit(".", 1)[-1] in ("schemas", "views", "api", "forms"):
            for value in vars(module).values():
                if inspect.isclass(value) and issubclass(value, BaseModel) and value.__module__ == name:
                    yield value


def test_every_field_of_every_api_schema_has_a_chinese_name(app: FastAPI) -> None:
    models = list(_schema_models())
    assert len(models) > 20
    unnamed = sorted(f"{m.__module__}.{m.__name__}.{name}" for m in models for name in m.model_fields
                     if field_label(name, context_of(m)) is None)
    assert unnamed == []


def _routes(routes: list) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router
            yield from _routes(route.original_router.routes)
        elif hasattr(route, "routes") and not hasattr(route, "app"):
            yield from _routes(route.routes)


def _route_parameters(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(route, parameter) of every route, pages included (they are not in the OpenAPI document)."""
    for route in _routes(app.routes):
        pending = [route.dependant]
        while pending:
            dependant = pending.pop()
            pending.extend(dependant.dependencies)
            for kind in ("query_params", "path_params", "header_params", "cookie_params", "body_params"):
                for parameter in getattr(dependant, kind):
                    if not holds_model(parameter.field_info.annotation):
                        yield f"{sorted(route.methods)[0]} {route.path}", parameter.alias


def test_every_parameter_of_every_route_has_a_chinese_name(app: FastAPI) -> None:
    parameters = list(_route_parameters(app))
    assert len(parameters) > 60
    assert sorted({f"{where}: {name}" for where, name in parameters if field_label(name) is None}) == []


def test_no_field_name_is_left_over(app: FastAPI) -> None:
    """Every field.* key names a field or parameter that exists (labels do not outlive their fields)."""
    names = {name for _, name in _route_parameters(app)}
    contextual = set()
    for model in _schema_models():
        names.update(model.model_fields)
        contextual.update(f"{context_of(model)}.{name}" for name in model.model_fields)
    keys = {name.replace("-", "_").lower() for name in names}
    stale = sorted(key for key in CATALOGUE if key.startswith("field.")
                   and key.removeprefix("field.") not in keys | contextual)
    assert stale == []


def test_the_field_module_is_the_only_table_of_field_names() -> None:
    forms = (Path(kaohe.__file__).parent / "web" / "forms.py").read_text(encoding="utf-8")
    assert "LABELS" not in forms and "REASONS" not in forms
