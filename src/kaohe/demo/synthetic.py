"""A seeded organisation of any size, for benchmarks: same shape as the demo unit, generated in bulk.

Names may repeat (as they do in any unit of thousands); 工号 and phones never do.
"""

import math
import random

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
    random_hired_on,
    random_name,
)
from kaohe.demo.shapes import DemoDepartment, DemoStaff, DemoUnit
from kaohe.org.enums import DepartmentKind, Level, PostCategory

MIN_SYNTHETIC_STAFF = 20
STAFF_PER_DEPARTMENT = 60
DEPARTMENTS_PER_LEADER = 3

_G, _F = DepartmentKind.general, DepartmentKind.frontline
_TS, _LG = DepartmentKind.tech_support, DepartmentKind.logistics

# The first four departments are fixed because the demo accounts live there; the rest cycle kinds.
_FIXED_DEPARTMENTS = ((_G, "办公室"), (_G, "人事科"), (_G, "纪检监察室"), (_F, "政务服务1科"))
_KIND_CYCLE = (_F, _F, _TS, _LG, _G)
_BASE_NAMES = {_G: "综合管理", _F: "政务服务", _TS: "信息技术", _LG: "后勤保障"}

_CATEGORIES = (M, T, S)
_CATEGORY_WEIGHTS = {
    _G: (70, 20, 10),
    _F: (35, 10, 55),
    _TS: (15, 80, 5),
    _LG: (20, 10, 70),
}
_LEVELS = (JR, MID, SR)
_LEVEL_WEIGHTS = (45, 35, 20)
_HEAD_POSTS = {_G: "综合管理岗", _F: "窗口管理岗", _TS: "信息化管理岗", _LG: "后勤管理岗"}
# Post names and titles by (kind, category); titles are listed junior, intermediate, senior.
_POSTS = {
    _G: {M: "综合管理岗", T: "财务会计岗", S: "文印档案岗"},
    _F: {M: "综合受理岗", T: "帮办代办岗", S: "窗口服务岗"},
    _TS: {M: "信息化项目管理岗", T: "系统运维岗", S: "机房值守岗"},
    _LG: {M: "后勤管理岗", T: "设施管理岗", S: "后勤服务岗"},
}
_DEFAULT_TITLES = {
    M: ("科员", "主办", "主任科员"),
    T: ("助理工程师", "工程师", "高级工程师"),
    S: ("中级工", "高级工", "技师"),
}
# Where the department's nature calls for a different title of the same grade.
_KIND_TITLES = {
    (_G, T): ("助理会计师", "会计师", "高级会计师"),
    (_F, T): ("助理经济师", "经济师", "高级经济师"),
    (_F, S): ("窗口受理员", "高级工", "技师"),
}
_TITLES = {
    (kind, category, level): _KIND_TITLES.get((kind, category), _DEFAULT_TITLES[category])[rank]
    for kind in DepartmentKind
    for category in _CATEGORIES
    for rank, level in enumerate(_LEVELS)
}
_HEAD_TITLES = {"办公室": "办公室主任", "纪检监察室": "纪检监察室主任"}


def _department_kinds(count: int) -> list[tuple[DepartmentKind, str]]:
    kinds = list(_FIXED_DEPARTMENTS)
    ordinals = {_G: 0, _F: 1, _TS: 0, _LG: 0}
    for i in range(count - len(kinds)):
        kind = _KIND_CYCLE[i % len(_KIND_CYCLE)]
        ordinals[kind] += 1
        kinds.append((kind, f"{_BASE_NAMES[kind]}{ordinals[kind]}科"))
    return kinds


