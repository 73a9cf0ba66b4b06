"""What written feedback makes people owe (待办): a leader the signatures of their people's feedback once
results are out; a person the answer to a signed feedback. `kaohe.todo` gathers it."""

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy.orm import Session

from kaohe.auth.permissions import Principal
from kaohe.feedback import service
from kaohe.messages import t
from kaohe.quarterly.service import quarter_label
from kaohe.todo import Todo, Urgency


def owed(db: Session, actor: Principal, now: datetime) -> Iterator[Todo]:
    for (year, quarter), count in sorted(service.owed_signatures(db, actor=actor).items()):
        yield Todo("feedback.sign", t("feedback.todo_sign", count=count), count,
                   f"/feedback?quarter={year}-Q{quarter}",
                   detail=t("feedback.todo_sign_detail", quarter=quarter_label(year, quarter)))
    for row in service.awaiting_answer(db, actor=actor):
        yield Todo("feedback.answer", t("feedback.todo_answer"), 1, f"/feedback/{row.year}/{row.quarter}/{row.staff_id}",
                   detail=t("feedback.todo_answer_detail", quarter=quarter_label(row.year, row.quarter)),
                   urgency=Urgency.soon)
