"""HR uploads a roster as their office keeps it (title rows, merged header, 工号 with leading zeros)."""

from sqlalchemy import select
from tests.unit.sheets.books import DEMO_PEOPLE, real_world_roster

from kaohe.org.models import Staff

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_it_imports_a_real_world_roster_through_the_upload_page(client_as, db):
    hr = client_as("hr")
    data = real_world_roster(DEMO_PEOPLE)
    response = hr.form("/roster/import", files={"file": ("江州市2026年干部名册.xlsx", data, XLSX)})
    assert response.status_code == 200, response.text
    assert "导入成功：新增 3 人，更新 0 人。" in response.text
    db.expire_all()
    names = dict(db.execute(select(Staff.employee_no, Staff.name)
                            .where(Staff.employee_no.in_(["00123", "007", "4506"]))).all())
    assert names == {"00123": "林晓峰", "007": "陈静", "4506": "王建国"}
