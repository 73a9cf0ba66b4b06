"""Computing a quarter for a whole unit (R6): `kaohe.quarterly.results.compute_quarter` (bulk loads, one pass
of the pure engine, one bulk write) against a straightforward per-person ORM loop (one person's queries,
one engine call and one row at a time), on the same database in the same run, over SQLite and, when
Debian's PostgreSQL binaries exist, a throw-away PostgreSQL cluster.

The unit: `build_synthetic_unit(N)` (the same as `kaohe demo --staff N`), its 2026 appraisal year opened and
the third quarter moved into its rating phase through the real use cases, one attendance value per person
imported through the metrics use case. The loop runs on a sample of the people and is extrapolated to the
whole unit (said so in the output); the ratio compares per-person costs.

Not part of the test suite. Run: .venv/bin/python bench/bench_quarter_compute.py [staff] [loop sample]
(environment: KAOHE_BENCH_STAFF, KAOHE_BENCH_SAMPLE; KAOHE_BENCH_NO_PG=1 skips PostgreSQL).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support.databases: the throw-away PostgreSQL of the test suite

from tests.support.databases import PostgresServer, find_pg_bin  # noqa: E402

from kaohe.bootstrap import make_engine, make_session_factory  # noqa: E402
from kaohe.clock import zone  # noqa: E402
from kaohe.demo.load_unit import load_demo_unit  # noqa: E402
from kaohe.demo.synthetic import build_synthetic_unit  # noqa: E402
from kaohe.metrics import service as metrics_service  # noqa: E402
from kaohe.metrics.models import MetricValue  # noqa: E402
from kaohe.metrics.schemas import MetricBatchIn  # noqa: E402
from kaohe.migrate import upgrade  # noqa: E402
from kaohe.org.enums import StaffStatus  # noqa: E402
from kaohe.org.models import Department, Staff  # noqa: E402
from kaohe.quarterly import results, service  # noqa: E402
from kaohe.quarterly.cli import QUARTER_ACTOR  # noqa: E402
from kaohe.quarterly.models import QuarterPhase  # noqa: E402
from kaohe.quarterly.result_models import QuarterResult  # noqa: E402
from kaohe.ratings.models import RaterAssignment, Rating, RatingStatus  # noqa: E402
from kaohe.records.scores import quarter_tallies  # noqa: E402
from kaohe.scheme import service as scheme_service  # noqa: E402
from kaohe.scoring.quarterly import score_quarter  # noqa: E402
from kaohe.scoring.quarterly_from_scheme import Post, RecordTally, quarter_inputs, quarter_setup  # noqa: E402

STAFF = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("KAOHE_BENCH_STAFF", "10000"))
SAMPLE = int(sys.argv[2] if len(sys.argv) > 2 else os.environ.get("KAOHE_BENCH_SAMPLE", "500"))
YEAR, QUARTER = 2026, 3
AT = datetime(YEAR, 10, 12, 10, tzinfo=zone())


def prepare(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as db:
            load_demo_unit(db, build_synthetic_unit(STAFF), password="bench-pass-2026")
            db.commit()
            service.open_year(db, actor=QUARTER_ACTOR, year=YEAR, now=AT)
            while service.find_cycle(db, YEAR, QUARTER).phase is not QuarterPhase.rating:
                service.advance(db, actor=QUARTER_ACTOR, year=YEAR, quarter=QUARTER, now=AT, reason="bench")
            numbers = db.scalars(select(Staff.employee_no).where(Staff.status == StaffStatus.active)).all()
            metrics_service.import_api(db, actor=QUARTER_ACTOR, idempotency_key=None, now=AT, batch_in=MetricBatchIn(
                source="attendance_system", year=YEAR, quarter=QUARTER,
                items=[{"employee_no": no, "indicator_code": "QIN.1.1", "value": str(90 + i % 10)}
                       for i, no in enumerate(numbers)]))
            db.commit()
    finally:
        engine.dispose()


def per_person_loop(db, sample: int) -> int:  # type: ignore[no-untyped-def]
    """The straightforward way: for each person, their own queries, one engine call, one row."""
    scheme = scheme_service.current(db, year=YEAR)
    version = scheme_service.current_version(db, year=YEAR)
    scheme_hash = version.sha256 if version else "default"
    setup = quarter_setup(scheme)
    done = 0
    for person in db.scalars(select(Staff).where(Staff.status == StaffStatus.active).order_by(Staff.employee_no)
                             .limit(sample)):
        department = db.get(Department, person.department_id)
        values = [(person.id, code, float(value)) for code, value in db.execute(
            select(MetricValue.indicator_code, MetricValue.value).where(
                MetricValue.staff_id == person.id, MetricValue.year == YEAR, MetricValue.quarter == QUARTER))]
        ratings = [(person.id, code, group, float(mean), int(count)) for code, group, mean, count in db.execute(
            select(Rating.indicator_code, RaterAssignment.group, func.avg(Rating.mark), func.count())
            .join(Rating, Rating.assignment_id == RaterAssignment.id)
            .where(RaterAssignment.ratee_id == person.id, RaterAssignment.year == YEAR,
                   RaterAssignment.quarter == QUARTER, RaterAssignment.active.is_(True),
                   RaterAssignment.status == RatingStatus.submitted)
            .group_by(Rating.indicator_code, RaterAssignment.group))]
        tally = quarter_tallies(db, f"{YEAR}-Q{QUARTER}", Staff.id == person.id)[0]
        records = {person.id: RecordTally(submitted=tally[1], confirmed=tally[2], returned=tally[3], late=tally[4])}
        shown = score_quarter(quarter_inputs(
            setup, scheme_hash=scheme_hash, people=[(person.id, Post(level=person.level, category=person.post_category,
                                                                     department=department.code, post=person.post_name))],
            values=values, ratings=ratings, records=records)).person(0).shown()
        row = db.scalar(select(QuarterResult).where(QuarterResult.staff_id == person.id, QuarterResult.year == YEAR,
                                                    QuarterResult.quarter == QUARTER))
        row.quarterly_score = shown.quarterly_score  # type: ignore[union-attr]
        row.inputs_hash = shown.inputs_hash  # type: ignore[union-attr]
        db.flush()
        done += 1
    return done


def run(label: str, url: str) -> None:
    started = time.perf_counter()
    prepare(url)
    print(f"{label}: {STAFF} staff prepared in {time.perf_counter() - started:.1f} s", flush=True)
    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        with factory() as db:
            started = time.perf_counter()
            summary = results.compute_quarter(db, actor=QUARTER_ACTOR, year=YEAR, quarter=QUARTER, now=AT)
            db.commit()
            bulk = time.perf_counter() - started
            stored = db.scalar(select(func.count()).select_from(QuarterResult))
        assert summary.people == stored, (summary.people, stored)
        with factory() as db:
            started = time.perf_counter()
            done = per_person_loop(db, min(SAMPLE, summary.people))
            db.commit()
            loop = time.perf_counter() - started
        per_bulk, per_loop = bulk / summary.people, loop / done
        print(f"{label}: whole unit in one pass: {summary.people} people in {bulk:.2f} s "
              f"({per_bulk * 1000:.2f} ms/person)", flush=True)
        print(f"{label}: per-person ORM loop: {done} people in {loop:.2f} s ({per_loop * 1000:.2f} ms/person; "
              f"≈ {per_loop * summary.people:.0f} s extrapolated to {summary.people}); ratio {per_loop / per_bulk:.0f}×",
              flush=True)
    finally:
        engine.dispose()


def main() -> None:
    print(f"quarter compute, {STAFF} staff, loop sample {SAMPLE}, {os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")
    bin_dir = find_pg_bin()
    if bin_dir is None or os.environ.get("KAOHE_BENCH_NO_PG"):
        print("PostgreSQL: skipped (no pg_ctl/initdb found)" if bin_dir is None else "PostgreSQL: skipped")
        return
    pg = PostgresServer(bin_dir)
    pg.start()
    try:
        run("PostgreSQL", pg.create("bench_quarter"))
    finally:
        pg.stop()


if __name__ == "__main__":
    main()
