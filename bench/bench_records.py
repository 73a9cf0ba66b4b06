"""Write throughput of daily records through the API: POST /api/v1/records with a bearer token and an
Idempotency-Key per record, against a real uvicorn server (its own process, loopback), over SQLite and,
when Debian's PostgreSQL binaries exist, a throw-away PostgreSQL cluster.

Each backend gets a fresh demo unit; the staff member's personal token sends every record. Measured in
the same run, on the same database and server:

- concurrent: a few client threads (one httpx.Client each) sharing a fixed count of records;
- naive baseline: one client sending the same count one request after another.

Then `verify_ledger` walks the ledger the run produced (see bench/bench_ledger.py for 1,000,000 entries).

Not part of the test suite. Run: .venv/bin/python bench/bench_records.py [records] [clients]
(environment: KAOHE_BENCH_RECORDS, KAOHE_BENCH_CLIENTS; KAOHE_BENCH_NO_PG=1 skips PostgreSQL).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support.databases: the throw-away PostgreSQL of the test suite

from tests.support.databases import PostgresServer, find_pg_bin  # noqa: E402

from kaohe.auth.models import User  # noqa: E402
from kaohe.auth.service import create_token, principal_for  # noqa: E402
from kaohe.bootstrap import make_engine, make_session_factory  # noqa: E402
from kaohe.clock import now, zone  # noqa: E402
from kaohe.demo.data import build_demo_unit  # noqa: E402
from kaohe.demo.load_unit import load_demo_unit  # noqa: E402
from kaohe.ledger.service import verify as verify_ledger  # noqa: E402
from kaohe.migrate import upgrade  # noqa: E402
from kaohe.records.models import WorkRecord  # noqa: E402

RECORDS = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("KAOHE_BENCH_RECORDS", "2000"))
CLIENTS = int(sys.argv[2] if len(sys.argv) > 2 else os.environ.get("KAOHE_BENCH_CLIENTS", "4"))
PASSWORD = "bench-pass-2026"
STAFF_ROLE_INDEX = 8  # tests/conftest.py ROLE_ACCOUNTS: the 政务服务一科 科员 is the ninth demo account


def prepare(url: str) -> str:
    """Migrate, load the demo unit, and return a fresh API token of the staff member."""
    upgrade(url)
    engine = make_engine(url)
    try:
        unit = build_demo_unit()
        with make_session_factory(engine)() as db:
            load_demo_unit(db, unit, password=PASSWORD)
            user = db.scalar(select(User).where(User.username == unit.accounts[STAFF_ROLE_INDEX].username))
            assert user is not None and user.staff is not None
            secret, _row = create_token(db, actor=principal_for(user), name="bench")
    finally:
        engine.dispose()
    return secret


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """uvicorn serving the app in its own process, so client threads do not share its interpreter."""

    def __init__(self, url: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "KAOHE_DATABASE_URL": url, "KAOHE_ENVIRONMENT": "test", "KAOHE_SECRET_KEY": "b" * 40,
               "PYTHONPATH": str(ROOT / "src")}
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "kaohe.main:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning", "--no-access-log", "--lifespan", "off"],
            env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"the app did not answer {self.base}/healthz")
            time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def close(self) -> None:
        self.log.close()

    def errors(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]


def _body(n: int, tag: str) -> dict[str, str]:
    ended = now().astimezone(zone()) - timedelta(hours=1)
    return {"title": f"窗口受理业务 {tag}-{n}", "started_at": (ended - timedelta(hours=2)).isoformat(),
            "ended_at": ended.isoformat(), "stage_result": f"受理并办结企业开办申请 {n % 17 + 1} 件，材料齐全当场办结。"}


def send(base: str, token: str, count: int, clients: int, tag: str) -> tuple[float, list[float], Counter[int]]:
    """`count` records shared by `clients` threads; wall seconds, per-request latencies, status counts."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    shares = [count // clients + (1 if i < count % clients else 0) for i in range(clients)]
    start_gate = threading.Barrier(clients + 1)

    def worker(index: int, share: int) -> None:
        mine: list[float] = []
        seen: Counter[int] = Counter()
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            start_gate.wait()
            for i in range(share):
                body = _body(i, f"{tag}{index}")
                t0 = time.perf_counter()
                response = client.post("/api/v1/records", json=body,
                                       headers={"Idempotency-Key": uuid.uuid4().hex})
                mine.append(time.perf_counter() - t0)
                seen[response.status_code] += 1
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    threads = [threading.Thread(target=worker, args=(i, s)) for i, s in enumerate(shares)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - t0, latencies, statuses


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else 0.0


def _line(label: str, seconds: float, latencies: list[float], statuses: Counter[int]) -> tuple[float, str]:
    rate = len(latencies) / seconds
    bad = sum(n for code, n in statuses.items() if code != 201)
    text = (f"  {label:<26} {rate:7.1f} records/s   p50 {_pct(latencies, 50):6.1f} ms   "
            f"p95 {_pct(latencies, 95):6.1f} ms   ({seconds:5.1f} s"
            + (f"; {bad} not 201: {dict(statuses)}" if bad else "") + ")")
    return rate, text


def run(name: str, url: str) -> None:
    token = prepare(url)
    server = Server(url)
    try:
        send(server.base, token, 20, 1, "warm")  # imports, caches and connections before timing
        seconds, lat, codes = send(server.base, token, RECORDS, 1, "seq")
        naive_rate, naive_text = _line("1 client, sequential", seconds, lat, codes)
        seconds, lat, codes = send(server.base, token, RECORDS, CLIENTS, "par")
        rate, text = _line(f"{CLIENTS} clients, concurrent", seconds, lat, codes)
        if any(code >= 500 for code in codes):
            print(server.errors())
    finally:
        server.stop()
        server.close()
    print(f"{name}: {RECORDS:,} records per mode through POST /api/v1/records (uvicorn, 1 process)")
    print(text)
    print(naive_text + "   <- naive baseline")
    print(f"  ratio {rate / naive_rate:.2f}x (concurrent over sequential throughput)")

    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as db:
            stored = db.scalar(select(func.count()).select_from(WorkRecord))
            t0 = time.perf_counter()
            result = verify_ledger(db)
            took = time.perf_counter() - t0
    finally:
        engine.dispose()
    print(f"  records stored {stored:,}; verify_ledger over {result.count:,} entries: "
          f"{'ok' if result.ok else 'FAILED ' + str(result.message)} in {took * 1000:.0f} ms "
          f"({took / max(1, result.count) * 1e6:.1f} µs per entry; 1,000,000 entries: bench/bench_ledger.py)")


def main() -> None:
    print(f"record writes over HTTP, {CLIENTS} concurrent clients vs 1 sequential client, "
          f"{os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")
    bin_dir = find_pg_bin()
    if bin_dir is None or os.environ.get("KAOHE_BENCH_NO_PG"):
        print("PostgreSQL: skipped (no pg_ctl/initdb found)" if bin_dir is None else "PostgreSQL: skipped")
        return
    pg = PostgresServer(bin_dir)
    pg.start()
    try:
        run("PostgreSQL", pg.create("bench_records"))
    finally:
        pg.stop()


if __name__ == "__main__":
    main()
