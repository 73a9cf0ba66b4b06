"""The working-day calendar in the browser: read by all, edited and imported by HR."""

from sqlalchemy import func, select

from kaohe.calendar.models import CalendarDay, CalendarYear

CSV_2027 = (
    "日期,类型,名称\n2027-01-01,放假,元旦\n2027-02-06,放假,春节\n2027-02-07,调休上班,春节调休\n"
    "2027-10-01,放假,国庆节\n2027-06-15,单位停工,设备检修\n"
).encode()


def test_it_shows_the_year_with_holidays_to_everyone(client_as):
    page = client_as("staff").get("/calendar", params={"year": 2026})
    assert page.status_code == 200
    assert "国庆节" in page.text and "法定节假日" in page.text
    assert "导入年度安排" not in page.text  # staff cannot edit


def test_it_says_a_year_without_data_is_not_loaded(client_as):
    page = client_as("hr").get("/calendar", params={"year": 2027})
    assert "2027 年的节假日安排尚未导入" in page.text


def test_it_imports_a_year_and_then_answers_for_it(client_as, db):
    hr = client_as("hr")
    response = hr.post("/calendar/import", data={"csrf_token": hr.csrf, "year": "2027"},
                       files={"file": ("2027.csv", CSV_2027, "text/csv")})
    assert response.status_code == 200, response.text
    assert "已导入 2027 年日历：法定安排 4 天，单位停工 1 天" in response.text
    assert db.get(CalendarYear, 2027).source == "import"
    answer = hr.get("/api/v1/calendar/workday", params={"day": "2027-02-07"}).json()
    assert answer["is_workday"] is True  # an adjusted Sunday
    assert hr.get("/api/v1/calendar/workday", params={"day": "2027-06-15"}).json()["is_workday"] is False


def test_it_refuses_a_bad_calendar_file_and_changes_nothing(client_as, db):
    hr = client_as("hr")
    before = db.scalar(select(func.count()).select_from(CalendarDay))
    bad = "日期,类型,名称\n2027-02-30,放假,不存在\n2027-03-03,调休上班,周三\n".encode()
    response = hr.post("/calendar/import", data={"csrf_token": hr.csrf, "year": "2027"},
                       files={"file": ("2027.csv", bad, "text/csv")})
    assert response.status_code == 422
    assert "第 2 行" in response.text and "第 3 行" in response.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(CalendarDay)) == before
    assert db.get(CalendarYear, 2027) is None


def test_it_lets_hr_mark_a_closure_and_undo_it(client_as):
    hr = client_as("hr")
    assert hr.get("/api/v1/calendar/workday", params={"day": "2026-12-15"}).json()["is_workday"] is True
    response = hr.form("/calendar/days", {"day": "2026-12-15", "kind": "closure", "name": "停电检修"})
    assert response.status_code == 303
    assert hr.get("/api/v1/calendar/workday", params={"day": "2026-12-15"}).json()["is_workday"] is False
    hr.form("/calendar/days", {"day": "2026-12-15", "kind": "none"})
    assert hr.get("/api/v1/calendar/workday", params={"day": "2026-12-15"}).json()["is_workday"] is True


def test_it_refuses_calendar_changes_from_staff(client_as):
    staff = client_as("staff")
    assert staff.form("/calendar/days", {"day": "2026-12-15", "kind": "closure"}).status_code == 403
