"""Quality signals over the records a leader or inspector may see, with the evidence for each."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kaohe.auth.permissions import Perm, Principal
from kaohe.clock import zone
from kaohe.errors import Forbidden
from kaohe.messages import t
from kaohe.org.models import Staff
from kaohe.records import signals
from kaohe.records.models import WorkRecord
from kaohe.records.service import entry_limit_hours

DAYS = 92  # about a quarter of records is examined
# Routine work is described in routine words (the same window, the same kind of case), so only texts
# that are all but identical count as copy-paste; and a dozen meaningful characters is the floor of a
# record that says what was done (R2).
DUPLICATE_THRESHOLD = 0.93
MIN_CHARS = 12


def report(db: Session, *, actor: Principal, now: datetime) -> dict[str, object]:
    """Near-duplicates, bursts before month ends, trivially short and late records, newest quarter."""
    if not actor.can(Perm.records_signals):
        raise Forbidden(t("common.forbidden"))
    since = now - timedelta(days=DAYS)
    rows = db.scalars(select(WorkRecord).join(Staff, WorkRecord.staff_id == Staff.id)
                      .options(joinedload(WorkRecord.staff))
                      .where(actor.staff_filter(Perm.records_signals), WorkRecord.ended_at >= since)
                      .order_by(WorkRecord.id)).all()
    by_id = {r.id: r for r in rows}
    texts = [signals.TextRecord(id=r.id, author_id=f"{r.staff.name}（{r.staff.employee_no}）", title=r.title,
                                text=f"{r.stage_result}\n{r.difficulties}", ended_at=r.ended_at,
                                entered_at=r.entered_at) for r in rows]
    limit = entry_limit_hours(db, now.astimezone(zone()).year)
    bursts = []
    local = now.astimezone(zone())
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(3):
        deadline = month_start
        previous = (month_start - timedelta(days=1)).replace(day=1)
        entries = [(x.author_id, x.entered_at) for x in texts if previous <= x.ended_at < deadline]
        bursts += signals.bursts(entries, deadline=deadline)
        month_start = previous
    return {
        "records": by_id,
        "duplicates": signals.near_duplicates(texts, threshold=DUPLICATE_THRESHOLD),
        "bursts": bursts,
        "short": signals.too_short(texts, min_chars=MIN_CHARS),
        "late": signals.late(texts, limit_hours=limit),
        "since": since,
        "total": len(rows),
    }
