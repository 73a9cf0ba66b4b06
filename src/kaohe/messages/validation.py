"""Why a value was refused, in Chinese: the one translator of Pydantic's validation errors.

The API's 422 answers, the forms (`kaohe.web.forms.parse_form`) and the scheme loader
(`kaohe.scheme.problems`) all speak through it:

- `reason(error)`: why, for one Pydantic error ("缺少必填项", "应不大于 100，实际为“120”");
- `describe(errors, model=..., labels=...)`: one line per error, naming the field in Chinese
  ("字段「姓名」：缺少必填项", "「逐项修改」第 1 项的「路径」：缺少必填项", "参数「页码」：…");
- `field_label(name, context)`: a field's Chinese name from the catalogue (messages/field.py).

Every error type Pydantic can raise has a Chinese reason here; an unknown one falls back to a Chinese
sentence, never to Pydantic's English message.
"""

from __future__ import annotations

import collections.abc
import re
import types
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from kaohe.messages import CATALOGUE, enum_key, snake_case, t

MESSAGES: dict[str, str] = {
    # Where: a field, a query or path parameter, a place inside a field, the request as a whole.
    "validation.field": "字段「{field}」：{reason}",
    "validation.parameter": "参数「{field}」：{reason}",
    "validation.at": "{where}：{reason}",
    "validation.body": "请求内容：{reason}",
    "validation.where_first": "「{field}」",
    "validation.where_field": "{where}的「{field}」",
    "validation.where_item": "{where}第 {n} 项",
    "validation.hidden": "（已隐藏）",
    "validation.quoted": "“{value}”",
    # Why.
    "validation.missing": "缺少必填项",
    "validation.extra": "未知字段（请检查拼写）",
    "validation.number": "应为数字，实际为{value}",
    "validation.finite": "应为有限的数字，实际为{value}",
    "validation.integer": "应为整数，实际为{value}",
    "validation.integer_size": "数值超出允许的范围，实际为{value}",
    "validation.complex": "应为复数，实际为{value}",
    "validation.text": "应为文本，实际为{value}",
    "validation.text_unicode": "文本含有无法识别的字符",
    "validation.text_ascii": "只能包含英文字母、数字和半角符号",
    "validation.text_control": "含有不允许的控制字符或不可见的方向控制符（U+{code}）",
    "validation.bool": "应为 true 或 false，实际为{value}",
    "validation.list": "应为列表",
    "validation.list_item": "列表中的项目不能重复或无法比较",
    "validation.mapping": "应为键值映射",
    "validation.choice": "取值{value}无效，可选：{expected}",
    "validation.choice_item": "{value}（{label}）",
    "validation.kind": "类型{value}无效，可选：{expected}",
    "validation.kind_missing": "缺少类型字段 {field}",
    "validation.gt": "应大于 {limit}，实际为{value}",
    "validation.ge": "应不小于 {limit}，实际为{value}",
    "validation.lt": "应小于 {limit}，实际为{value}",
    "validation.le": "应不大于 {limit}，实际为{value}",
    "validation.multiple_of": "应为 {limit} 的整数倍，实际为{value}",
    "validation.too_short": "至少需要 {limit} 项",
    "validation.too_long": "最多允许 {limit} 项",
    "validation.text_empty": "不能为空",
    "validation.text_too_short": "太短，至少需要 {limit} 个字",
    "validation.text_too_long": "文本过长（最多 {limit} 字）",
    "validation.pattern": "格式不符：{value}",
    "validation.pattern_identifier": "格式不符：{value}（只允许字母、数字、下划线，以字母开头）",
    "validation.pattern_code": "格式不符：{value}（只允许字母、数字、下划线、点和连字符，以字母或数字开头）",
    "validation.pattern_department_code": "格式不符：{value}（只允许字母、数字、下划线和连字符）",
    "validation.pattern_employee_no": "格式不符：{value}（只允许字母、数字和连字符）",
    "validation.pattern_task_code": "格式不符：{value}（只允许字母、数字、下划线、点和连字符）",
    "validation.pattern_gender": "应为「男」或「女」，实际为{value}",
    "validation.pattern_phone": "不是有效的 11 位手机号码：{value}",
    "validation.pattern_review_action": "应为 confirm（确认）或 return（退回），实际为{value}",
    "validation.date": "不是有效日期（应为 YYYY-MM-DD），实际为{value}",
    "validation.date_inexact": "应为日期，不能带具体时刻，实际为{value}",
    "validation.datetime": "不是有效的日期时间（如 2026-07-01 09:00），实际为{value}",
    "validation.time": "不是有效时间（如 09:00），实际为{value}",
    "validation.duration": "不是有效的时长，实际为{value}",
    "validation.past": "应早于当前时间",
    "validation.future": "应晚于当前时间",
    "validation.timezone_aware": "须带时区",
    "validation.timezone_naive": "不能带时区",
    "validation.timezone_offset": "时区不符",
    "validation.json": "不是有效的 JSON",
    "validation.json_type": "应为 JSON 文本",
    "validation.url": "不是有效的网址，实际为{value}",
    "validation.url_too_long": "网址过长（最多 {limit} 个字符）",
    "validation.url_scheme": "网址的协议不受支持，实际为{value}",
    "validation.uuid": "不是有效的 UUID，实际为{value}",
    "validation.uuid_version": "UUID 版本不符",
    "validation.ip": "不是有效的 IP 地址或网段，实际为{value}",
    "validation.bytes": "应为二进制数据",
    "validation.bytes_too_short": "至少需要 {limit} 字节",
    "validation.bytes_too_long": "最多允许 {limit} 字节",
    "validation.bytes_encoding": "数据的编码不正确",
    "validation.decimal_digits": "最多 {limit} 位数字",
    "validation.decimal_places": "小数最多 {limit} 位",
    "validation.decimal_whole_digits": "整数部分最多 {limit} 位",
    "validation.fraction": "应为分数或数字，实际为{value}",
    "validation.none_required": "此处应留空",
    "validation.frozen": "不能修改",
    "validation.recursion": "嵌套层级过深或存在循环引用",
    "validation.type": "类型不正确，实际为{value}",
    "validation.arguments": "参数不正确",
    "validation.argument_missing": "缺少必填参数",
    "validation.argument_unexpected": "多余的参数",
    "validation.invalid": "内容不合法",
    "validation.other": "取值无效：{value}",
    # The refusals the OpenAPI document declares (kaohe.web.openapi).
    "validation.openapi_400": "请求内容无法解析（如不是 UTF-8 编码的 JSON，或表单已损坏）",
    "validation.openapi_401": "未登录，或令牌无效、已吊销",
    "validation.openapi_403": "无权操作，缺少 CSRF 令牌，或须先修改临时密码",
    "validation.openapi_404": "所指的对象不存在，或不在本人的数据范围内",
    "validation.openapi_409": "与现有数据冲突（如重复、已冻结、已审核）",
    "validation.openapi_422": "提交的内容有误；errors 逐项指明字段和原因",
    "validation.openapi_503": "服务器繁忙，请按 Retry-After 稍后重试",
}

