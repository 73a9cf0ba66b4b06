"""Pools and helpers shared by the demo and synthetic organisation generators.

Everything here is pure: randomness comes only from the `random.Random` passed in.
"""

import random
from datetime import date

from kaohe.auth.roles import Role
from kaohe.demo.shapes import DemoAccount, DemoDepartment, DemoStaff
from kaohe.org.enums import DepartmentKind, Level, PostCategory

M, T, S = PostCategory.management, PostCategory.technical, PostCategory.service
SR, MID, JR = Level.senior, Level.intermediate, Level.junior

LEADERSHIP_CODE = "LDBZ"
LEADERSHIP_NAME = "中心领导班子"

# Scheme 7.3: general management first, then front-line, then technical support and logistics.
ROLLOUT_BATCH: dict[DepartmentKind, int] = {
    DepartmentKind.general: 1,
    DepartmentKind.frontline: 2,
    DepartmentKind.tech_support: 3,
    DepartmentKind.logistics: 3,
}

# Every title the generators use, by grade; tests check each staff member's title against it.
TITLES_BY_GRADE: dict[tuple[PostCategory, Level], tuple[str, ...]] = {
    (M, SR): ("主任", "副主任", "科长", "办公室主任", "纪检监察室主任", "主任科员"),
    (M, MID): ("副科长", "办公室副主任", "主办"),
    (M, JR): ("科员", "办事员"),
    (T, SR): ("高级工程师", "高级经济师", "高级会计师"),
    (T, MID): ("工程师", "经济师", "会计师"),
    (T, JR): ("助理工程师", "助理经济师", "助理会计师", "技术员"),
    (S, SR): ("高级技师", "技师"),
    (S, MID): ("高级工",),
    (S, JR): ("中级工", "初级工", "窗口受理员"),
}

# The most common surnames, repeated roughly by frequency so a plain `choice` is weighted.
# fmt: off
_SURNAMES = (
    "王" * 9 + "李" * 9 + "张" * 8 + "刘" * 7 + "陈" * 6 + "杨" * 4 + "黄" * 3 + "赵" * 3 + "吴" * 3
    + "周" * 3 + "徐" * 2 + "孙" * 2 + "马" * 2 + "朱" * 2 + "胡" * 2 + "郭" * 2 + "何" * 2 + "高" * 2
    + "林" * 2 + "罗" * 2 + "郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    + "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方"
)
# fmt: on
_GIVEN_LAST = {
    "男": "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋晨博文峰东成亮毅昊然轩睿哲航",
    "女": "芳娜敏静丽艳娟霞燕玲婷雪慧莹琳倩颖洁佳晶欣悦琪萍红梅兰璐瑶蕾薇雯丹婧怡彤岚",
}
_GIVEN_FIRST = {
    "男": "志建国永宏俊家天明新卫德承子浩文晓海立振世云嘉思一",
    "女": "秀美玉晓春雨思嘉丽欣亚静婉雅梦诗紫佳晨月文海一",
}
# Common Chinese mobile prefixes.
_PHONE_PREFIXES = (
    *("130", "131", "132", "133", "135", "136", "137", "138", "139"),
    *("150", "151", "152", "153", "155", "156", "157", "158", "159"),
    *("177", "180", "181", "186", "187", "188", "189"),
)

# Seniority shapes the hiring year: seniors joined early, juniors recently (all within 1995-2024).
_HIRE_YEARS: dict[Level, tuple[int, int]] = {SR: (1995, 2010), MID: (2002, 2017), JR: (2010, 2024)}
_HIRE_ORDINALS = {
    level: (date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal())
    for level, (first, last) in _HIRE_YEARS.items()
}


def random_gender(rng: random.Random) -> str:
    return "男" if rng.random() < 0.5 else "女"


def random_name(rng: random.Random, gender: str) -> str:
    """A plausible 2- or 3-character Chinese name (about seven in ten have two given characters)."""
    last = rng.choice(_GIVEN_LAST[gender])
    if rng.random() < 0.3:
        return rng.choice(_SURNAMES) + last
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN_FIRST[gender]) + last


def random_hired_on(rng: random.Random, level: Level) -> date:
    return date.fromordinal(rng.randint(*_HIRE_ORDINALS[level]))


def random_phone(rng: random.Random) -> str:
    return rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


# The demo accounts, in the order they read best when printed, with the roles each one holds.
_ACCOUNT_ROLES: dict[str, tuple[Role, ...]] = {
    "admin": (Role.admin,),
    "hr": (Role.hr, Role.staff),
    "leader": (Role.leader, Role.staff),
    "dept_head": (Role.dept_head, Role.staff),
    "liaison": (Role.liaison, Role.staff),
    "committee": (Role.committee, Role.leader, Role.staff),
    "inspector": (Role.inspector, Role.staff),
    "staff_rep": (Role.staff_rep, Role.staff),
    "staff": (Role.staff,),
    "staff2": (Role.staff,),
}
ACCOUNT_KEYS = tuple(_ACCOUNT_ROLES)
_ACCOUNT_CAPACITY = {
    "hr": "考核办公室主任",
    "leader": "分管领导",
    "dept_head": "部门负责人",
    "liaison": "部门联络员",
    "committee": "考核委员会组长",
    "inspector": "纪检监督",
    "staff_rep": "职工代表",
    "staff": "干事",
    "staff2": "干事",
}


def _post_label(person: DemoStaff, department: DemoDepartment) -> str:
    if department.code == LEADERSHIP_CODE:
        return "中心" + person.title
    if person.title.startswith(department.name):
        return person.title
    return department.name + person.title


def build_accounts(
    picks: dict[str, str], staff: list[DemoStaff], departments: list[DemoDepartment]
) -> list[DemoAccount]:
    """The demo accounts: `picks` maps each non-admin account key to the 工号 of its holder."""
    wanted = set(picks.values())
    people = {person.employee_no: person for person in staff if person.employee_no in wanted}
    by_code = {department.code: department for department in departments}
    accounts = [DemoAccount("admin", None, _ACCOUNT_ROLES["admin"], "系统管理员")]
    for key in ACCOUNT_KEYS[1:]:
        person = people[picks[key]]
        post = _post_label(person, by_code[person.department_code])
        description = f"{_ACCOUNT_CAPACITY[key]}、{post} {person.name}"
        accounts.append(DemoAccount(person.employee_no, person.employee_no, _ACCOUNT_ROLES[key], description))
    return accounts
