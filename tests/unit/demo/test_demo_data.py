"""The demo and synthetic organisation generators: pure, seeded and shaped like the scheme."""

import re
from collections import Counter
from datetime import date

import pytest

from kaohe.auth.roles import Role
from kaohe.demo.common import TITLES_BY_GRADE
from kaohe.demo.data import DemoUnit, build_demo_unit, build_synthetic_unit
from kaohe.org.enums import DepartmentKind, Level, PostCategory

SEEDS = [2026, 1, 7]


def _by_no(unit: DemoUnit):
    return {person.employee_no: person for person in unit.staff}


def _director(unit: DemoUnit):
    (director,) = [person for person in unit.staff if person.supervisor_no is None]
    return director


def _assert_supervision_is_a_tree(unit: DemoUnit) -> None:
    people = _by_no(unit)
    director = _director(unit)
    for person in unit.staff:
        seen = {person.employee_no}
        current = person
        while current.supervisor_no is not None:
            assert current.supervisor_no in people, current
            assert current.supervisor_no not in seen, f"loop through {current.employee_no}"
            seen.add(current.supervisor_no)
            current = people[current.supervisor_no]
        assert current.employee_no == director.employee_no


def _account(unit: DemoUnit, username: str):
    (account,) = [account for account in unit.accounts if account.username == username]
    return account


def test_it_is_deterministic():
    assert build_demo_unit() == build_demo_unit(2026)
    assert build_demo_unit(5) == build_demo_unit(5)


def test_it_varies_only_the_people_with_the_seed():
    one, other = build_demo_unit(1), build_demo_unit(2)
    assert [p.name for p in one.staff] != [p.name for p in other.staff]
    assert one.departments == other.departments
    assert [(p.employee_no, p.title, p.supervisor_no) for p in one.staff] == [
        (p.employee_no, p.title, p.supervisor_no) for p in other.staff
    ]
    assert [(a.username, a.roles) for a in one.accounts] == [(a.username, a.roles) for a in other.accounts]


def test_it_has_departments_of_all_four_kinds():
    unit = build_demo_unit()
    assert unit.name == "江州市政务服务中心"
    assert len(unit.departments) >= 5
    assert {d.kind for d in unit.departments} == set(DepartmentKind)
    names = {d.name for d in unit.departments}
    assert {
        "中心领导班子",
        "办公室",
        "人事科",
        "纪检监察室",
        "政务服务一科",
        "政务服务二科",
        "信息技术科",
        "后勤保障科",
    } <= names
    codes = [d.code for d in unit.departments]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z0-9]{2,5}", code) for code in codes)


def test_it_pilots_two_or_three_departments_of_different_kinds():
    pilots = [d for d in build_demo_unit().departments if d.is_pilot]
    assert 2 <= len(pilots) <= 3
    assert len({d.kind for d in pilots}) == len(pilots)
    assert {d.name for d in pilots} == {"办公室", "政务服务一科", "信息技术科"}


def test_it_rolls_out_general_first_then_frontline_then_support_and_logistics():
    expected = {
        DepartmentKind.general: 1,
        DepartmentKind.frontline: 2,
        DepartmentKind.tech_support: 3,
        DepartmentKind.logistics: 3,
    }
    for department in build_demo_unit().departments:
        assert department.rollout_batch == expected[department.kind], department


@pytest.mark.parametrize("seed", SEEDS)
def test_it_has_65_to_80_staff_covering_every_category_and_level(seed):
    unit = build_demo_unit(seed)
    assert 65 <= len(unit.staff) <= 80
    grades = {(p.post_category, p.level) for p in unit.staff}
    assert grades == {(c, lv) for c in PostCategory for lv in Level}


def test_it_gives_titles_consistent_with_category_and_level():
    for person in build_demo_unit().staff:
        assert person.title in TITLES_BY_GRADE[person.post_category, person.level], person
        assert person.post_name.endswith("岗"), person


def test_it_puts_technical_posts_in_it_and_service_posts_in_logistics_and_windows():
    staff = build_demo_unit().staff
    technical = Counter(p.department_code for p in staff if p.post_category is PostCategory.technical)
    service = Counter(p.department_code for p in staff if p.post_category is PostCategory.service)
    assert technical.most_common(1)[0][0] == "XXK"
    assert service["HQK"] + service["ZW1"] + service["ZW2"] > sum(service.values()) * 0.8
    assert any(p.post_name == "窗口服务岗" for p in staff)
    assert any(p.post_name == "招商引资岗" for p in staff)


@pytest.mark.parametrize("seed", SEEDS)
def test_it_gives_unique_employee_numbers_and_names(seed):
    staff = build_demo_unit(seed).staff
    assert len({p.employee_no for p in staff}) == len(staff)
    assert len({p.name for p in staff}) == len(staff)
    assert all(re.fullmatch(r"JZ\d{4}", p.employee_no) for p in staff)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", p.name) for p in staff)


@pytest.mark.parametrize("seed", SEEDS)
def test_it_gives_plausible_personal_details(seed):
    staff = build_demo_unit(seed).staff
    assert {p.gender for p in staff} == {"男", "女"}
    assert all(date(1995, 1, 1) <= p.hired_on <= date(2024, 12, 31) for p in staff)
    assert all(re.fullmatch(r"1[3-9]\d{9}", p.phone) for p in staff)
    assert len({p.phone for p in staff}) == len(staff)


