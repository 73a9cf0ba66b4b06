"""Time `verify` on 1,000,000 ledger entries and `near_duplicates` on 5,000 records, each against a naive
first version, in the same run; then `kaohe ledger verify` with the replay (chain, signatures, and every
covered table compared row by row) on a database of 100,000 records.

Not part of the test suite. Run: .venv/bin/python bench/bench_ledger.py [entries] [records] [subset] [db_records]
(PostgreSQL too when its binaries exist, as in the test suite; KAOHE_BENCH_PG=0 skips it.)

- Ledger: the naive version keeps payloads as dicts and, for every entry, re-serialises the payload
  with `json.dumps`, glues the fields into one string and hashes it. Both chains hold the same data.
- Near duplicates: the naive version compares every pair with `difflib.SequenceMatcher.ratio()`. It
  runs on a subset only (every pair of 5,000 records would take far too long); its time for 5,000 is
  an EXTRAPOLATION by the number of pairs, and is printed as such.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support.databases: the throw-away PostgreSQL of the test suite

from tests.support.databases import PostgresServer, find_pg_bin  # noqa: E402

from kaohe.ledger.chain import Signer, chain, verify  # noqa: E402
from kaohe.records.signals import TextRecord, near_duplicates  # noqa: E402

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def payloads(n: int):  # type: ignore[no-untyped-def]
    for i in range(n):
        yield {"record": i, "author": i % 300, "action": "confirm", "title": f"第{i % 97}项重点任务",
               "stage": "阶段成果已报送"}


# --- naive ledger -------------------------------------------------------------------------------------

def naive_hash(seq: int, at: datetime, kind: str, payload: dict, prev: str) -> str:
    text = str(seq) + "|" + at.isoformat() + "|" + kind + "|" + json.dumps(payload, sort_keys=True) + "|" + prev
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def naive_build(n: int) -> list[dict]:
    rows, prev = [], "0" * 64
    for i, payload in enumerate(payloads(n), start=1):
        at = T0 + timedelta(seconds=i)
        digest = naive_hash(i, at, "record.review", payload, prev)
        rows.append({"seq": i, "at": at, "kind": "record.review", "payload": payload, "prev": prev, "hash": digest})
        prev = digest
    return rows


def naive_verify(rows: list[dict]) -> bool:
    prev, expected = "0" * 64, 1
    for row in rows:
        if row["seq"] != expected or row["prev"] != prev:
            return False
        if naive_hash(row["seq"], row["at"], row["kind"], row["payload"], row["prev"]) != row["hash"]:
            return False
        prev, expected = row["hash"], expected + 1
    return True


def bench_ledger(n: int) -> None:
    started = time.perf_counter()
    entries = list(chain((T0 + timedelta(seconds=i), "record.review", payload)
                         for i, payload in enumerate(payloads(n), start=1)))
    built = time.perf_counter() - started
    started = time.perf_counter()
    result = verify(entries)
    ours = time.perf_counter() - started
    assert result.ok and result.count == n
    del entries
    rows = naive_build(n)
    started = time.perf_counter()
    assert naive_verify(rows)
    naive = time.perf_counter() - started
    print(f"ledger, {n:,} entries (built in {built:.1f} s)")
    print(f"  verify            {ours:7.2f} s  ({ours / n * 1e6:.2f} µs per entry)")
    print(f"  naive re-serialise {naive:6.2f} s  ({naive / n * 1e6:.2f} µs per entry)")
    print(f"  ratio             {naive / ours:7.1f}×")


# --- near duplicates ----------------------------------------------------------------------------------

PHRASES = ["完成", "城东片区", "招商项目", "对接会", "筹备工作", "邀请重点企业", "落实会场", "议程", "接待方案",
           "协调", "发改部门", "自然资源部门", "用地指标", "会议纪要", "分管领导", "审定", "走访", "养老服务中心",
           "消防设施", "食品安全台账", "整改", "监管平台", "复查", "窗口服务", "群众满意度", "培训", "数据报送",
           "督办事项", "政务服务", "流程优化", "专项检查", "问题清单", "销号", "调研报告", "起草", "修改完善"]


def make_records(n: int, rng: random.Random) -> tuple[list[TextRecord], set[tuple[int, int]]]:
    """Records of 20–40 phrases (≈ 100–250 characters); one in ten copies an earlier record, most often
    a colleague's, changing 1–3 characters. Returns the records and the planted (original, copy) pairs."""
    texts: list[str] = []
    planted = set()
    for i in range(n):
        if i % 10 == 9:
            source = rng.randrange(i)
            chars = list(texts[source])
            for _ in range(rng.randint(1, 3)):
                chars[rng.randrange(len(chars))] = rng.choice("一二三四五六七八九十")
            texts.append("".join(chars))
            planted.add((source, i))
        else:
            texts.append("，".join(rng.choice(PHRASES) for _ in range(rng.randint(20, 40))) + "。")
    records = [TextRecord(i, i % 300, "记录", text, T0 + timedelta(hours=i), T0 + timedelta(hours=i + 1))
               for i, text in enumerate(texts)]
    return records, planted


