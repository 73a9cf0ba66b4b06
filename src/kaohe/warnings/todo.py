"""What quarterly warnings make people owe (待办): HR every pending warning, a leader their people's, each
linking to the list of pending warnings; `kaohe.todo` gathers it."""

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy.orm import Session

from kaohe.auth.permissions import Principal
from kaohe.messages import t
from kaohe.quarterly.service import quarter_label
from kaohe.todo import Todo
from kaohe.warnings import service


def owed(db: Session, actor: Principal, now: datetime) -> Iterator[Todo]:
    count, oldest = service.pending_for(db, actor)
    if count:
        yield Todo("warnings.pending", t("warnings.todo_pending", count=count), count, "/warnings?status=pending",
                   detail=t("warnings.todo_detail", quarter=quarter_label(*oldest)) if oldest else "")