# Pydantic error type → (catalogue key, the context entry that holds the limit).
_REASONS: dict[str, tuple[str, str | None]] = {
    "missing": ("validation.missing", None),
    "missing_sentinel_error": ("validation.missing", None),
    "default_factory_not_called": ("validation.missing", None),
    "extra_forbidden": ("validation.extra", None),
    "no_such_attribute": ("validation.extra", None),
    "invalid_key": ("validation.mapping", None),
    "get_attribute_error": ("validation.invalid", None),
    "json_invalid": ("validation.json", None),
    "json_type": ("validation.json_type", None),
    "needs_python_object": ("validation.type", None),
    "recursion_loop": ("validation.recursion", None),
    "recursion_depth_exceeded": ("validation.recursion", None),
    "frozen_field": ("validation.frozen", None),
    "frozen_instance": ("validation.frozen", None),
    "model_type": ("validation.mapping", None),
    "model_attributes_type": ("validation.mapping", None),
    "dataclass_type": ("validation.mapping", None),
    "dataclass_exact_type": ("validation.mapping", None),
    "named_tuple_type": ("validation.list", None),
    "none_required": ("validation.none_required", None),
    "greater_than": ("validation.gt", "gt"),
    "greater_than_equal": ("validation.ge", "ge"),
    "less_than": ("validation.lt", "lt"),
    "less_than_equal": ("validation.le", "le"),
    "multiple_of": ("validation.multiple_of", "multiple_of"),
    "finite_number": ("validation.finite", None),
    "too_short": ("validation.too_short", "min_length"),
    "too_long": ("validation.too_long", "max_length"),
    "iterable_type": ("validation.list", None),
    "iteration_error": ("validation.list", None),
    "string_type": ("validation.text", None),
    "string_unicode": ("validation.text_unicode", None),
    "string_too_short": ("validation.text_too_short", "min_length"),
    "string_too_long": ("validation.text_too_long", "max_length"),
    "string_pattern_mismatch": ("validation.pattern", None),
    "string_not_ascii": ("validation.text_ascii", None),
    "enum": ("validation.choice", None),
    "literal_error": ("validation.choice", None),
    "dict_type": ("validation.mapping", None),
    "frozen_dict_type": ("validation.mapping", None),
    "ordered_dict_type": ("validation.mapping", None),
    "counter_type": ("validation.mapping", None),
    "mapping_type": ("validation.mapping", None),
    "list_type": ("validation.list", None),
    "deque_type": ("validation.list", None),
    "tuple_type": ("validation.list", None),
    "set_type": ("validation.list", None),
    "frozen_set_type": ("validation.list", None),
    "set_item_not_hashable": ("validation.list_item", None),
    "bool_type": ("validation.bool", None),
    "bool_parsing": ("validation.bool", None),
    "int_type": ("validation.integer", None),
    "int_parsing": ("validation.integer", None),
    "int_from_float": ("validation.integer", None),
    "int_parsing_size": ("validation.integer_size", None),
    "float_type": ("validation.number", None),
    "float_parsing": ("validation.number", None),
    "decimal_type": ("validation.number", None),
    "decimal_parsing": ("validation.number", None),
    "decimal_max_digits": ("validation.decimal_digits", "max_digits"),
    "decimal_max_places": ("validation.decimal_places", "decimal_places"),
    "decimal_whole_digits": ("validation.decimal_whole_digits", "whole_digits"),
    "fraction_type": ("validation.fraction", None),
    "fraction_parsing": ("validation.fraction", None),
    "complex_type": ("validation.complex", None),
    "complex_str_parsing": ("validation.complex", None),
    "bytes_type": ("validation.bytes", None),
    "bytes_too_short": ("validation.bytes_too_short", "min_length"),
    "bytes_too_long": ("validation.bytes_too_long", "max_length"),
    "bytes_invalid_encoding": ("validation.bytes_encoding", None),
    "value_error": ("validation.invalid", None),
    "assertion_error": ("validation.invalid", None),
    "ellipsis_error": ("validation.invalid", None),
    "date_type": ("validation.date", None),
    "date_parsing": ("validation.date", None),
    "date_from_datetime_parsing": ("validation.date", None),
    "date_from_datetime_inexact": ("validation.date_inexact", None),
    "date_past": ("validation.past", None),
    "date_future": ("validation.future", None),
    "time_type": ("validation.time", None),
    "time_parsing": ("validation.time", None),
    "datetime_type": ("validation.datetime", None),
    "datetime_parsing": ("validation.datetime", None),
    "datetime_object_invalid": ("validation.datetime", None),
    "datetime_from_date_parsing": ("validation.datetime", None),
    "datetime_past": ("validation.past", None),
    "datetime_future": ("validation.future", None),
    "timezone_naive": ("validation.timezone_naive", None),
    "timezone_aware": ("validation.timezone_aware", None),
    "timezone_offset": ("validation.timezone_offset", None),
    "time_delta_type": ("validation.duration", None),
    "time_delta_parsing": ("validation.duration", None),
    "is_instance_of": ("validation.type", None),
    "is_subclass_of": ("validation.type", None),
    "callable_type": ("validation.type", None),
    "union_tag_invalid": ("validation.kind", None),
    "union_tag_not_found": ("validation.kind_missing", None),
    "arguments_type": ("validation.arguments", None),
    "missing_argument": ("validation.argument_missing", None),
    "missing_keyword_only_argument": ("validation.argument_missing", None),
    "missing_positional_only_argument": ("validation.argument_missing", None),
    "unexpected_keyword_argument": ("validation.argument_unexpected", None),
    "unexpected_positional_argument": ("validation.argument_unexpected", None),
    "multiple_argument_values": ("validation.argument_unexpected", None),
    "url_type": ("validation.url", None),
    "url_parsing": ("validation.url", None),
    "url_syntax_violation": ("validation.url", None),
    "url_too_long": ("validation.url_too_long", "max_length"),
    "url_scheme": ("validation.url_scheme", None),
    "uuid_type": ("validation.uuid", None),
    "uuid_parsing": ("validation.uuid", None),
    "uuid_version": ("validation.uuid_version", None),
    # pydantic's own network types (PydanticCustomError)
    "ip_any_address": ("validation.ip", None),
    "ip_any_interface": ("validation.ip", None),
    "ip_any_network": ("validation.ip", None),
    "ip_v4_address": ("validation.ip", None),
    "ip_v4_interface": ("validation.ip", None),
    "ip_v4_network": ("validation.ip", None),
    "ip_v6_address": ("validation.ip", None),
    "ip_v6_interface": ("validation.ip", None),
    "ip_v6_network": ("validation.ip", None),
}

