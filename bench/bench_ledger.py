"""Time `verify` on 1,000,000 ledger entries and `near_duplicates` on 5,000 records, each against a naive
first version, in the same run.

Not part of the test suite. Run: .venv/bin/python bench/bench_ledger.py [entries] [records] [subset]

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
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from kaohe.records.ledger import chain, verify
from kaohe.records.signals import TextRecord, near_duplicates

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


if __name__ == "__main__":
    arguments = [int(arg) for arg in sys.argv[1:]]
    entries, records, subset = (arguments + [1_000_000, 5_000, 500][len(arguments):])[:3]
    bench_ledger(entries)
    bench_duplicates(records, subset)
