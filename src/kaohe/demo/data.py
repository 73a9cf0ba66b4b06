"""A seeded, reproducible demo organisation: the fictional 江州市政务服务中心.

The structure (departments, posts, who leads whom, who holds which demo account) is fixed so that
demos, docs and tests can rely on it; the seed varies only names, genders, hiring dates and phones.
Pure: no database, no clock, no global random state.
"""

import random
from typing import NamedTuple

from kaohe.demo.common import (
    JR,
    LEADERSHIP_CODE,
    LEADERSHIP_NAME,
    MID,
    ROLLOUT_BATCH,
    SR,
    M,
    S,
    T,
    build_accounts,
    random_gender,
    random_hired_on,
    random_name,
    random_phone,
)
from kaohe.demo.shapes import DemoAccount, DemoDepartment, DemoStaff, DemoUnit
from kaohe.demo.synthetic import build_synthetic_unit
from kaohe.org.enums import DepartmentKind, Level, PostCategory

__all__ = [
    "DemoAccount",
    "DemoDepartment",
    "DemoStaff",
    "DemoUnit",
    "build_demo_unit",
    "build_synthetic_unit",
]

UNIT_NAME = "江州市政务服务中心"
UNIT_CODE = "JZZWFW"
EMPLOYEE_PREFIX = "JZ"


class _Slot(NamedTuple):
    category: PostCategory
    level: Level
    title: str
    post_name: str
    head: bool = False
    liaison: bool = False
    account: str | None = None  # key of the demo account this person holds, if any


class _Plan(NamedTuple):
    code: str
    name: str
    kind: DepartmentKind
    is_pilot: bool
    leader: int  # index into the leadership team: 0 is the 主任, 1-3 the 副主任
    slots: tuple[_Slot, ...]


_G, _F = DepartmentKind.general, DepartmentKind.frontline
_TS, _LG = DepartmentKind.tech_support, DepartmentKind.logistics

# Pilots (scheme 7.2): one department of each of three natures. The leadership team comes first,
# so the 主任 is JZ0001 and the 副主任 are JZ0002-JZ0004.
# fmt: off
_PLANS: tuple[_Plan, ...] = (
    _Plan(LEADERSHIP_CODE, LEADERSHIP_NAME, _G, False, 0, (
        _Slot(M, SR, "主任", "主要负责人岗", head=True, account="committee"),
        _Slot(M, SR, "副主任", "分管领导岗"),
        _Slot(M, SR, "副主任", "分管领导岗", account="leader"),
        _Slot(M, SR, "副主任", "分管领导岗"),
        _Slot(M, JR, "科员", "综合文秘岗", liaison=True),
    )),
    _Plan("BGS", "办公室", _G, True, 1, (
        _Slot(M, SR, "办公室主任", "综合管理岗", head=True),
        _Slot(M, MID, "办公室副主任", "综合协调岗"),
        _Slot(M, MID, "主办", "综合文秘岗"),
        _Slot(M, JR, "科员", "综合文秘岗", liaison=True),
        _Slot(M, JR, "科员", "督查督办岗"),
        _Slot(T, MID, "会计师", "财务会计岗"),
        _Slot(T, JR, "助理会计师", "出纳岗"),
        _Slot(S, JR, "中级工", "文印档案岗"),
    )),
    _Plan("RSK", "人事科", _G, False, 1, (
        _Slot(M, SR, "科长", "人事管理岗", head=True, account="hr"),
        _Slot(M, MID, "副科长", "考核管理岗"),
        _Slot(M, MID, "主办", "薪酬福利岗"),
        _Slot(M, JR, "科员", "人事档案岗", liaison=True),
        _Slot(M, JR, "科员", "教育培训岗"),
        _Slot(T, MID, "经济师", "人力资源管理岗"),
    )),
    _Plan("JJS", "纪检监察室", _G, False, 1, (
        _Slot(M, SR, "纪检监察室主任", "纪检监察岗", head=True, account="inspector"),
        _Slot(M, MID, "主办", "纪检监察岗"),
        _Slot(M, JR, "科员", "纪检监察岗", liaison=True),
        _Slot(M, JR, "科员", "效能督查岗"),
    )),
    _Plan("ZW1", "政务服务一科", _F, True, 2, (
        _Slot(M, SR, "科长", "窗口管理岗", head=True, account="dept_head"),
        _Slot(M, MID, "副科长", "窗口管理岗"),
        _Slot(M, MID, "主办", "综合受理岗"),
        _Slot(M, JR, "科员", "综合受理岗", liaison=True, account="liaison"),
        _Slot(M, JR, "科员", "窗口服务岗", account="staff"),
        _Slot(M, JR, "科员", "窗口服务岗"),
        _Slot(T, JR, "助理经济师", "帮办代办岗"),
        _Slot(S, SR, "技师", "窗口服务岗"),
        _Slot(S, MID, "高级工", "窗口服务岗"),
        _Slot(S, MID, "高级工", "窗口服务岗"),
        _Slot(S, JR, "窗口受理员", "窗口服务岗"),
        _Slot(S, JR, "窗口受理员", "窗口服务岗"),
        _Slot(S, JR, "窗口受理员", "窗口服务岗"),
        _Slot(S, JR, "窗口受理员", "窗口服务岗"),
    )),
    _Plan("ZW2", "政务服务二科", _F, False, 2, (
        _Slot(M, SR, "科长", "窗口管理岗", head=True),
        _Slot(M, MID, "副科长", "窗口管理岗"),
        _Slot(M, MID, "主办", "综合受理岗"),
        _Slot(M, JR, "科员", "综合受理岗", liaison=True),
        _Slot(M, JR, "科员", "投诉受理岗"),
        _Slot(M, JR, "科员", "12345热线岗"),
        _Slot(S, SR, "技师", "窗口服务岗"),
        _Slot(S, MID, "高级工", "窗口服务岗"),
        _Slot(S, MID, "高级工", "窗口服务岗"),
        _Slot(S, JR, "窗口受理员", "窗口服务岗"),
        _Slot(S, JR, "窗口受理员", "窗口服务岗"),
        _Slot(S, JR, "窗口受理员", "窗口服务岗"),
    )),
    _Plan("XMK", "项目服务科", _F, False, 2, (
        _Slot(M, SR, "科长", "项目代办岗", head=True),
        _Slot(M, MID, "副科长", "招商引资岗"),
        _Slot(M, MID, "主办", "项目代办岗"),
        _Slot(M, JR, "科员", "项目代办岗", liaison=True),
        _Slot(M, JR, "科员", "招商引资岗"),
        _Slot(T, SR, "高级经济师", "招商引资岗"),
        _Slot(T, MID, "经济师", "招商引资岗"),
        _Slot(T, JR, "助理经济师", "项目代办岗"),
    )),
    _Plan("XXK", "信息技术科", _TS, True, 3, (
        _Slot(M, SR, "科长", "信息化管理岗", head=True),
        _Slot(M, JR, "科员", "信息化项目管理岗", liaison=True),
        _Slot(T, SR, "高级工程师", "系统运维岗"),
        _Slot(T, SR, "高级工程师", "数据治理岗"),
        _Slot(T, MID, "工程师", "系统运维岗", account="staff2"),
        _Slot(T, MID, "工程师", "网络安全岗"),
        _Slot(T, MID, "工程师", "科研岗"),
        _Slot(T, JR, "助理工程师", "系统运维岗"),
        _Slot(T, JR, "助理工程师", "数据治理岗"),
        _Slot(T, JR, "技术员", "软件开发岗"),
    )),
    _Plan("HQK", "后勤保障科", _LG, False, 3, (
        _Slot(M, SR, "科长", "后勤管理岗", head=True),
        _Slot(M, MID, "副科长", "资产管理岗"),
        _Slot(M, JR, "科员", "后勤服务岗", liaison=True),
        _Slot(S, SR, "高级技师", "设施维修岗"),
        _Slot(S, SR, "技师", "公务用车驾驶岗", account="staff_rep"),
        _Slot(S, MID, "高级工", "设施维修岗"),
        _Slot(S, MID, "高级工", "后勤服务岗"),
        _Slot(S, JR, "中级工", "后勤服务岗"),
        _Slot(S, JR, "中级工", "安全保卫岗"),
        _Slot(S, JR, "初级工", "食堂服务岗"),
    )),
)
# fmt: on


