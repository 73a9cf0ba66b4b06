"""The stored scheme against SQLite and PostgreSQL: import, versions, publish, freeze, compare."""

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaohe.audit.models import AuditEntry
from kaohe.auth.permissions import Grant, Principal
from kaohe.auth.roles import Role
from kaohe.bootstrap import make_engine, make_session_factory
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.scheme import service
from kaohe.scheme.edits import Edit
from kaohe.scheme.loader import default_scheme_text, load_scheme_text
from kaohe.scheme.orm import SchemeStatus, SchemeVersion

HR = Principal(user_id=None, username="hr", display_name="考核办", staff_id=None, staff_department_id=None,
               grants=(Grant(Role.hr, None),))
STAFF = Principal(user_id=None, username="s", display_name="干事", staff_id=None, staff_department_id=None,
                  grants=(Grant(Role.staff, None),))


@pytest.fixture
def db(empty_url: str) -> Iterator[Session]:
    engine = make_engine(empty_url)
    session = make_session_factory(engine)()
    yield session
    session.close()
    engine.dispose()


def _audits(db: Session, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)) or 0


def test_it_imports_a_valid_file_as_a_draft_of_the_year(db):
    row = service.import_version(db, actor=HR, year=2026, text=default_scheme_text(), note="默认")
    assert (row.year, row.version, row.status) == (2026, 1, SchemeStatus.draft)
    assert "year: 2026" in row.yaml_text and "# S1" in row.yaml_text  # comments kept, year set
    assert len(row.sha256) == 64
    assert _audits(db, "scheme.import") == 1
    assert service.export_version(db, year=2026, version=1) == row.yaml_text


def test_it_refuses_an_invalid_file_with_every_problem_and_saves_nothing(db):
    text = default_scheme_text().replace("weight: 40\n    standard: 以岗位职责", "weight: 45\n    standard: 以岗位职责")
    with pytest.raises(Invalid) as caught:
        service.import_version(db, actor=HR, year=2026, text=text)
    assert any(d.startswith("indicators: 同级权重之和为 105") for d in caught.value.details)
    assert len(caught.value.details) > 1
    db.rollback()
    assert db.scalar(select(func.count()).select_from(SchemeVersion)) == 0
    with pytest.raises(Invalid):
        service.import_version(db, actor=HR, year=2026, text="a: &x 1\nb: *x\n")


def test_it_keeps_every_version_and_serves_the_latest_published(db):
    assert service.current(db, year=2026).year == 2026  # the default, for the year
    first = service.import_version(db, actor=HR, year=2026, text=default_scheme_text())
    service.publish(db, actor=HR, version_id=first.id)
    second = service.new_draft(db, actor=HR, year=2026)
    assert second.version == 2 and second.yaml_text == first.yaml_text
    third = service.update_draft(db, actor=HR, version_id=second.id,
                                 edits=[Edit("quotas.limits[0].max_share", "15")])
    assert third.version == 3 and third.status is SchemeStatus.draft and third.note == "修改自第 2 版"
    assert service.current(db, year=2026).quotas.limits[0].max_share == 20  # the draft is not in force
    service.publish(db, actor=HR, version_id=third.id)
    db.commit()
    assert service.current(db, year=2026).quotas.limits[0].max_share == 15
    versions = service.list_versions(db, year=2026)
    assert [(v.version, v.status) for v in versions] == [
        (3, SchemeStatus.published), (2, SchemeStatus.draft), (1, SchemeStatus.published)]
    assert versions[1].yaml_text == first.yaml_text  # the draft edited is kept as it was
    assert service.current_version(db, year=2026).id == third.id
    assert _audits(db, "scheme.publish") == 2 and _audits(db, "scheme.update") == 1


def test_every_saved_edit_of_a_draft_is_a_new_version_and_none_is_overwritten(db):
    draft = service.import_version(db, actor=HR, year=2026, text=default_scheme_text())
    db.commit()
    texts = [draft.yaml_text]
    row = draft
    for share in ("18", "16", "15"):
        row = service.update_draft(db, actor=HR, version_id=row.id,
                                   edits=[Edit("quotas.limits[0].max_share", share)])
        texts.append(row.yaml_text)
    assert service.update_draft(db, actor=HR, version_id=row.id, text=row.yaml_text).id == row.id  # no change
    whole = service.update_draft(db, actor=HR, version_id=draft.id,
                                 text=draft.yaml_text.replace("cap_percent_of_base: 20", "cap_percent_of_base: 15"))
    texts.append(whole.yaml_text)
    db.commit()
    db.expire_all()
    rows = sorted(service.list_versions(db, year=2026), key=lambda v: v.version)
    assert [v.version for v in rows] == [1, 2, 3, 4, 5]
    assert [v.yaml_text for v in rows] == texts  # every saved text is there, unchanged
    assert [service.scheme_of(v).quotas.limits[0].max_share for v in rows] == [20, 18, 16, 15, 20]
    assert service.scheme_of(rows[4]).bonus.cap_percent_of_base == 15
    assert [v.note for v in rows[1:]] == ["修改自第 1 版", "修改自第 2 版", "修改自第 3 版", "修改自第 1 版"]
    assert all(v.status is SchemeStatus.draft for v in rows)
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "scheme.update")
                         .order_by(AuditEntry.id)).all()
    assert [e.entity_id for e in entries] == [str(v.id) for v in rows[1:]]
    assert "第 1 版草稿" in entries[0].summary and "另存为第 2 版" in entries[0].summary