def build_synthetic_unit(n_staff: int, seed: int = 1) -> DemoUnit:
    """A unit of exactly `n_staff` people in about n/60 departments, with the demo unit's accounts."""
    if n_staff < MIN_SYNTHETIC_STAFF:
        raise ValueError(f"a synthetic unit needs at least {MIN_SYNTHETIC_STAFF} staff, got {n_staff}")
    rng = random.Random(seed)
    n_departments = max(len(_FIXED_DEPARTMENTS), round(n_staff / STAFF_PER_DEPARTMENT))
    n_leaders = math.ceil(n_departments / DEPARTMENTS_PER_LEADER)
    width = max(4, len(str(n_staff)))
    staff: list[DemoStaff] = []

    def add(
        department_code: str,
        category: PostCategory,
        level: Level,
        title: str,
        post_name: str,
        supervisor_no: str | None,
    ) -> str:
        index = len(staff) + 1
        employee_no = f"SY{index:0{width}d}"
        gender = "男" if rng.random() < 0.5 else "女"
        # The running index as the last eight digits keeps every phone unique without a lookup.
        phone = f"1{rng.choice('3589')}{rng.randrange(10)}{index:08d}"
        staff.append(
            DemoStaff(
                employee_no,
                random_name(rng, gender),
                gender,
                department_code,
                category,
                level,
                title,
                post_name,
                supervisor_no,
                random_hired_on(rng, level),
                phone,
            )
        )
        return employee_no

    director_no = add(LEADERSHIP_CODE, M, SR, "主任", "主要负责人岗", None)
    leader_nos = [add(LEADERSHIP_CODE, M, SR, "副主任", "分管领导岗", director_no) for _ in range(n_leaders)]
    secretary_no = add(LEADERSHIP_CODE, M, JR, "科员", "综合文秘岗", director_no)
    departments = [
        DemoDepartment(
            LEADERSHIP_CODE,
            LEADERSHIP_NAME,
            _G,
            False,
            ROLLOUT_BATCH[_G],
            leader_no=director_no,
            head_no=director_no,
            liaison_no=secretary_no,
        )
    ]

    remaining = n_staff - len(staff)
    base, extra = divmod(remaining, n_departments)
    code_width = len(str(n_departments))
    first_tech_support = True
    picks = {"committee": director_no}
    ordinary: list[list[str]] = []
    for i, (kind, name) in enumerate(_department_kinds(n_departments)):
        code = f"D{i + 1:0{code_width}d}"
        leader_no = leader_nos[i // DEPARTMENTS_PER_LEADER]
        size = base + (1 if i < extra else 0)
        head_no = add(code, M, SR, _HEAD_TITLES.get(name, "科长"), _HEAD_POSTS[kind], leader_no)
        liaison_no = add(code, M, JR, "科员", "综合文秘岗", leader_no)
        categories = rng.choices(_CATEGORIES, _CATEGORY_WEIGHTS[kind], k=size - 2)
        levels = rng.choices(_LEVELS, _LEVEL_WEIGHTS, k=size - 2)
        ordinary.append(
            [
                add(code, category, level, _TITLES[kind, category, level], _POSTS[kind][category], leader_no)
                for category, level in zip(categories, levels, strict=True)
            ]
        )
        # Pilots (scheme 7.2): the office, the first front-line and the first tech-support department.
        is_pilot = i in (0, 3) or (kind is _TS and first_tech_support)
        first_tech_support = first_tech_support and kind is not _TS
        departments.append(
            DemoDepartment(
                code,
                name,
                kind,
                is_pilot,
                ROLLOUT_BATCH[kind],
                leader_no,
                head_no,
                liaison_no,
            )
        )
        if i == 1:
            picks["hr"] = head_no
        elif i == 2:
            picks["inspector"] = head_no
        elif i == 3:
            picks.update(leader=leader_no, dept_head=head_no, liaison=liaison_no)

    picks["staff_rep"] = ordinary[0][0]
    picks["staff"] = ordinary[3][0]
    picks["staff2"] = ordinary[4][0] if n_departments > 4 else ordinary[1][0]
    accounts = build_accounts(picks, staff, departments)
    return DemoUnit(name="合成测试单位", code="SYN", departments=departments, staff=staff, accounts=accounts)