def _unique_name(rng: random.Random, gender: str, taken: set[str]) -> str:
    while True:
        name = random_name(rng, gender)
        if name not in taken:
            taken.add(name)
            return name


def _unique_phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        phone = random_phone(rng)
        if phone not in taken:
            taken.add(phone)
            return phone


def build_demo_unit(seed: int = 2026) -> DemoUnit:
    """The demo unit's departments, staff and sign-in accounts; the same seed gives the same unit."""
    rng = random.Random(seed)
    numbers = iter(range(1, 10_000))
    # 工号 are handed out in plan order, so the leadership team's numbers are known up front.
    leadership_nos = [f"{EMPLOYEE_PREFIX}{n:04d}" for n in range(1, len(_PLANS[0].slots) + 1)]
    director_no = leadership_nos[0]
    names: set[str] = set()
    phones: set[str] = set()
    departments: list[DemoDepartment] = []
    staff: list[DemoStaff] = []
    picks: dict[str, str] = {}
    for plan in _PLANS:
        leader_no = leadership_nos[plan.leader]
        head_no = liaison_no = closer_no = None
        numbers_here: list[str] = []
        for slot in plan.slots:
            employee_no = f"{EMPLOYEE_PREFIX}{next(numbers):04d}"
            # The leadership team's own 分管领导 is the 主任, so the 副主任 report to the 主任.
            supervisor_no = None if employee_no == director_no else leader_no
            gender = random_gender(rng)
            staff.append(
                DemoStaff(
                    employee_no=employee_no,
                    name=_unique_name(rng, gender, names),
                    gender=gender,
                    department_code=plan.code,
                    post_category=slot.category,
                    level=slot.level,
                    title=slot.title,
                    post_name=slot.post_name,
                    supervisor_no=supervisor_no,
                    hired_on=random_hired_on(rng, slot.level),
                    phone=_unique_phone(rng, phones),
                )
            )
            numbers_here.append(employee_no)
            if slot.head:
                head_no = employee_no
                if slot.account and slot.account != "dept_head":
                    closer_no = "deputy"
            if slot.liaison:
                liaison_no = employee_no
            if slot.account:
                picks[slot.account] = employee_no
        departments.append(
            DemoDepartment(
                code=plan.code,
                name=plan.name,
                kind=plan.kind,
                is_pilot=plan.is_pilot,
                rollout_batch=ROLLOUT_BATCH[plan.kind],
                leader_no=leader_no,
                head_no=head_no,
                liaison_no=liaison_no,
                closer_no=numbers_here[1] if closer_no else None,
            )
        )
    accounts = build_accounts(picks, staff, departments)
    return DemoUnit(name=UNIT_NAME, code=UNIT_CODE, departments=departments, staff=staff, accounts=accounts)
