"""Turning submitted forms into schemas, with Chinese messages naming the field."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from kaohe.errors import Invalid
from kaohe.messages import t

M = TypeVar("M", bound=BaseModel)

FIELD_LABELS = {
    "employee_no": "工号", "name": "姓名", "gender": "性别", "department_id": "部门",
    "post_category": "岗位类别", "level": "职级", "title": "职务", "post_name": "岗位名称",
    "supervisor_no": "分管领导工号", "hired_on": "入职日期", "phone": "手机号", "code": "编码",
    "kind": "部门性质", "is_pilot": "试点部门", "rollout_batch": "推广批次", "leader_no": "分管领导工号",
    "head_no": "部门负责人工号", "liaison_no": "联络员工号",
}

REASONS = {
    "missing": "必填", "string_too_short": "太短", "string_too_long": "太长",
    "string_pattern_mismatch": "格式不正确", "enum": "不是允许的取值", "date_from_datetime_parsing": "不是有效日期",
    "date_parsing": "不是有效日期", "int_parsing": "应为整数", "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大", "value_error": "内容不合法",
}


RECORD_LABELS = {
    "title": "工作事项", "started_at": "开始时间", "ended_at": "结束时间", "stage_result": "阶段成果",
    "difficulties": "困难及解决措施", "commendation": "表彰或批评", "task_item_id": "关联任务", "staff_no": "工号",
}


def chinese_errors(exc: ValidationError, labels: dict[str, str] = FIELD_LABELS) -> list[str]:
    """One Chinese line per invalid field, named as the form names it."""
    out = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err.get("loc") else ""
        reason = REASONS.get(err["type"], "格式不正确")
        if err["type"] == "value_error":
            reason = str(err.get("ctx", {}).get("error", reason))
        out.append(t("common.field_invalid", field=labels.get(field, field), reason=reason))
    return out


async def parse_form(
    request: Request,
    model: type[M],
    *,
    checkboxes: tuple[str, ...] = (),
    labels: dict[str, str] = FIELD_LABELS,
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> tuple[M, dict[str, Any]]:
    """Validate the submitted form into `model`; raises Invalid (with the raw values kept for redisplay).

    A blank input means "not given", so the model's default applies (an empty optional text stays
    empty rather than failing as a missing value). `prepare` adjusts the cleaned values first.
    """
    form = await request.form()
    raw: dict[str, Any] = {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
    for name in checkboxes:
        raw[name] = name in form
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
    cleaned = {k: v for k, v in cleaned.items() if v != ""}
    if prepare is not None:
        cleaned = prepare(cleaned)
    try:
        return model.model_validate(cleaned), raw
    except ValidationError as exc:
        error = Invalid(t("common.invalid_input"), details=chinese_errors(exc, labels))
        error.raw = raw  # type: ignore[attr-defined]
        raise error from None


@contextmanager
def attempt(db: Session) -> Iterator[None]:
    """Run a page's use case inside a savepoint: when it raises, what it staged is undone, and the page
    can show the error while the request's unit of work still commits what came before."""
    with db.begin_nested():
        yield