def naive_duplicates(records: list[TextRecord], threshold: float) -> set[tuple[int, int]]:
    found = set()
    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            if difflib.SequenceMatcher(None, records[i].text, records[j].text).ratio() >= threshold:
                found.add((i, j))
    return found


def recall(found: set[tuple[int, int]], planted: set[tuple[int, int]], n: int) -> str:
    inside = {pair for pair in planted if pair[1] < n}
    return f"{len(found & inside)}/{len(inside)} planted copies"


def bench_duplicates(n: int, subset: int) -> None:
    records, planted = make_records(n, random.Random(2026))
    started = time.perf_counter()
    pairs = near_duplicates(records)
    ours = time.perf_counter() - started
    found = {(p.first_id, p.second_id) for p in pairs}
    started = time.perf_counter()
    naive_found = naive_duplicates(records[:subset], 0.85)
    naive = time.perf_counter() - started
    ours_subset_started = time.perf_counter()
    ours_subset = {(p.first_id, p.second_id) for p in near_duplicates(records[:subset])}
    ours_subset_time = time.perf_counter() - ours_subset_started
    scale = (n * (n - 1) / 2) / (subset * (subset - 1) / 2)
    print(f"near duplicates, {n:,} records: {len(pairs)} pairs found, {sum(not p.same_author for p in pairs)} "
          f"across authors, {recall(found, planted, n)}")
    print(f"  near_duplicates on {n:,}          {ours:8.2f} s")
    print(f"  near_duplicates on {subset}            {ours_subset_time:8.3f} s  ({recall(ours_subset, planted, subset)})")
    print(f"  naive difflib all pairs on {subset}     {naive:8.2f} s  (measured; "
          f"{recall(naive_found, planted, subset)}, {len(naive_found)} pairs in all)")
    print(f"  naive on {n:,}, EXTRAPOLATED ×{scale:.0f} by pair count: {naive * scale:8.0f} s "
          f"(≈ {naive * scale / 3600:.1f} h; not measured)")
    print(f"  ratio (extrapolated)              {naive * scale / ours:8.0f}×")


# --- verify with the replay, on a database ------------------------------------------------------------

