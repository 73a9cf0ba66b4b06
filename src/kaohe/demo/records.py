"""A realistic quarter of daily records for the demo unit: pure and seeded (no database, no clock).

Per person: a small task book, one to three records a week, most confirmed by their leader, a few
returned with a reason, some entered late, one burst of entries just before a month end, one pair of
colleagues whose texts are copy-pasted, and one trivially short record.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from kaohe.clock import zone
from kaohe.demo.data import DemoUnit
from kaohe.org.enums import DepartmentKind

WORK: dict[DepartmentKind, list[tuple[str, str, str]]] = {
    DepartmentKind.frontline: [
        ("企业开办一窗通办", "受理企业开办申请 {n} 件，当场办结 {m} 件，平均办理时长压缩到 {h} 小时", "高峰期排队较长，启用预约分流后缓解"),
        ("不动产登记窗口服务", "办理不动产转移登记 {n} 件，材料一次性告知率 100%，群众现场评价满意", "部分群众材料不齐，电话预审后补齐"),
        ("12345 热线工单办理", "办结热线转办工单 {n} 件，按时办结率 {p}%，回访满意 {m} 件", "一件跨部门工单协调住建部门现场会商解决"),
        ("帮办代办服务", "为重点项目提供帮办代办 {n} 次，协助办理施工许可等事项 {m} 项", "审批材料口径不一致，与审批科室逐项核对"),
    ],
    DepartmentKind.tech_support: [
        ("政务服务平台运维", "完成平台版本升级，处理系统故障 {n} 起，平均恢复时间 {h} 小时", "数据库连接池耗尽，调整参数并增加监控告警"),
        ("数据共享接口开发", "新增与市场监管系统数据共享接口 {m} 个，日均调用 {n} 次", "对方接口文档不全，联合调试三次后打通"),
        ("网络安全检查", "完成中心网络安全自查，整改弱口令 {n} 处、高危漏洞 {m} 个", "老旧设备无法升级，制定替换计划"),
    ],
    DepartmentKind.general: [
        ("重点工作督办", "督办年度重点任务 {n} 项，按期完成 {m} 项，编发督办通报 1 期", "个别任务进度滞后，约谈责任科室并明确时限"),
        ("公文处理", "办理收文 {n} 件、发文 {m} 件，公文差错率为零", "临时急件较多，实行 AB 角处理"),
        ("考核组织工作", "组织季度考核数据采集，汇总 {n} 个部门数据，{h} 个工作日内完成", "部分部门报送格式不统一，下发模板统一口径"),
    ],
    DepartmentKind.logistics: [
        ("办公设备维护", "巡检办公设备 {n} 台，维修故障 {m} 起，设备完好率 {p}%", "空调主机老化，协调厂家更换压缩机"),
        ("后勤服务保障", "保障大型会议 {m} 场，接待服务对象 {n} 人次，零投诉", "会议临时增加人数，调配备用场地"),
    ],
}
DETAILS = [
    "其中为江州市恒通物流有限公司加急办理", "重点解决了群众反映的材料重复提交问题", "配合市审计组完成资料调阅",
    "对新入职同事进行了业务带教", "针对周一高峰增设潮汐窗口", "整理形成常见问题解答 15 条",
    "对接区数据局完成字段核对", "当天处理投诉 1 件并当面回复", "协助开发区管委会解答政策咨询",
    "撰写工作简报 1 篇报中心办公室", "与税务窗口联动实现一次办结", "按要求完成系统操作留痕",
    "抽查历史办件 20 件无差错", "接待现场咨询群众 40 余人次", "对老年群众提供全程陪同服务",
    "完成季度台账归档", "参加市里业务培训并做笔记分享", "梳理出流程堵点 3 个并提出改进建议",
]
SHORT_TEXT = "开会。"
EVIDENCE_NAMES = ["窗口现场照片.png", "办件清单.pdf", "会议签到表.pdf", "系统截图.png"]
RETURN_REASONS = ["请补充办件数量和办结时限", "阶段成果写得过于笼统，请具体说明", "与上周记录内容重复，请核实"]


@dataclass(frozen=True)
class DemoTask:
    employee_no: str
    code: str
    title: str
    target: str
    weight: int
    deadline: date
    progress: int


@dataclass(frozen=True)
class DemoRecord:
    employee_no: str
    title: str
    started_at: datetime
    ended_at: datetime
    entered_at: datetime
    stage_result: str
    difficulties: str
    task_code: str | None
    review: str | None  # "confirm", "return" or None (still waiting)
    reviewed_at: datetime | None
    comment: str
    mark: int | None
    evidence: str | None = None  # the file name of an attachment, for some records


@dataclass(frozen=True)
class DemoRecords:
    tasks: list[DemoTask]
    records: list[DemoRecord]


DEMO_WEEKS = 13  # a quarter of records


def build_demo_records(unit: DemoUnit, *, today: date, seed: int = 2026, weeks: int = DEMO_WEEKS) -> DemoRecords:
    """Tasks and records of the `weeks` before `today`, sorted by entry time."""
    rng = random.Random(seed)
    kinds = {d.code: d.kind for d in unit.departments}
    leaders = {s.supervisor_no for s in unit.staff if s.supervisor_no}
    year = today.year
    tasks: list[DemoTask] = []
    records: list[DemoRecord] = []
    people = [s for s in unit.staff if s.supervisor_no and s.department_code in kinds]
    for person in people:
        catalogue = WORK.get(kinds[person.department_code], WORK[DepartmentKind.general])
        codes = []
        for index, (title, _result, _hard) in enumerate(rng.sample(catalogue, min(2, len(catalogue))), start=1):
            code = f"{year}-{person.employee_no}-{index:02d}"
            codes.append(code)
            tasks.append(DemoTask(person.employee_no, code, title, f"全年完成{title}任务，质量达标", 50,
                                  date(year, 12, 31), rng.randint(55, 95)))
        start_day = today - timedelta(weeks=weeks)
        day = start_day
        while day < today - timedelta(days=1):
            day += timedelta(days=rng.randint(2, 6))
            if day.weekday() >= 5 or day >= today:
                continue
            title, result, hard = rng.choice(catalogue)
            begin = _working_time(rng, day)
            end = min(begin + timedelta(minutes=rng.choice([45, 60, 90, 120, 150, 180])), begin.replace(hour=17, minute=30))
            late = rng.random() < 0.08
            entered = (_working_time(rng, (end + timedelta(hours=rng.randint(30, 90))).date(), after=end) if late
                       else min(end + timedelta(minutes=rng.randint(5, 90)), _evening(end)))
            records.append(_record(rng, person.employee_no, title, result, hard, begin, end, entered,
                                   rng.choice(codes), today, person.employee_no in leaders))
    _add_copy_paste_pair(rng, unit, records, kinds, today)
    _add_burst_and_short(rng, people, records, today)
    records.sort(key=lambda r: r.entered_at)
    return DemoRecords(tasks=tasks, records=[r for r in records if r.entered_at.date() < today])


def _working_time(rng: random.Random, day: date, *, after: datetime | None = None) -> datetime:
    """A moment of a working day, 08:30–11:30 or 14:00–17:00, to the minute (never before `after`)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    morning = rng.random() < 0.55
    minutes = rng.randint(8 * 60 + 30, 11 * 60 + 30) if morning else rng.randint(14 * 60, 17 * 60)
    moment = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone())
    return max(moment, after + timedelta(minutes=rng.randint(5, 60))) if after else moment


