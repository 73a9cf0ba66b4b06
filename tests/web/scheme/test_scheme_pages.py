"""The scheme pages per role: everyone reads, HR drafts, edits and publishes, staff see their own."""

import re

from sqlalchemy import select

from kaohe.org.models import Staff
from kaohe.scheme import service
from kaohe.scheme.orm import SchemeStatus, SchemeVersion


def _edited_id(response) -> int:  # type: ignore[no-untyped-def]
    return int(re.search(r"/scheme/versions/(\d+)/edit", response.headers["location"]).group(1))


def _draft(hr) -> int:  # type: ignore[no-untyped-def]
    response = hr.form("/scheme/drafts", {"year": "2026", "note": "调整权重"})
    assert response.status_code == 303, response.text
    return _edited_id(response)


def test_it_shows_the_tree_with_weights_to_everyone(client_as):
    for role in ("staff", "inspector", "leader", "hr"):
        page = client_as(role).get("/scheme", params={"year": 2026})
        assert page.status_code == 200, role
        assert "2026 年度考核方案" in page.text
        assert "任务完成率" in page.text and "占总分" in page.text and "40%" in page.text
        assert "一票否决" in page.text and "加分不超过基础分的" in page.text
        assert "尚未发布方案" in page.text
        assert ("新建草稿" in page.text) is (role == "hr")
        # The quarter's deadlines and rules, in words (Q3, Q5, Q6, S2, S3).
        assert "季度评价：10 个工作日" in page.text and "季度审核：5 个工作日" in page.text
        assert "按其余主体的权重重新归一" in page.text and "未达交叉验证人数" in page.text
        assert "连续 2 个季度低于 85%" in page.text