def test_it_links_everyone_but_the_director_to_their_departments_leader():
    unit = build_demo_unit()
    people = _by_no(unit)
    director = _director(unit)
    assert director.title == "主任"
    deputies = [p for p in unit.staff if p.title == "副主任"]
    assert len(deputies) == 3
    assert all(p.supervisor_no == director.employee_no for p in deputies)
    departments = {d.code: d for d in unit.departments}
    for person in unit.staff:
        if person is not director:
            assert person.supervisor_no == departments[person.department_code].leader_no, person
    leaders = {d.leader_no for d in unit.departments if d.code != "LDBZ"}
    assert leaders == {p.employee_no for p in deputies}
    assert all(people[no].department_code == "LDBZ" for no in leaders)


@pytest.mark.parametrize("seed", SEEDS)
def test_it_has_no_supervision_loops(seed):
    _assert_supervision_is_a_tree(build_demo_unit(seed))


def test_it_gives_each_department_a_head_and_a_liaison_of_its_own():
    unit = build_demo_unit()
    people = _by_no(unit)
    for department in unit.departments:
        head, liaison = people[department.head_no], people[department.liaison_no]
        assert head.department_code == liaison.department_code == department.code
        assert (head.post_category, head.level) == (PostCategory.management, Level.senior)
        assert liaison.title == "科员"
        assert head.employee_no != liaison.employee_no


def test_it_has_an_account_for_every_role():
    unit = build_demo_unit()
    held = {role for account in unit.accounts for role in account.roles}
    assert held == set(Role)
    assert len({a.username for a in unit.accounts}) == len(unit.accounts)


def test_it_lists_accounts_in_a_stable_readable_order():
    unit = build_demo_unit()
    first_roles = [a.roles[0] for a in unit.accounts]
    assert first_roles == [
        Role.admin,
        Role.hr,
        Role.leader,
        Role.dept_head,
        Role.liaison,
        Role.committee,
        Role.inspector,
        Role.staff_rep,
        Role.staff,
        Role.staff,
    ]
    assert all(a.description and not a.description.isascii() for a in unit.accounts)


def test_it_ties_every_account_but_admin_to_an_appraised_staff_member():
    unit = build_demo_unit()
    people = _by_no(unit)
    admin = _account(unit, "admin")
    assert admin.employee_no is None
    assert admin.roles == (Role.admin,)
    for account in unit.accounts:
        if account is admin:
            continue
        assert account.username == account.employee_no
        assert account.employee_no in people
        assert Role.staff in account.roles
        assert people[account.employee_no].name in account.description


def test_it_gives_the_accounts_to_the_people_the_scheme_names():
    unit = build_demo_unit()
    people = _by_no(unit)
    departments = {d.code: d for d in unit.departments}
    holder = {a.roles[0]: people[a.employee_no] for a in unit.accounts[1:-1]}
    staff2 = people[unit.accounts[-1].employee_no]
    assert holder[Role.hr].employee_no == departments["RSK"].head_no
    assert holder[Role.dept_head].employee_no == departments["ZW1"].head_no
    assert holder[Role.liaison].employee_no == departments["ZW1"].liaison_no
    assert holder[Role.inspector].employee_no == departments["JJS"].head_no
    assert holder[Role.leader].employee_no == departments["ZW1"].leader_no
    assert holder[Role.committee] == _director(unit)
    committee = _account(unit, holder[Role.committee].employee_no)
    assert committee.roles == (Role.committee, Role.leader, Role.staff)
    ordinary = holder[Role.staff]
    assert ordinary.department_code == "ZW1"
    assert ordinary.title == "科员"
    assert ordinary.employee_no not in {departments["ZW1"].head_no, departments["ZW1"].liaison_no}
    assert staff2.department_code != "ZW1"


def test_it_builds_a_synthetic_unit_of_10000():
    # How long it takes is measured in bench/bench_inputs.py (and bench_demo.py), not asserted here.
    unit = build_synthetic_unit(10_000)
    assert len(unit.staff) == 10_000
    assert len({p.employee_no for p in unit.staff}) == 10_000
    assert len({p.phone for p in unit.staff}) == 10_000
    assert 150 <= len(unit.departments) <= 190
    _assert_supervision_is_a_tree(unit)


@pytest.mark.parametrize("n_staff", [20, 61, 500, 2_345])
def test_it_shapes_synthetic_units_like_the_demo(n_staff):
    unit = build_synthetic_unit(n_staff, seed=3)
    assert len(unit.staff) == n_staff
    assert {d.kind for d in unit.departments} >= {DepartmentKind.general, DepartmentKind.frontline}
    assert {role for account in unit.accounts for role in account.roles} == set(Role)
    assert len({a.username for a in unit.accounts}) == len(unit.accounts)
    assert 2 <= sum(d.is_pilot for d in unit.departments) <= 3
    people = _by_no(unit)
    departments = {d.code: d for d in unit.departments}
    for department in unit.departments:
        assert people[department.head_no].department_code == department.code
        assert people[department.liaison_no].department_code == department.code
    for person in unit.staff:
        assert person.title in TITLES_BY_GRADE[person.post_category, person.level], person
        if person.supervisor_no is not None:
            assert person.supervisor_no == departments[person.department_code].leader_no
    _assert_supervision_is_a_tree(unit)


def test_it_mixes_all_kinds_in_a_large_synthetic_unit():
    unit = build_synthetic_unit(1_000, seed=2)
    assert {d.kind for d in unit.departments} == set(DepartmentKind)
    grades = {(p.post_category, p.level) for p in unit.staff}
    assert grades == {(c, lv) for c in PostCategory for lv in Level}


def test_it_builds_the_same_synthetic_unit_from_the_same_seed():
    assert build_synthetic_unit(300, seed=9) == build_synthetic_unit(300, seed=9)
    assert build_synthetic_unit(300, seed=9) != build_synthetic_unit(300, seed=10)


def test_it_refuses_a_synthetic_unit_too_small_for_the_demo_accounts():
    with pytest.raises(ValueError):
        build_synthetic_unit(5)