def _evening(end: datetime) -> datetime:
    """Entries made the same day go in by 18:30: nobody is shown recording at midnight."""
    return max(end + timedelta(minutes=5), end.replace(hour=18, minute=30))


def _record(rng: random.Random, no: str, title: str, result: str, hard: str, begin: datetime, end: datetime,
            entered: datetime, task: str | None, today: date, _is_leader: bool) -> DemoRecord:
    text = result.format(n=rng.randint(8, 60), m=rng.randint(2, 12), h=rng.randint(1, 4), p=rng.randint(92, 100))
    text += "；" + "，".join(rng.sample(DETAILS, 2)) + "。"
    age = (today - end.date()).days
    review, comment, mark = None, "", None
    if age > 7:
        review = "return" if rng.random() < 0.05 else "confirm"
    elif age > 2 and rng.random() < 0.5:
        review = "confirm"
    if review == "return":
        comment = rng.choice(RETURN_REASONS)
    elif review == "confirm":
        mark = rng.choice([3, 4, 4, 5])
    # Leaders review within three days, in working hours, so a month is closed in the next month's first week.
    reviewed = _working_time(rng, (entered + timedelta(days=rng.randint(1, 3))).date()) if review else None
    if reviewed and reviewed.date() >= today:
        review, reviewed, comment, mark = None, None, "", None
    evidence = rng.choice(EVIDENCE_NAMES) if rng.random() < 0.1 else None
    return DemoRecord(no, title, begin, end, entered, text, hard if rng.random() < 0.6 else "", task, review,
                      reviewed, comment, mark, evidence)


def _add_copy_paste_pair(rng: random.Random, unit: DemoUnit, records: list[DemoRecord],
                         kinds: dict[str, DepartmentKind], today: date) -> None:
    """Two colleagues of one front-line department file nearly the same text on the same day."""
    front = [s for s in unit.staff if kinds.get(s.department_code) == DepartmentKind.frontline and s.supervisor_no
             and s.title not in ("科长", "副科长")]
    first, second = front[0], front[1]
    day = today - timedelta(days=20)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    text = "受理企业开办申请 36 件，当场办结 33 件，平均办理时长压缩到 2 小时，材料一次性告知率 100%"
    for person, minutes, suffix in ((first, 30, ""), (second, 95, "。")):
        begin = datetime.combine(day, time(9), tzinfo=zone())
        end = begin + timedelta(hours=3)
        records.append(DemoRecord(person.employee_no, "企业开办一窗通办", begin, end, end + timedelta(minutes=minutes),
                                  text + suffix, "", None, "confirm", end + timedelta(days=2), "", 3))


def _add_burst_and_short(rng: random.Random, people: list, records: list[DemoRecord], today: date) -> None:  # type: ignore[type-arg]
    """One person back-fills six records in the day before last month's end; another writes too little."""
    person = people[len(people) // 2]
    month_end = datetime.combine(today.replace(day=1), time(0), tzinfo=zone())
    for index in range(6):
        end = month_end - timedelta(days=20 - 3 * index, hours=13)
        # All six typed in on the month's last afternoon, twenty minutes apart.
        entered = month_end - timedelta(hours=9) + timedelta(minutes=20 * index)
        records.append(DemoRecord(person.employee_no, f"日常事务处理（补记{index + 1}）", end - timedelta(hours=2), end,
                                  entered, f"处理科室日常事务第 {index + 1} 批，整理归档材料 {10 + index} 份", "", None,
                                  "confirm", entered + timedelta(days=2), "", 3))
    lazy = people[len(people) // 3]
    end = datetime.combine(today - timedelta(days=9), time(11), tzinfo=zone())
    records.append(DemoRecord(lazy.employee_no, "参加会议", end - timedelta(hours=1), end, end + timedelta(hours=1),
                              SHORT_TEXT * 2, "", None, "return", end + timedelta(days=1),
                              "阶段成果写得过于笼统，请具体说明", None))
