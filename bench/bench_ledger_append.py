"""Ledger appends per second with N concurrent writers, on a throw-away PostgreSQL and on SQLite: the
old way (every `append` locks the head row until its transaction commits) against group commit
(`append` stages a signed pending row; the sealer chains pending rows in batches after the commit).

Each writer thread runs units of work shaped like a record write: a business INSERT, an append (the
record's version), another business INSERT, an append (its audit row), COMMIT. The old way is kept
here as the naive baseline, a copy of `ledger.service.append` before group commit. After each run the
chain is verified (hashes, links, signatures, head) and every append counted once.

Not part of the test suite. Run: .venv/bin/python bench/bench_ledger_append.py [seconds] [clients,...]
(PostgreSQL when its binaries exist, as in the test suite; KAOHE_BENCH_PG=0 skips it.)
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support.databases: the throw-away PostgreSQL of the test suite

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402
from tests.support.databases import PostgresServer, find_pg_bin  # noqa: E402

from kaohe.bootstrap import _sqlite_transactions, make_session_factory, register_models  # noqa: E402
from kaohe.config import Settings  # noqa: E402
from kaohe.ledger import service as ledger  # noqa: E402
from kaohe.ledger.chain import canonical, entry_hash  # noqa: E402
from kaohe.ledger.keys import signer_for  # noqa: E402
from kaohe.ledger.models import LedgerEntry, LedgerHead, LedgerPending  # noqa: E402
from kaohe.migrate import upgrade  # noqa: E402

SETTINGS = Settings(secret_key="b" * 40)
AT = datetime(2026, 10, 14, 2, 0, tzinfo=UTC)


def old_append(db: Session, *, kind: str, at: datetime, payload: dict) -> LedgerEntry:
    """The naive baseline: lock the head inside the caller's transaction, held until it commits."""
    head = db.scalar(select(LedgerHead).where(LedgerHead.id == 1).with_for_update())
    assert head is not None
    signer = signer_for(db)
    seq = head.seq + 1
    body = canonical(payload)
    digest = entry_hash(seq, at, kind, body, head.hash)
    row = LedgerEntry(seq=seq, at=at, kind=kind, payload=body, prev_hash=head.hash, hash=digest,
                      signature=signer.entry(digest))
    db.add(row)
    head.seq, head.hash, head.signature = seq, digest, signer.head(seq, digest)
    db.flush()
    return row


def unit_of_work(factory: sessionmaker[Session], append: Callable[..., object], writer: int, n: int) -> None:
    with factory() as db:
        db.execute(text("INSERT INTO bench_work (writer, n, note) VALUES (:w, :n, '记录')"), {"w": writer, "n": n})
        append(db, kind="record.version", at=AT, payload={"writer": writer, "n": n, "title": "窗口受理企业开办"})
        db.execute(text("INSERT INTO bench_work (writer, n, note) VALUES (:w, :n, '审计')"), {"w": writer, "n": n})
        append(db, kind="bench.audit", at=AT, payload={"writer": writer, "n": n})
        db.commit()


def run(url: str, way: str, clients: int, seconds: float) -> tuple[float, float]:
    """(appends per second, median unit-of-work latency in ms) with `clients` writer threads."""
    upgrade(url)
    register_models()
    # An app-sized pool shared by every writer (as the web app's threads share theirs).
    pool = {"pool_size": min(clients, 150) + 2, "max_overflow": 0, "pool_timeout": 120}
    if url.startswith("sqlite"):  # kaohe.bootstrap.make_engine's settings, with that pool
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60}, **pool)
        _sqlite_transactions(engine)
    else:
        engine = create_engine(url, **pool)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_work (id INTEGER PRIMARY KEY "
                          + ("AUTOINCREMENT" if url.startswith("sqlite") else "GENERATED ALWAYS AS IDENTITY")
                          + ", writer INTEGER, n INTEGER, note TEXT)"))
    factory = make_session_factory(engine, SETTINGS)
    append = old_append if way == "old" else ledger.append
    stop = threading.Event()
    done = [0] * clients
    latencies: list[float] = []
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        n = 0
        try:
            while not stop.is_set():
                started = time.perf_counter()
                unit_of_work(factory, append, index, n)
                latencies.append(time.perf_counter() - started)
                n += 1
                done[index] = n
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 4)  # warm up: connections opened, caches filled
    start_count, start = sum(done), time.perf_counter()
    time.sleep(seconds)
    end_count, elapsed = sum(done), time.perf_counter() - start
    stop.set()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    with factory() as db:
        ledger.seal(db)
        db.rollback()
        report = ledger.verify(db, replay=False)
        entries = db.scalar(select(func.count()).select_from(LedgerEntry))
        pending = db.scalar(select(func.count()).select_from(LedgerPending))
    assert report.ok, report.message
    assert pending == 0 and entries == 2 * sum(done), (entries, pending, sum(done))
    engine.dispose()
    latencies.sort()
    return 2 * (end_count - start_count) / elapsed, 1000 * latencies[len(latencies) // 2]


def bench(label: str, make_url: Callable[[str], str], clients: list[int], seconds: float) -> None:
    print(f"\n{label}: appends/s (two appends per unit of work), median latency of a unit of work")
    print(f"{'writers':>8} {'old (head lock)':>22} {'group commit':>22} {'ratio':>7}")
    for count in clients:
        old, old_ms = run(make_url(f"old{count}"), "old", count, seconds)
        new, new_ms = run(make_url(f"new{count}"), "new", count, seconds)
        print(f"{count:>8} {old:>12.0f} ({old_ms:6.1f} ms) {new:>12.0f} ({new_ms:6.1f} ms) {new / old:>6.2f}×",
              flush=True)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    clients = [int(c) for c in (sys.argv[2] if len(sys.argv) > 2 else "1,16,64,200").split(",")]
    bin_dir = find_pg_bin()
    if bin_dir is not None and os.environ.get("KAOHE_BENCH_PG", "1") != "0":
        server = PostgresServer(bin_dir)
        server.start()
        try:
            bench("PostgreSQL", server.create, clients, seconds)
        finally:
            server.stop()
    with tempfile.TemporaryDirectory() as root:
        bench("SQLite", lambda name: f"sqlite:///{root}/{name}.db", clients, seconds)


if __name__ == "__main__":
    main()
