"""The working-day calendar on 2026 from chinesecalendar and on an imported 2027."""

from datetime import date, datetime, timedelta, timezone

import chinese_calendar
import pytest
from chinese_calendar import constants as package_data

from kaohe.calendar.arrangement import parse_arrangement_file
from kaohe.calendar.workdays import (
    CalendarError,
    DayKind,
    SpecialDay,
    WorkCalendar,
    YearArrangement,
    arrangement_from_package,
    package_years,
)
from kaohe.errors import Invalid

# A plausible 2027 State Council notice, as HR would type it before the package knows the year.
CSV_2027 = """日期,类型,名称
2027-01-01,放假,元旦
2027-01-02,放假,元旦
2027-01-03,放假,元旦
2027-02-06,放假,春节
2027-02-07,放假,春节
2027-02-08,放假,春节
2027-02-09,放假,春节
2027-02-10,放假,春节
2027-02-11,放假,春节
2027-02-12,放假,春节
2027-02-13,放假,春节
2027-02-14,放假,春节
2027-02-20,调休上班,春节
2027-04-25,调休上班,劳动节
2027-05-01,放假,劳动节
2027-05-02,放假,劳动节
2027-05-03,放假,劳动节
2027-05-04,放假,劳动节
2027-05-05,放假,劳动节
2027-05-08,调休上班,劳动节
2027-09-26,调休上班,国庆节
2027-10-01,放假,国庆节
2027-10-02,放假,国庆节
2027-10-03,放假,国庆节
2027-10-04,放假,国庆节
2027-10-05,放假,国庆节
2027-10-06,放假,国庆节
2027-10-07,放假,国庆节
2027-10-09,调休上班,国庆节
"""


@pytest.fixture(scope="module")
def year_2026() -> YearArrangement:
    return arrangement_from_package(2026)


@pytest.fixture
def calendar_2026(year_2026: YearArrangement) -> WorkCalendar:
    return WorkCalendar({2026: year_2026})


def adjusted_saturday_2026() -> date:
    return min(d for d in package_data.workdays if d.year == 2026 and d.weekday() == 5)


def test_it_probes_the_package_years_instead_of_assuming_them():
    years = package_years()
    assert 2026 in years
    assert years == sorted(years)
    for year in years:
        assert chinese_calendar.is_workday(date(year, 6, 1)) in (True, False)


def test_it_refuses_a_year_the_package_does_not_know():
    unknown = max(package_years()) + 1
    with pytest.raises(CalendarError) as raised:
        arrangement_from_package(unknown)
    assert str(unknown) in raised.value.message
    assert raised.value.year == unknown


def test_it_takes_2026_from_the_package_with_chinese_names(year_2026):
    assert year_2026.year == 2026
    national_day = next(s for s in year_2026.days if s.day == date(2026, 10, 1))
    assert national_day.kind is DayKind.holiday
    assert national_day.name == "国庆节"
    assert {s.kind for s in year_2026.days} == {DayKind.holiday, DayKind.workday}
    assert [s.day for s in year_2026.days] == sorted(s.day for s in year_2026.days)


def test_it_knows_national_day_is_not_a_workday(calendar_2026):
    assert not calendar_2026.is_workday(date(2026, 10, 1))


def test_it_knows_an_adjusted_saturday_is_a_workday(calendar_2026):
    saturday = adjusted_saturday_2026()
    assert calendar_2026.is_workday(saturday)
    plain_saturday = saturday + timedelta(days=7)
    while plain_saturday in package_data.workdays or plain_saturday in package_data.holidays:
        plain_saturday += timedelta(days=7)
    assert not calendar_2026.is_workday(plain_saturday)


def test_it_agrees_with_the_package_on_every_day_of_2026(calendar_2026):
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert calendar_2026.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_it_adds_working_days_across_the_national_day_week(calendar_2026):
    # 1–7 October are off; the first working day after 30 September is 8 October.
    assert calendar_2026.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    expected = date(2026, 9, 30)
    for n in range(1, 8):
        expected += timedelta(days=1)
        while not chinese_calendar.is_workday(expected):
            expected += timedelta(days=1)
        assert calendar_2026.add_working_days(date(2026, 9, 30), n) == expected


def test_it_does_not_count_the_start_day(calendar_2026):
    assert calendar_2026.add_working_days(date(2026, 11, 2), 1) == date(2026, 11, 3)
    assert calendar_2026.add_working_days(date(2026, 11, 2), 0) == date(2026, 11, 2)
    with pytest.raises(ValueError):
        calendar_2026.add_working_days(date(2026, 11, 2), -1)