# Patterns of the schemas that get a hint of what is allowed (the pattern itself means nothing to users).
_PATTERN_HINTS = {
    r"^[A-Za-z][A-Za-z0-9_]*$": "validation.pattern_identifier",  # scheme keys
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$": "validation.pattern_code",  # scheme indicator codes
    r"^[A-Za-z0-9_-]+$": "validation.pattern_department_code",
    r"^[A-Za-z0-9-]+$": "validation.pattern_employee_no",
    r"^[A-Za-z0-9_.-]+$": "validation.pattern_task_code",
    "^(男|女)$": "validation.pattern_gender",
    r"^(\+86)?1\d{10}$": "validation.pattern_phone",
    "^(confirm|return)$": "validation.pattern_review_action",
}

# Where an error's location starts: the request's body, or one of its parameters.
_ROOTS = {"body": "body", "form": "body", "query": "parameter", "path": "parameter", "header": "parameter",
          "cookie": "parameter"}
# Fields that only hold a list: their items are named "第 n 项" alone.
_CONTAINERS = frozenset({"items"})
# Fields whose value is never repeated back.
_SECRETS = frozenset({"password", "current", "new", "confirm", "token", "secret"})
# Location parts Pydantic adds for union members and validators; they are not places in the document.
_TYPE_TAGS = frozenset({"str", "int", "float", "bool", "bytes", "none", "decimal", "date", "datetime", "time",
                        "list", "dict", "tuple", "set", "json-or-python", "[key]"})
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ROLE_SUFFIXES = ("Document", "Created", "Create", "Update", "Import", "Result", "Answer", "Read", "Base",
                  "Page", "In")


