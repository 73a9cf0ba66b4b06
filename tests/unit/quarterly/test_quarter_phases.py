"""The pure arithmetic of quarterly phases: quarters of a year, the phase that follows, when a phase
starts and is due on the working-day calendar (国庆 and its 调休 Saturday), and quarter codes as people
type them."""

from datetime import date

import pytest

from kaohe.calendar.workdays import CalendarError, WorkCalendar, arrangement_from_package
from kaohe.errors import Invalid
from kaohe.quarterly import phases
from kaohe.quarterly.models import QuarterPhase
from kaohe.quarterly.service import parse_quarter, quarter_label

CALENDAR = WorkCalendar({2026: arrangement_from_package(2026)})


def test_a_year_is_cut_into_the_schemes_number_of_quarters() -> None:
    four = phases.periods(2026, 4)
    assert [(p.quarter, p.starts_on, p.ends_on) for p in four] == [
        (1, date(2026, 1, 1), date(2026, 3, 31)), (2, date(2026, 4, 1), date(2026, 6, 30)),
        (3, date(2026, 7, 1), date(2026, 9, 30)), (4, date(2026, 10, 1), date(2026, 12, 31))]
    assert [(p.starts_on, p.ends_on) for p in phases.periods(2024, 2)] == [
        (date(2024, 1, 1), date(2024, 6, 30)), (date(2024, 7, 1), date(2024, 12, 31))]
    with pytest.raises(Invalid, match="无法按整月等分全年"):
        phases.periods(2026, 5)


def test_the_phases_follow_one_another_and_end_with_closed() -> None:
    order = [QuarterPhase.pending]
    while (following := phases.next_phase(order[-1])) is not None:
        order.append(following)
    assert order == [QuarterPhase.pending, QuarterPhase.collection, QuarterPhase.rating, QuarterPhase.review,
                     QuarterPhase.closed]


@pytest.mark.parametrize(("today", "start", "deadline"), [
    (date(2026, 9, 20), date(2026, 10, 8), date(2026, 10, 13)),  # before the quarter ends: after the holiday
    (date(2026, 10, 3), date(2026, 10, 8), date(2026, 10, 13)),  # during the holiday
    (date(2026, 10, 10), date(2026, 10, 10), date(2026, 10, 15)),  # on the 调休 Saturday itself
    (date(2026, 10, 11), date(2026, 10, 12), date(2026, 10, 16)),  # on a Sunday: Monday
])
def test_collection_starts_on_the_first_working_day_after_the_quarter_and_counts_that_day(
        today: date, start: date, deadline: date) -> None:
    window = phases.window(CALENDAR, phase=QuarterPhase.collection, quarter_ends_on=date(2026, 9, 30), today=today,
                           working_days=5)
    assert (window.starts_on, window.deadline) == (start, deadline)


def test_a_later_phase_starts_the_day_hr_moves_on() -> None:
    window = phases.window(CALENDAR, phase=QuarterPhase.rating, quarter_ends_on=date(2026, 6, 30),
                           today=date(2026, 9, 24), working_days=10)
    # 24 September (1), 25–27 off (中秋), 28, 29, 30 (4), 1–7 October off (国庆), 8, 9, 10 (调休), 12, 13, 14 (10).
    assert (window.starts_on, window.deadline) == (date(2026, 9, 24), date(2026, 10, 14))


def test_a_window_into_a_year_nobody_loaded_is_refused() -> None:
    with pytest.raises(CalendarError, match="2027"):
        phases.window(CALENDAR, phase=QuarterPhase.collection, quarter_ends_on=date(2026, 12, 31),
                      today=date(2026, 12, 30), working_days=5)


def test_standing_counts_working_days_left_and_overdue() -> None:
    deadline = date(2026, 10, 13)
    assert phases.standing(CALENDAR, deadline=deadline, today=date(2026, 10, 9)).left == 3
    assert phases.standing(CALENDAR, deadline=deadline, today=deadline) == phases.Standing(0, 0)
    late = phases.standing(CALENDAR, deadline=deadline, today=date(2026, 10, 15))
    assert late.is_overdue and late.overdue == 2
    assert phases.standing(CALENDAR, deadline=date(2026, 10, 9), today=date(2026, 10, 11)).overdue == 1


@pytest.mark.parametrize(("text", "parsed"), [
    ("2026Q3", (2026, 3)), ("2026-Q3", (2026, 3)), ("2026q3", (2026, 3)), (" 2026 Q4 ", (2026, 4)),
    ("2026年第三季度", (2026, 3)), ("2026年第1季度", (2026, 1)),
])
def test_quarters_are_read_as_people_write_them(text: str, parsed: tuple[int, int]) -> None:
    assert parse_quarter(text) == parsed


@pytest.mark.parametrize("text", ["", "2026", "2026Q", "Q3", "2026Q0", "2026Q13", "26Q3", "1999Q1", "二〇二六Q3",
                                  "2026-Q3-1"])
def test_anything_else_is_refused_naming_what_was_typed(text: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_quarter(text)
    assert refused.value.message.startswith(f"季度「{text.strip()}」无法识别")


def test_labels_read_in_chinese() -> None:
    assert quarter_label(2026, 3) == "2026年第三季度"