def test_it_counts_working_days_between_two_dates(calendar_2026):
    start = date(2026, 9, 28)
    for n in range(12):
        end = calendar_2026.add_working_days(start, n)
        assert calendar_2026.working_days_between(start, end) == n
        assert calendar_2026.working_days_between(end, start) == -n
    # 1–7 October alone hold no working day.
    assert calendar_2026.working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0


def test_it_sets_a_24_hour_deadline_by_the_clock(calendar_2026):
    start = datetime(2026, 9, 30, 15, 30)
    assert calendar_2026.deadline(start, hours=24) == datetime(2026, 10, 1, 15, 30)


def test_it_sets_a_5_working_day_deadline_at_the_end_of_the_day(calendar_2026):
    # 8, 9, 10 (an adjusted Saturday), 12 and 13 October are the five working days.
    start = datetime(2026, 9, 30, 14, 0)
    assert calendar_2026.deadline(start, working_days=5) == datetime(2026, 10, 13, 23, 59, 59)


def test_it_sets_a_10_working_day_deadline(calendar_2026):
    start = datetime(2026, 11, 2, 9, 0)  # a Monday with no holiday for weeks
    assert calendar_2026.deadline(start, working_days=10) == datetime(2026, 11, 16, 23, 59, 59)


def test_it_keeps_the_time_zone_of_the_start():
    beijing = timezone(timedelta(hours=8))
    calendar = WorkCalendar({2026: arrangement_from_package(2026)})
    deadline = calendar.deadline(datetime(2026, 11, 2, 9, 0, tzinfo=beijing), working_days=1)
    assert deadline == datetime(2026, 11, 3, 23, 59, 59, tzinfo=beijing)


@pytest.mark.parametrize(
    "kwargs", [{}, {"hours": 24, "working_days": 5}, {"hours": -1}, {"working_days": -1}]
)
def test_it_wants_exactly_one_non_negative_period(calendar_2026, kwargs):
    with pytest.raises(ValueError):
        calendar_2026.deadline(datetime(2026, 11, 2, 9, 0), **kwargs)


def test_it_refuses_a_2027_date_without_an_arrangement(calendar_2026):
    with pytest.raises(CalendarError) as raised:
        calendar_2026.is_workday(date(2027, 3, 1))
    assert "2027" in raised.value.message
    assert raised.value.year == 2027
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, Invalid)


def test_it_refuses_a_deadline_that_runs_into_an_unloaded_year(calendar_2026):
    with pytest.raises(CalendarError) as raised:
        calendar_2026.deadline(datetime(2026, 12, 28, 10, 0), working_days=10)
    assert "2027" in raised.value.message


def test_it_works_in_2027_once_the_arrangement_is_imported(year_2026):
    arrangement, closures, errors = parse_arrangement_file(
        CSV_2027.encode("utf-8"), "2027年放假安排.csv", year=2027
    )
    assert errors == []
    assert closures == []
    assert arrangement is not None
    calendar = WorkCalendar({2026: year_2026, 2027: arrangement})
    assert not calendar.is_workday(date(2027, 10, 4))
    assert calendar.is_workday(date(2027, 10, 9))  # an adjusted Saturday
    assert calendar.is_workday(date(2027, 10, 8))
    # New Year's Day 2027 is a Friday; with the weekend the first working day is Monday the 4th.
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar.deadline(datetime(2027, 9, 30, 10, 0), working_days=3) == datetime(
        2027, 10, 11, 23, 59, 59
    )


def test_it_treats_a_closure_as_a_non_working_weekday(year_2026):
    closure = SpecialDay(day=date(2026, 11, 4), kind=DayKind.closure, name="闭馆维护")
    calendar = WorkCalendar({2026: year_2026}, closures=[closure])
    assert closure.day.weekday() < 5
    assert not calendar.is_workday(closure.day)
    assert calendar.add_working_days(date(2026, 11, 3), 1) == date(2026, 11, 5)


def test_it_lets_a_closure_win_over_an_adjusted_workday(year_2026):
    saturday = adjusted_saturday_2026()
    calendar = WorkCalendar({2026: year_2026}, closures=[SpecialDay(saturday, DayKind.closure, "停电")])
    assert not calendar.is_workday(saturday)


def test_it_rejects_inconsistent_inputs(year_2026):
    with pytest.raises(ValueError):
        WorkCalendar({2027: year_2026})
    with pytest.raises(ValueError):
        WorkCalendar({2026: year_2026}, closures=[SpecialDay(date(2026, 11, 4), DayKind.holiday, "x")])