# --- field names -------------------------------------------------------------------------------------

def context_of(model: type[BaseModel] | str | None) -> str | None:
    """The label context of a model: its name in snake case without its role suffix
    (StaffCreate → staff, CalendarImportResult → calendar_import). None for FastAPI's generated bodies."""
    name = model if isinstance(model, str) or model is None else model.__name__
    if not name or name.startswith("Body_"):
        return None
    for suffix in _ROLE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return snake_case(name)


def _key(name: str) -> str:
    return name.replace("-", "_").lower()


def field_label(name: str, context: str | None = None) -> str | None:
    """The Chinese name of field `name` (in records of `context`), or None when the catalogue has none."""
    key = _key(name)
    if context and f"field.{context}.{key}" in CATALOGUE:
        return CATALOGUE[f"field.{context}.{key}"]
    return CATALOGUE.get(f"field.{key}")


def _label(name: str, context: str | None, labels: Mapping[str, str] | None) -> str:
    if labels and name in labels:
        return labels[name]
    return field_label(name, context) or name


# --- what a location points at -----------------------------------------------------------------------

def _candidates(annotation: Any) -> list[Any]:
    """The types an annotation allows, without Annotated, Optional and unions."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _candidates(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [c for arg in get_args(annotation) if arg is not type(None) for c in _candidates(arg)]
    return [annotation]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for candidate in _candidates(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


_SEQUENCES = (list, tuple, set, frozenset, collections.abc.Sequence, collections.abc.Set,
              collections.abc.Iterable, collections.abc.MutableSequence)
_MAPPINGS = (dict, collections.abc.Mapping, collections.abc.MutableMapping)


def _element(annotation: Any) -> Any:
    """The type of an item of a list (or of a value of a mapping) the annotation allows."""
    for candidate in _candidates(annotation):
        origin = get_origin(candidate)
        args = [a for a in get_args(candidate) if a is not Ellipsis]
        if origin in _SEQUENCES and args:
            return args[0]
        if origin in _MAPPINGS and len(args) == 2:
            return args[1]
    return None


def _is_mapping(annotation: Any) -> bool:
    return any(get_origin(c) in _MAPPINGS or c is dict for c in _candidates(annotation))


def _enum_in(annotation: Any) -> type[Enum] | None:
    for candidate in _candidates(annotation):
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return candidate
        inner = _element(candidate)
        if inner is not None and (found := _enum_in(inner)) is not None:
            return found
    return None


def _field_name(model: type[BaseModel], part: str) -> str | None:
    if part in model.model_fields:
        return part
    for name, info in model.model_fields.items():
        if part in (info.alias, info.validation_alias):
            return name
    return None


def _walk(loc: Iterable[int | str], model: Any, labels: Mapping[str, str] | None
          ) -> tuple[str | None, list[tuple[str, Any, str]], Any]:
    """The location's root ("body", "parameter" or None), its places as (kind, part, label), and the
    annotation of the value it points at (when the model tells)."""
    parts = list(loc)
    root = None
    if parts and isinstance(parts[0], str) and parts[0] in _ROOTS:
        root = _ROOTS[parts.pop(0)]
    known = model is not None and root != "parameter"
    shape: Any = model
    places: list[tuple[str, Any, str]] = []
    for part in parts:
        if isinstance(part, int):
            places.append(("index", part, ""))
            shape = _element(shape) if known else None
            continue
        cls = _model_in(shape) if known else None
        if cls is not None:
            places.append(("field", part, _label(part, context_of(cls), labels)))
            name = _field_name(cls, part)
            if name is None:  # a field the model does not have (extra_forbidden)
                known, shape = False, None
            else:
                shape = cls.model_fields[name].annotation
        elif known and _is_mapping(shape):
            places.append(("field", part, part))  # a key of a mapping is its own name
            shape = _element(shape)
        elif known or part in _TYPE_TAGS or "[" in part or part.startswith("function-"):
            continue  # a union member or a validator, not a place
        else:
            places.append(("field", part, _label(part, None, labels)))
    return root, places, shape if known else None


def _where(places: list[tuple[str, Any, str]]) -> str:
    text = ""
    for index, (kind, part, label) in enumerate(places):
        if kind == "index":
            text = t("validation.where_item", where=text, n=part + 1)
        elif part in _CONTAINERS and index + 1 < len(places) and places[index + 1][0] == "index":
            continue
        elif text:
            text = t("validation.where_field", where=text, field=label)
        else:
            text = t("validation.where_first", field=label)
    return text


# --- why ---------------------------------------------------------------------------------------------

def _number(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _shown(value: Any) -> str:
    """A refused value as the message quotes it: “150”, “abc”, shortened when long."""
    text = str(_number(value))
    return t("validation.quoted", value=text if len(text) <= 60 else text[:57] + "…")


def _choices(expected: object, enum: type[Enum] | None) -> str:
    """Pydantic's "'a', 'b' or 'c'" as "a、b、c", with each value's Chinese label when it has one."""
    items = [part.strip().strip("'\"") for part in re.split(r",\s*|\s+or\s+", str(expected)) if part.strip()]
    if enum is not None:
        by_value = {str(member.value): CATALOGUE.get(enum_key(member)) for member in enum}
        items = [t("validation.choice_item", value=item, label=by_value[item]) if by_value.get(item) else item
                 for item in items]
    return "、".join(items)


def reason(error: Mapping[str, Any], *, enum: type[Enum] | None = None, secret: bool = False) -> str:
    """Why Pydantic refused a value, in Chinese. `enum` is the vocabulary the value should come from
    (to list its labels); `secret` keeps the value itself out of the message."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    value = t("validation.hidden") if secret else _shown(error.get("input"))
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", ""))
        return text if _CJK.search(text) else t("validation.invalid")
    if kind in ("enum", "literal_error"):
        return t("validation.choice", value=value, expected=_choices(ctx.get("expected", ""), enum))
    if kind == "union_tag_invalid":
        return t("validation.kind", value=_shown(ctx.get("tag")), expected=_choices(ctx.get("expected_tags", ""), None))
    if kind == "union_tag_not_found":
        return t("validation.kind_missing", field=ctx.get("discriminator", ""))
    if kind == "text_control":  # kaohe.web.inputs.Text
        return t("validation.text_control", code=ctx.get("code", ""))
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return t("validation.text_empty")
    if kind == "string_pattern_mismatch":
        return t(_PATTERN_HINTS.get(str(ctx.get("pattern")), "validation.pattern"), value=value)
    if kind in _REASONS:
        key, limit = _REASONS[kind]
        return t(key, limit=_number(ctx.get(limit)) if limit else "", value=value)
    message = str(error.get("msg", ""))
    return message if _CJK.search(message) else t("validation.other", value=value)


