"""The home page's small charts (ECharts options, plain data): what each person would look at first.

- everyone with a staff record: their own records this month and quarter, by stage, and their record score;
- a 分管领导: each of their people's records this month, by stage;
- the appraisal office (unit scope): each department's records this month and the share confirmed.
The numbers come from the same queries as the records pages, so a chart never disagrees with a list.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Perm, Principal
from kaohe.clock import zone
from kaohe.messages import t
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Department, Staff
from kaohe.records.models import RecordStatus, WorkRecord
from kaohe.records.scores import quarter_bounds, quarter_of, quarter_scores
from kaohe.records.service import month_bounds

STAGES = (RecordStatus.submitted, RecordStatus.returned, RecordStatus.confirmed)
COLOURS = {RecordStatus.submitted: "#d48806", RecordStatus.returned: "#cf1322", RecordStatus.confirmed: "#389e0d"}
MAX_PEOPLE = 30  # a leader's chart stays readable on a phone; the review page lists everyone


@dataclass(frozen=True)
class Chart:
    """One chart: a heading, an ECharts option, and a one-line reading of it for screen readers."""

    key: str
    title: str
    option: dict[str, object]
    summary: str
    height: int = 260  # pixels: a chart of people grows with them so every name stays readable


def charts(db: Session, actor: Principal, now: datetime) -> list[Chart]:
    out: list[Chart] = []
    if actor.staff_id is not None:
        out.append(_mine(db, actor, now))
    if actor.staff_id is not None and actor.can(Perm.records_review):
        people = _my_people(db, actor, now)
        if people is not None:
            out.append(people)
    if actor.has_unit_scope(Perm.staff_read) and actor.can(Perm.records_import):
        out.append(_unit(db, now))
    return out


def _month(now: datetime) -> str:
    return now.astimezone(zone()).strftime("%Y-%m")


def _stage_counts(db: Session, condition: object, start: datetime, end: datetime) -> dict[RecordStatus, int]:
    rows = db.execute(select(WorkRecord.status, func.count()).where(
        condition, WorkRecord.ended_at >= start, WorkRecord.ended_at < end).group_by(WorkRecord.status)).all()
    return {status: count for status, count in rows}


def _stacked(categories: list[str], series: dict[RecordStatus, list[int]], *, horizontal: bool) -> dict[str, object]:
    value_axis = {"type": "value", "minInterval": 1}
    category_axis = {"type": "category", "data": categories}
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 36, "containLabel": True},
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": category_axis if horizontal else value_axis,
        "series": [{"name": t(f"records.status.{status.value}"), "type": "bar", "stack": "all",
                    "itemStyle": {"color": COLOURS[status]}, "data": values}
                   for status, values in series.items()],
    }


def _mine(db: Session, actor: Principal, now: datetime) -> Chart:
    mine = WorkRecord.staff_id == actor.staff_id
    month_start, month_end = month_bounds(_month(now))
    quarter = quarter_of(now)
    quarter_start, quarter_end = quarter_bounds(quarter)
    month = _stage_counts(db, mine, month_start, month_end)
    in_quarter = _stage_counts(db, mine, quarter_start, quarter_end)
    categories = [t("records.chart_this_month"), t("records.chart_this_quarter")]
    option = _stacked(categories, {s: [month.get(s, 0), in_quarter.get(s, 0)] for s in STAGES}, horizontal=False)
    people, _info = quarter_scores(db, actor=_self_only(actor), quarter=quarter)
    score = people[0].score if people else None
    summary = t("records.chart_mine_summary", month=sum(month.values()), quarter=sum(in_quarter.values()),
                score="—" if score is None else f"{score:g}")
    return Chart("records.mine", t("records.chart_mine"), option, summary)


def _self_only(actor: Principal) -> Principal:
    """The actor seeing only themself, so the score query reads one row however wide their scope."""
    from dataclasses import replace

    from kaohe.auth.permissions import Grant
    from kaohe.auth.roles import Role

    return replace(actor, grants=(Grant(role=Role.staff, department_id=None),))


def _my_people(db: Session, actor: Principal, now: datetime) -> Chart | None:
    start, end = month_bounds(_month(now))
    in_month = and_(WorkRecord.staff_id == Staff.id, WorkRecord.ended_at >= start, WorkRecord.ended_at < end)
    rows = db.execute(
        select(Staff.name, *(func.count(case((WorkRecord.status == s, 1))) for s in STAGES))
        .outerjoin(WorkRecord, in_month)
        .where(Staff.supervisor_id == actor.staff_id, Staff.id != actor.staff_id,
               Staff.status == StaffStatus.active)
        .group_by(Staff.id, Staff.name).order_by(Staff.employee_no).limit(MAX_PEOPLE)).all()
    if not rows:
        return None
    names = [r[0] for r in rows][::-1]  # the first person at the top of a horizontal chart
    series = {s: [r[i + 1] for r in rows][::-1] for i, s in enumerate(STAGES)}
    waiting = sum(series[RecordStatus.submitted])
    summary = t("records.chart_people_summary", people=len(rows), waiting=waiting)
    option = _stacked(names, series, horizontal=True)
    option["yAxis"]["axisLabel"] = {"interval": 0}  # every name, one per bar
    return Chart("records.people", t("records.chart_people"), option, summary, height=max(260, 24 * len(rows) + 80))


def _unit(db: Session, now: datetime) -> Chart:
    start, end = month_bounds(_month(now))
    in_month = and_(WorkRecord.staff_id == Staff.id, WorkRecord.ended_at >= start, WorkRecord.ended_at < end)
    rows = db.execute(
        select(Department.name, func.count(WorkRecord.id),
               func.count(case((WorkRecord.status == RecordStatus.confirmed, 1))))
        .join(Staff, Staff.department_id == Department.id).outerjoin(WorkRecord, in_month)
        .where(Department.is_active.is_(True), Staff.status == StaffStatus.active)
        .group_by(Department.id, Department.name, Department.code).order_by(Department.code)).all()
    names = [r[0] for r in rows]
    total = [r[1] for r in rows]
    confirmed = [r[2] for r in rows]
    share = [round(100 * c / n, 1) if n else 0 for n, c in zip(total, confirmed, strict=True)]
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 8, "top": 24, "bottom": 36, "containLabel": True},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": [{"type": "value", "minInterval": 1}, {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}}],
        "series": [
            {"name": t("records.chart_unit_records"), "type": "bar", "data": total, "itemStyle": {"color": "#1d5fa8"}},
            {"name": t("records.chart_unit_confirmed"), "type": "line", "yAxisIndex": 1, "data": share,
             "itemStyle": {"color": "#389e0d"}},
        ],
    }
    all_records = sum(total)
    summary = t("records.chart_unit_summary", departments=len(rows), records=all_records,
                share=f"{(100 * sum(confirmed) / all_records if all_records else 0):.1f}")
    return Chart("records.unit", t("records.chart_unit"), option, summary)