def test_it_edits_a_weight_by_indicator_code_and_refuses_a_broken_sum(db):
    row = service.import_version(db, actor=HR, year=2026, text=default_scheme_text())
    db.commit()
    original = row.yaml_text
    with pytest.raises(Invalid) as caught:
        service.update_draft(db, actor=HR, version_id=row.id, edits=[Edit("weight", 60, code="JI.1")])
    assert "indicators[3].children: 同级权重之和为 110，应为 100" in caught.value.details
    db.rollback()
    db.expire_all()
    assert db.get(SchemeVersion, row.id).yaml_text == original
    assert db.scalar(select(func.count()).select_from(SchemeVersion)) == 1  # nothing saved
    edited = service.update_draft(db, actor=HR, version_id=row.id,
                                  edits=[Edit("weight", 60, code="JI.1"), Edit("weight", 20, code="JI.2")])
    db.commit()
    assert edited.id != row.id and edited.version == 2
    assert load_scheme_text(db.get(SchemeVersion, edited.id).yaml_text).indicators[3].children[0].weight == 60
    assert db.get(SchemeVersion, row.id).yaml_text == original


def test_it_refuses_changes_from_staff(db):
    with pytest.raises(Forbidden):
        service.import_version(db, actor=STAFF, year=2026, text=default_scheme_text())
    with pytest.raises(Forbidden):
        service.freeze(db, actor=STAFF, year=2026)


def test_freezing_stops_edits_and_publishing_but_not_new_drafts(db):
    row = service.import_version(db, actor=HR, year=2026, text=default_scheme_text())
    service.publish(db, actor=HR, version_id=row.id)
    draft = service.new_draft(db, actor=HR, year=2026)
    frozen = service.freeze(db, actor=HR, year=2026)
    assert frozen.id == row.id and frozen.status is SchemeStatus.frozen and frozen.frozen_at is not None
    assert service.freeze(db, actor=HR, year=2026).id == row.id  # freezing twice changes nothing
    with pytest.raises(Conflict, match="已在首个考核周期开启时冻结"):
        service.publish(db, actor=HR, version_id=draft.id)
    with pytest.raises(Conflict, match="冻结"):
        service.update_draft(db, actor=HR, version_id=draft.id, edits=[Edit("records.weight", 35)])
    later = service.new_draft(db, actor=HR, year=2026, note="下一年度修订")
    assert later.version == 3 and later.status is SchemeStatus.draft
    assert service.current_version(db, year=2026).id == row.id


def test_freezing_a_year_without_a_published_scheme_stores_the_default(db):
    row = service.freeze(db, actor=HR, year=2027)
    assert (row.version, row.status) == (1, SchemeStatus.frozen)
    assert service.current(db, year=2027).year == 2027
    assert "year: 2027" in service.export_version(db, year=2027)


def test_it_refuses_to_publish_twice_and_to_find_missing_versions(db):
    row = service.import_version(db, actor=HR, year=2026, text=default_scheme_text())
    service.publish(db, actor=HR, version_id=row.id)
    with pytest.raises(Conflict, match="不是草稿"):
        service.publish(db, actor=HR, version_id=row.id)
    with pytest.raises(NotFound):
        service.export_version(db, year=2026, version=9)


def test_it_compares_a_draft_with_the_previous_year(db):
    old = service.import_version(db, actor=HR, year=2025, text=default_scheme_text())
    service.publish(db, actor=HR, version_id=old.id)
    text = default_scheme_text().replace("code: KY.3\n", "code: KY.9\n")
    draft = service.import_version(db, actor=HR, year=2026, text=text)
    diff = service.compare(db, year=2026, version_id=draft.id)
    assert (diff.old_year, diff.new_year) == (2025, 2026)
    assert [i.code for i in diff.added] == ["KY.9"] and [i.code for i in diff.retired] == ["KY.3"]
    assert diff.churn_out_of_band  # 2 of the leaves is well under 10%
    assert service.compare(db, year=2026).added == []  # nothing published for 2026: the default
