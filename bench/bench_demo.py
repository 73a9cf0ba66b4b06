"""Loading a 10,000-person unit, and importing a 10,000-row roster, on SQLite (and PostgreSQL when
KAOHE_BENCH_PG_URL names an empty database). Each figure comes with a naive baseline measured in the
same run: one ORM object added and flushed at a time, the way a first version would do it.

    python bench/bench_demo.py
"""

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from kaohe.auth.permissions import Grant, Principal
from kaohe.auth.roles import Role
from kaohe.bootstrap import make_engine, make_session_factory
from kaohe.demo.data import build_synthetic_unit
from kaohe.demo.load_unit import load_demo_unit
from kaohe.migrate import upgrade
from kaohe.org import roster_service
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Department, Staff
from kaohe.org.roster import write_roster_xlsx
from kaohe.org.roster_model import RosterExportRow

N = int(os.environ.get("KAOHE_BENCH_STAFF", "10000"))
ADMIN = Principal(user_id=None, username="bench", display_name="bench", staff_id=None, staff_department_id=None,
                  grants=(Grant(Role.admin, None),))


def fresh_sqlite() -> str:
    path = Path(tempfile.mkdtemp()) / "bench.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    return url


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bulk_load(url: str) -> float:
    unit = build_synthetic_unit(N, seed=1)
    engine = make_engine(url)
    with make_session_factory(engine)() as db:
        seconds = timed(lambda: load_demo_unit(db, unit, password="bench-pass-2026"))
    engine.dispose()
    return seconds


def naive_load(url: str) -> float:
    unit = build_synthetic_unit(N, seed=1)
    engine = make_engine(url)

    def run() -> None:
        with make_session_factory(engine)() as db:
            depts = {}
            for d in unit.departments:
                dept = Department(code=d.code, name=d.name, kind=d.kind, is_pilot=d.is_pilot,
                                  rollout_batch=d.rollout_batch)
                db.add(dept)
                db.flush()
                depts[d.code] = dept.id
            ids = {}
            for s in unit.staff:
                row = Staff(employee_no=s.employee_no, name=s.name, department_id=depts[s.department_code],
                            post_category=s.post_category, level=s.level, title=s.title, post_name=s.post_name,
                            status=StaffStatus.active)
                db.add(row)
                db.flush()
                ids[s.employee_no] = row
            for s in unit.staff:
                if s.supervisor_no:
                    ids[s.employee_no].supervisor_id = db.scalar(
                        select(Staff.id).where(Staff.employee_no == s.supervisor_no))
                    db.flush()
            db.commit()

    seconds = timed(run)
    engine.dispose()
    return seconds


def roster_import(url: str) -> float:
    engine = make_engine(url)
    with make_session_factory(engine)() as db:
        rows = db.execute(select(Staff, Department.name).join(Department, Staff.department_id == Department.id)).all()
        by_id = {s.id: s.employee_no for s, _ in rows}
        body = write_roster_xlsx([
            RosterExportRow(employee_no=s.employee_no, name=s.name, department=dept, post_category=s.post_category,
                            level=s.level, title=s.title + "（新）", post_name=s.post_name,
                            supervisor_no=by_id.get(s.supervisor_id), status=s.status)
            for s, dept in rows
        ])
        seconds = timed(lambda: roster_service.import_roster(db, actor=ADMIN, data=body, filename="r.xlsx",
                                                             max_bytes=50 << 20))
    engine.dispose()
    return seconds


def main() -> None:
    targets = [("SQLite", fresh_sqlite)]
    pg = os.environ.get("KAOHE_BENCH_PG_URL")
    print(f"unit of {N} staff")
    for name, make in targets:
        bulk = bulk_load(make())
        naive = naive_load(make())
        print(f"{name}: load unit   bulk {bulk:6.2f} s   naive {naive:6.2f} s   ratio {naive / bulk:5.1f}x")
    url = fresh_sqlite()
    bulk_load(url)
    print(f"SQLite: import a {N}-row roster (update every row, one transaction): {roster_import(url):.2f} s")
    if pg:
        upgrade(pg)
        print(f"PostgreSQL: load unit bulk {bulk_load(pg):.2f} s")


if __name__ == "__main__":
    main()