def build_database(url: str, n: int) -> tuple[int, float]:
    """The demo unit's people and `n` records written in bulk exactly as the use cases leave them (a
    version, a history row, a ledger entry each; nine in ten reviewed), the ledger signed with the key
    of the settings. Returns the number of ledger entries and the seconds the build took."""
    from sqlalchemy import insert, select, update

    from kaohe.bootstrap import make_engine, make_session_factory
    from kaohe.config import Settings
    from kaohe.demo.data import build_demo_unit
    from kaohe.demo.load_unit import load_demo_unit
    from kaohe.ledger.models import LedgerEntry, LedgerHead
    from kaohe.migrate import upgrade
    from kaohe.org.models import Staff
    from kaohe.records.models import RecordVersion, ReviewAction, WorkRecord

    started = time.perf_counter()
    upgrade(url)
    settings = Settings(database_url=url, secret_key="b" * 40)
    engine = make_engine(url)
    with make_session_factory(engine, settings)() as db:
        load_demo_unit(db, build_demo_unit(), password="bench-Passw0rd-1")
        db.commit()
        people = db.execute(select(Staff.id, Staff.employee_no)).all()
        from kaohe.auth.models import User

        user = db.scalar(select(User.id).limit(1))
        rng = random.Random(2026)
        records, versions, actions, items = [], [], [], []
        for index in range(1, n + 1):
            staff_id, number = people[index % len(people)]
            ended = T0 + timedelta(minutes=30 * index)
            entered = ended + timedelta(hours=rng.choice((1, 2, 30)))
            content = {"title": f"第{index % 97}项重点任务推进", "started_at": (ended - timedelta(hours=2)).isoformat(),
                       "ended_at": ended.isoformat(), "stage_result": f"完成阶段任务第{index}项，报送材料{index % 7}份。",
                       "difficulties": "", "commendation": "", "task_item_id": None}
            late = entered > ended + timedelta(hours=24)
            status, mark, reviewed_at = "submitted", None, None
            items.append((entered, "record.version", {
                "record": index, "version": 1, "staff": number, "staff_id": staff_id, "by": user, "by_name": "录入人",
                "action": "submit", "from": "", "status": "submitted", "entered_at": entered, "late": late,
                "source": "web", **content}))
            actions.append({"record_id": index, "actor_id": user, "actor_name": "录入人", "action": "submit",
                            "from_status": "", "to_status": "submitted", "comment": "", "at": entered})
            if index % 10:
                reviewed_at = entered + timedelta(days=1)
                action = "return" if index % 10 == 1 else "confirm"
                status = "returned" if action == "return" else "confirmed"
                mark = None if action == "return" else rng.randint(1, 5)
                comment = "请补充" if action == "return" else ""
                items.append((reviewed_at, f"record.{action}", {
                    "record": index, "version": 1, "by": user, "by_name": "分管领导", "from": "submitted",
                    "to": status, "comment": comment, "mark": mark}))
                actions.append({"record_id": index, "actor_id": user, "actor_name": "分管领导", "action": action,
                                "from_status": "submitted", "to_status": status, "comment": comment,
                                "at": reviewed_at})
            records.append({"id": index, "staff_id": staff_id, "recorded_by": user, "title": content["title"],
                            "started_at": ended - timedelta(hours=2), "ended_at": ended,
                            "stage_result": content["stage_result"], "entered_at": entered, "updated_at": entered,
                            "late": late, "status": status, "version": 1, "source": "web",
                            "review_comment": "请补充" if status == "returned" else "", "quality_mark": mark,
                            "reviewed_by": user if reviewed_at else None, "reviewed_at": reviewed_at})
            versions.append({"record_id": index, "version": 1, "content": content, "created_at": entered,
                             "created_by": user})
        items.sort(key=lambda item: item[0])
        signer = Signer(settings.ledger_key.encode())
        entries = list(chain(items, signer=signer))
        for table, rows in ((WorkRecord, records), (RecordVersion, versions), (ReviewAction, actions),
                            (LedgerEntry, [{"seq": e.seq, "at": e.at, "kind": e.kind, "payload": e.payload,
                                            "prev_hash": e.prev_hash, "hash": e.hash, "signature": e.signature}
                                           for e in entries])):
            for start in range(0, len(rows), 20_000):
                db.execute(insert(table), rows[start:start + 20_000])
        db.execute(update(LedgerHead).where(LedgerHead.id == 1).values(
            seq=entries[-1].seq, hash=entries[-1].hash, signature=signer.head(entries[-1].seq, entries[-1].hash)))
        db.commit()
    engine.dispose()
    return len(entries), time.perf_counter() - started


def time_verify(url: str, label: str, n: int) -> None:
    from kaohe.bootstrap import make_engine, make_session_factory
    from kaohe.config import Settings
    from kaohe.ledger import service

    entries, built = build_database(url, n)
    settings = Settings(database_url=url, secret_key="b" * 40)
    engine = make_engine(url)
    with make_session_factory(engine, settings)() as db:
        started = time.perf_counter()
        chain_only = service.verify(db, replay=False)
        chain_time = time.perf_counter() - started
        started = time.perf_counter()
        report = service.verify(db)
        replay_time = time.perf_counter() - started
    engine.dispose()
    assert chain_only.ok and report.ok, report.problems
    print(f"verify on {label}, {n:,} records, {entries:,} signed entries, {report.rows:,} live rows "
          f"(built in {built:.1f} s)")
    print(f"  chain + signatures            {chain_time:7.2f} s  ({chain_time / entries * 1e6:.2f} µs per entry)")
    print(f"  chain + signatures + replay   {replay_time:7.2f} s  (every covered row compared)")


def bench_replay(n: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        time_verify(f"sqlite:///{directory}/bench.db", "SQLite", n)
    bin_dir = find_pg_bin()
    if bin_dir is None or os.environ.get("KAOHE_BENCH_PG") == "0":
        return
    server = PostgresServer(bin_dir)
    server.start()
    try:
        time_verify(server.create("bench_ledger"), "PostgreSQL", n)
    finally:
        server.stop()


if __name__ == "__main__":
    arguments = [int(arg) for arg in sys.argv[1:]]
    entries, records, subset, db_records = (arguments + [1_000_000, 5_000, 500, 100_000][len(arguments):])[:4]
    bench_ledger(entries)
    bench_duplicates(records, subset)
    bench_replay(db_records)