# --- the lines shown to users ------------------------------------------------------------------------

def _errors(errors: ValidationError | Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    return errors.errors(include_url=False) if isinstance(errors, ValidationError) else errors


def describe(errors: ValidationError | Iterable[Mapping[str, Any]], *, model: Any = None,
             labels: Mapping[str, str] | None = None) -> list[str]:
    """One Chinese line per refused value: where (the field's Chinese name) and why.

    `model` is the schema that was validated (a model, or a list of models: the request body's, a
    form's): it names fields in their
    record's terms (a staff member's `name` is 姓名) and lists an enum's labels. `labels` overrides
    the catalogue's names for callers that name fields their own way. Identical lines are given once.
    """
    lines: list[str] = []
    for error in _errors(errors):
        root, places, shape = _walk(error.get("loc", ()), model, labels)
        last = next((part for kind, part, _ in reversed(places) if kind == "field"), "")
        why = reason(error, enum=_enum_in(shape) if shape is not None else None, secret=last in _SECRETS)
        if error.get("type") == "json_invalid" or (not places and root == "body"):
            line = t("validation.body", reason=why)
        elif not places:
            line = why
        elif len(places) == 1 and places[0][0] == "field":
            key = "validation.parameter" if root == "parameter" else "validation.field"
            line = t(key, field=places[0][2], reason=why)
        else:
            line = t("validation.at", where=_where(places), reason=why)
        if line not in lines:
            lines.append(line)
    return lines


def holds_model(annotation: Any) -> bool:
    """Whether values of `annotation` are (or contain, as list items) Pydantic models."""
    return _model_in(annotation) is not None or (
        (inner := _element(annotation)) is not None and holds_model(inner))


def body_model(route: object) -> Any:
    """What a FastAPI route validates its request body into: a model, a list of models, or FastAPI's
    generated model of the form fields (None when the route has no body)."""
    field = getattr(route, "body_field", None)
    annotation = getattr(getattr(field, "field_info", None), "annotation", None)
    return annotation if holds_model(annotation) else None
