"""Turning submitted forms into schemas; refusals name the field in Chinese (kaohe.messages.validation)."""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.messages.validation import describe

M = TypeVar("M", bound=BaseModel)


async def parse_form(
    request: Request,
    model: type[M],
    *,
    checkboxes: tuple[str, ...] = (),
    labels: Mapping[str, str] | None = None,
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> tuple[M, dict[str, Any]]:
    """Validate the submitted form into `model`; raises Invalid (with the raw values kept for redisplay).

    A blank input means "not given", so the model's default applies (an empty optional text stays
    empty rather than failing as a missing value). `prepare` adjusts the cleaned values first. Errors
    name the fields as the catalogue names them for `model` (messages/field.py); `labels` overrides.
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
        return validate(model, cleaned, labels=labels), raw
    except Invalid as error:
        error.raw = raw  # type: ignore[attr-defined]
        raise


def validate(model: type[M], data: Mapping[str, Any], *, labels: Mapping[str, str] | None = None) -> M:
    """`data` as `model`, or Invalid naming each refused field in Chinese (never a ValidationError)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(t("common.invalid_input"), details=describe(exc, model=model, labels=labels)) from None


@contextmanager
def attempt(db: Session) -> Iterator[None]:
    """Run a page's use case inside a savepoint: when it raises, what it staged is undone, and the page
    can show the error while the request's unit of work still commits what came before."""
    with db.begin_nested():
        yield


def done(url: str, key: str) -> RedirectResponse:
    """Redirect after a successful action to `url`, which then shows the message `done.<key>`."""
    t(f"done.{key}")  # an unknown key fails here, at the action, not silently on the next page
    return RedirectResponse(f"{url}{'&' if '?' in url else '?'}done={key}", status_code=303)
