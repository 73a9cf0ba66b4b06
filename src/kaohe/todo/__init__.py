"""待办: what a person owes, gathered from every feature into one list (the home page, the badge in the
navigation, `GET /api/v1/todo`).

A feature contributes a *provider*: a function of the session, the person and the moment that yields
`Todo` items for that person only, each linking to a page that person may use. The composition root
(`kaohe.bootstrap.todo_providers`) lists the providers explicitly, so this toolkit imports no feature.
Providers only read; they run on every home page view, so each should be a few indexed queries.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from sqlalchemy.orm import Session

from kaohe.auth.permissions import Principal


class Urgency(IntEnum):
    """How soon an item needs doing; the list shows the most urgent first."""

    normal = 0
    soon = 1  # due within the next few working days
    overdue = 2


@dataclass(frozen=True)
class Todo:
    """One thing a person owes: `title` in Chinese, how many, and the page where it is done."""

    key: str  # stable, for tests and the API: "records.review", "records.returned" …
    title: str
    count: int
    href: str
    detail: str = ""
    urgency: Urgency = Urgency.normal


Provider = Callable[[Session, Principal, datetime], Iterable[Todo]]


def gather(db: Session, actor: Principal, now: datetime, providers: Sequence[Provider]) -> list[Todo]:
    """Every provider's items for `actor`, the most urgent first, items with nothing to do left out."""
    items = [item for provider in providers for item in provider(db, actor, now) if item.count > 0]
    return sorted(items, key=lambda item: (-item.urgency, item.key))


def total(items: Iterable[Todo]) -> int:
    """The number the badge shows: everything waiting, 32 records to review counting 32."""
    return sum(item.count for item in items)