def test_it_lets_hr_create_edit_and_publish_a_draft(client_as, db):
    hr = client_as("hr")
    version_id = _draft(hr)
    editor = hr.get(f"/scheme/versions/{version_id}/edit")
    assert editor.status_code == 200 and 'name="indicators[3].children[0].weight"' in editor.text
    assert editor.text.count(f'name="csrf_token" value="{hr.csrf}"') == 4  # logout, save, publish, YAML
    saved = hr.form(f"/scheme/versions/{version_id}/edit", {
        "indicators[3].children[0].weight": "60", "indicators[3].children[1].weight": "20"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("saved=1")
    edited_id = _edited_id(saved)  # the saved change is a new version; the editor follows it
    assert edited_id != version_id
    editor = hr.get(saved.headers["location"])
    assert "草稿已保存为第 2 版" in editor.text and 'value="60"' in editor.text
    unchanged = hr.form(f"/scheme/versions/{edited_id}/edit", {"indicators[3].children[0].weight": "60"})
    assert unchanged.headers["location"] == f"/scheme/versions/{edited_id}/edit?saved=0"
    published = hr.form(f"/scheme/versions/{edited_id}/publish")
    assert published.status_code == 303
    page = hr.get(published.headers["location"])
    assert "已发布" in page.text and "正在执行" in page.text
    db.expire_all()
    assert db.get(SchemeVersion, edited_id).status is SchemeStatus.published
    assert db.get(SchemeVersion, version_id).status is SchemeStatus.draft  # kept, unchanged
    assert service.scheme_of(db.get(SchemeVersion, version_id)).indicators[3].children[0].weight == 50
    assert service.current(db, year=2026).indicators[3].children[0].weight == 60


def test_it_shows_each_problem_next_to_the_form_and_saves_nothing(client_as, db):
    hr = client_as("hr")
    version_id = _draft(hr)
    before = db.get(SchemeVersion, version_id).yaml_text
    response = hr.form(f"/scheme/versions/{version_id}/edit", {"indicators[3].children[0].weight": "60"})
    assert response.status_code == 422
    assert "同级权重之和为 110，应为 100" in response.text
    assert "绩 的下级指标" in response.text  # where, in plain words
    assert 'data-path="indicators[3].children"' in response.text  # next to the node
    assert 'value="60"' in response.text  # the input keeps what was typed
    db.expire_all()
    assert db.get(SchemeVersion, version_id).yaml_text == before


def test_it_saves_a_whole_yaml_text_and_refuses_a_broken_one(client_as, db):
    hr = client_as("hr")
    version_id = _draft(hr)
    text = db.get(SchemeVersion, version_id).yaml_text
    bad = hr.form(f"/scheme/versions/{version_id}/yaml", {"yaml_text": text.replace("cap_percent_of_base: 20", "cap_percent_of_base: 200")})
    assert bad.status_code == 422 and "bonus.cap_percent_of_base" in bad.text
    good = hr.form(f"/scheme/versions/{version_id}/yaml", {"yaml_text": text.replace("cap_percent_of_base: 20", "cap_percent_of_base: 15")})
    assert good.status_code == 303
    db.expire_all()
    assert "cap_percent_of_base: 15" in db.get(SchemeVersion, _edited_id(good)).yaml_text
    assert db.get(SchemeVersion, version_id).yaml_text == text  # the version it came from is kept


def test_it_imports_a_file_and_exports_it_back(client_as, db):
    hr = client_as("hr")
    text = service.default_text(2026).encode()
    response = hr.post("/scheme/import", data={"csrf_token": hr.csrf, "year": "2026"},
                       files={"file": ("scheme.yaml", text, "application/yaml")}, follow_redirects=False)
    assert response.status_code == 303, response.text
    row = db.scalar(select(SchemeVersion).order_by(SchemeVersion.id.desc()))
    exported = client_as("staff").get(f"/scheme/versions/{row.id}/export")
    assert exported.status_code == 200 and exported.text == row.yaml_text
    broken = hr.post("/scheme/import", data={"csrf_token": hr.csrf, "year": "2026"},
                     files={"file": ("scheme.yaml", b"year: 2026\nname: x\n", "application/yaml")})
    assert broken.status_code == 422 and "缺少必填项" in broken.text


def test_it_refuses_the_editor_and_publishing_to_staff_and_inspector(client_as, db):
    version_id = _draft(client_as("hr"))
    for role in ("staff", "inspector", "committee"):
        client = client_as(role)
        assert client.get(f"/scheme/versions/{version_id}/edit").status_code == 403
        assert client.form(f"/scheme/versions/{version_id}/publish").status_code == 403
        assert client.form(f"/scheme/versions/{version_id}/edit", {"records.weight": "40"}).status_code == 403
        assert client.form("/scheme/drafts", {"year": "2026"}).status_code == 403
        view = client.get(f"/scheme/versions/{version_id}")
        assert view.status_code == 200 and "发布此版本" not in view.text and "编辑草稿" not in view.text
    db.expire_all()
    assert db.get(SchemeVersion, version_id).status is SchemeStatus.draft


def test_it_shows_staff_the_indicators_that_apply_to_them(client_as, db, accounts):
    page = client_as("staff").get("/scheme/mine", params={"year": 2026})
    assert page.status_code == 200
    assert "适用于我的指标" in page.text and "占总分" in page.text
    from kaohe.auth.models import User

    user = db.scalar(select(User).where(User.username == accounts["staff"]))
    staff = db.get(Staff, user.staff_id)
    assert staff.name in page.text
    template = {"management": "战略贡献", "technical": "专业能力", "service": "操作规范"}[staff.post_category.value]
    assert template in page.text  # the post-category template replaced 绩's children
    assert "JI.1.1" not in page.text  # the base children of 绩 no longer apply


def test_it_tells_an_account_without_a_staff_record_why_nothing_is_listed(client_as):
    page = client_as("admin").get("/scheme/mine")
    assert page.status_code == 200 and "没有关联人员档案" in page.text


def test_it_compares_with_the_year_before_and_warns_outside_the_band(client_as):
    hr = client_as("hr")
    version_id = _draft(hr)
    page = hr.get("/scheme/compare", params={"version_id": version_id})
    assert page.status_code == 200
    assert "2025 年 → 2026 年" in page.text and "修订比例" in page.text
    assert "不在方案规定的 10%–15% 区间内" in page.text  # nothing changed: 0%


def test_it_refuses_publishing_a_frozen_year(client_as, db):
    hr = client_as("hr")
    version_id = _draft(hr)
    from kaohe.clikit import CLI_ACTOR

    service.freeze(db, actor=CLI_ACTOR, year=2026)
    db.commit()
    response = hr.form(f"/scheme/versions/{version_id}/publish")
    assert response.status_code == 409 and "冻结" in response.text
    assert "已冻结" in hr.get("/scheme", params={"year": 2026}).text


def test_a_refused_publish_renders_the_reason_and_keeps_the_request_usable(client_as, db):
    hr = client_as("hr")
    version_id = _draft(hr)
    assert hr.form(f"/scheme/versions/{version_id}/publish").status_code == 303
    again = hr.form(f"/scheme/versions/{version_id}/publish")
    assert again.status_code == 409 and "不是草稿" in again.text and "已发布" in again.text
    db.expire_all()
    assert db.get(SchemeVersion, version_id).status is SchemeStatus.published


def test_an_edit_keeps_its_note_and_the_audit_log_says_what_changed_field_by_field(client_as, db):
    from kaohe.audit.models import AuditEntry

    hr = client_as("hr")
    version_id = _draft(hr)
    saved = hr.form(f"/scheme/versions/{version_id}/edit", {
        "indicators[3].children[0].weight": "60", "indicators[3].children[1].weight": "20",
        "note": "提高任务完成率的权重"})
    assert saved.status_code == 303
    db.expire_all()
    edited = db.get(SchemeVersion, _edited_id(saved))
    assert edited.note == "提高任务完成率的权重"
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "scheme.update")
                      .order_by(AuditEntry.id.desc()).limit(1))
    assert "改动 2 处" in entry.summary and "修改说明：提高任务完成率的权重" in entry.summary
    changed = {where: (entry.before[where], entry.after[where]) for where in entry.after}
    assert len(changed) == 2 and all(where.endswith("权重") and "绩" in where for where in changed), changed
    assert sorted(changed.values()) == [(30, 20), (50, 60)] or sorted(changed.values()) == [(30.0, 20.0), (50.0, 60.0)]
    log = client_as("inspector").get("/audit").text
    assert "修改说明：提高任务完成率的权重" in log
