"""Many clients at once against `kaohe serve --workers 2` (issue 8): does everyone get an answer, and how fast?

For each backend (SQLite, then a throw-away PostgreSQL cluster when Debian's binaries exist) this makes a
unit of 10,000 staff with `kaohe init` and `kaohe demo --staff 10000`, signs in an HR account (a session
cookie for the page, an API token for the API) and gives one API token to each of 200 staff, then serves
it with `kaohe serve --workers 2` on loopback with the default load settings (docs/design.md,
"Under load"). Closed-loop clients (asyncio, one keep-alive HTTP/1.1 connection each, in this process)
run for a fixed time at 10, 50 and 200 at once against:

- the staff list page `GET /staff?page=N` (HTML, HR's session, random page of 20);
- the staff list API `GET /api/v1/staff?page=N` (JSON, HR's token, 50 a page);
- record writes `POST /api/v1/records` (each client a different staff member's token).

Reported per run: answers per second (all, and successful), latency p50/p95/p99/max over every answer,
answers by status, and how many took longer than 5 s. The table goes to bench/results/load.md.

Not part of the test suite. Run: .venv/bin/python bench/bench_load.py
(environment: KAOHE_BENCH_SECONDS per run, default 12; KAOHE_BENCH_CLIENTS, default "10,50,200";
KAOHE_BENCH_STAFF, default 10000; KAOHE_BENCH_NO_PG=1 skips PostgreSQL; KAOHE_MAX_IN_FLIGHT and the other
load settings are passed to the server).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support: the throw-away PostgreSQL and the `kaohe` entry point

from tests.support.databases import PostgresServer, find_pg_bin  # noqa: E402

from kaohe.auth.models import User  # noqa: E402
from kaohe.auth.roles import Role  # noqa: E402
from kaohe.auth.service import create_token, open_session, principal_for  # noqa: E402
from kaohe.bootstrap import Database  # noqa: E402
from kaohe.clock import now, zone  # noqa: E402
from kaohe.config import Settings  # noqa: E402
from kaohe.demo.data import build_synthetic_unit  # noqa: E402

KAOHE = str(Path(sys.executable).with_name("kaohe"))
SECONDS = float(os.environ.get("KAOHE_BENCH_SECONDS", "12"))
CLIENT_COUNTS = [int(n) for n in os.environ.get("KAOHE_BENCH_CLIENTS", "10,50,200").split(",")]
STAFF = int(os.environ.get("KAOHE_BENCH_STAFF", "10000"))
WORKERS = 2
SECRET = "l" * 40
SLOW = 5.0  # the bound: no request waits longer than this
REQUEST_TIMEOUT = 60.0  # the client gives up only long after the bound, so a slow answer is measured
RESULTS = Path(__file__).parent / "results" / "load.md"
DEMO_SEED = 2026  # `kaohe demo`'s default seed: the same unit, so the same account names


# Load settings passed through to the server, to try other limits than the defaults.
PASSED = ("KAOHE_DB_POOL_SIZE", "KAOHE_DB_POOL_TIMEOUT_SECONDS", "KAOHE_MAX_IN_FLIGHT", "KAOHE_QUEUE_WAIT_SECONDS",
          "KAOHE_RETRY_AFTER_SECONDS")


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOHE_") or k in PASSED}
    env.update({"KAOHE_DATABASE_URL": url, "KAOHE_ENVIRONMENT": "test", "KAOHE_SECRET_KEY": SECRET})
    return env


def _kaohe(url: str, *args: str) -> None:
    done = subprocess.run([KAOHE, *args], env=_env(url), capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"kaohe {' '.join(args)} failed: {done.stdout}{done.stderr}")


@dataclass
class Credentials:
    session: str
    hr_token: str
    staff_tokens: list[str]
    pages: int


def prepare(url: str, writers: int) -> Credentials:
    """A migrated unit of STAFF people; an HR session and token, and one token per writing client."""
    t0 = time.perf_counter()
    _kaohe(url, "init")
    _kaohe(url, "demo", "--staff", str(STAFF))
    database = Database.connect(url)
    settings = Settings(database_url=url, environment="test", secret_key=SECRET)
    hr_name = next(a.username for a in build_synthetic_unit(STAFF, seed=DEMO_SEED).accounts if Role.hr in a.roles)
    try:
        with database.unit_of_work() as db:
            hr = db.scalar(select(User).where(User.username == hr_name))
            assert hr is not None
            session, _row = open_session(db, settings, user=hr, ip="127.0.0.1", user_agent="bench")
            hr_token, _ = create_token(db, actor=principal_for(hr), name="bench hr")
            # Ordinary staff, away from the leadership accounts at the start of the roster.
            writers_rows = db.scalars(select(User).where(User.staff_id.is_not(None)).order_by(User.id)
                                      .offset(500).limit(writers)).all()
            tokens = [create_token(db, actor=principal_for(u), name="bench")[0] for u in writers_rows]
    finally:
        database.dispose()
    print(f"  prepared {STAFF:,} staff in {time.perf_counter() - t0:.0f} s", flush=True)
    return Credentials(session=session, hr_token=hr_token, staff_tokens=tokens, pages=max(1, STAFF // 20))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`kaohe serve --workers 2` in its own process group, the way an operator runs it."""

    def __init__(self, url: str, log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.proc = subprocess.Popen([KAOHE, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--workers", str(WORKERS)], env=_env(url), stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"kaohe serve did not answer; see {log}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()  # uvicorn's supervisor stops its workers
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@dataclass
class Run:
    backend: str
    scenario: str
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    ok_status: int = 200
    load_average: float = 0.0  # the machine's 1-minute load average as the run ended

    @property
    def answers(self) -> int:
        return len(self.latencies)

    @property
    def ok(self) -> int:
        return self.statuses.get(str(self.ok_status), 0)

    def pct(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1] * 1000

    @property
    def slow(self) -> int:
        return sum(1 for s in self.latencies if s > SLOW)

    @property
    def other_errors(self) -> int:
        return sum(n for code, n in self.statuses.items() if code not in (str(self.ok_status), "503"))


def _record(n: int) -> dict[str, str]:
    ended = now().astimezone(zone()) - timedelta(hours=1)
    return {"title": f"窗口受理业务 压测-{n}", "started_at": (ended - timedelta(hours=2)).isoformat(),
            "ended_at": ended.isoformat(), "stage_result": f"受理并办结企业开办申请 {n % 17 + 1} 件，材料齐全当场办结。"}


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams, for the load generator only.

    httpx's pool does work per request that grows with its connection count: at 200 connections the
    client itself managed about 60 requests a second against /healthz (this client: over 1,000) and the
    latencies measured were the client's own. It speaks just what the app answers: Content-Length or
    chunked bodies, reconnecting when the server closes."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, dict[str, str]]:
        if self.writer is None or self.reader is None or self.reader.at_eof():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}",
                 *(f"{k}: {v}" for k, v in headers.items())]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        if fields.get("transfer-encoding") == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        else:
            await self.reader.readexactly(int(fields.get("content-length", "0")))
        if fields.get("connection") == "close":
            await self.close()
        return status, fields

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def _drive(base: str, run: Run, creds: Credentials) -> None:
    """`run.clients` closed-loop clients for SECONDS, each on its own keep-alive connection."""
    stop_at = time.perf_counter() + SECONDS
    rng = random.Random(run.clients)
    url = urlsplit(base)

    def headers_of(index: int) -> dict[str, str]:
        if run.scenario == "staff list page":
            return {"Cookie": f"kaohe_session={creds.session}"}
        if run.scenario == "staff list API":
            return {"Authorization": f"Bearer {creds.hr_token}"}
        return {"Authorization": f"Bearer {creds.staff_tokens[index % len(creds.staff_tokens)]}",
                "Content-Type": "application/json"}

    async def one(conn: Connection, headers: dict[str, str], n: int) -> tuple[int, dict[str, str]]:
        if run.scenario == "staff list page":
            return await conn.request("GET", f"/staff?page={rng.randint(1, creds.pages)}", headers)
        if run.scenario == "staff list API":
            return await conn.request("GET", f"/api/v1/staff?page={rng.randint(1, creds.pages // 3)}", headers)
        body = json.dumps(_record(n), ensure_ascii=False).encode("utf-8")
        return await conn.request("POST", "/api/v1/records", {**headers, "Idempotency-Key": uuid.uuid4().hex}, body)

    async def client(index: int) -> None:
        conn = Connection(url.hostname or "127.0.0.1", url.port or 80)
        headers = headers_of(index)
        n = 0
        try:
            while time.perf_counter() < stop_at:
                n += 1
                t0 = time.perf_counter()
                retry = 0.0
                try:
                    code, fields = await asyncio.wait_for(one(conn, headers, n), REQUEST_TIMEOUT)
                    status = str(code)
                    if code == 503:
                        # A well-behaved client honours Retry-After; it is what the server asks for.
                        retry = float(fields.get("retry-after", "1"))
                except TimeoutError:
                    status = "timeout"
                    await conn.close()
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    status = type(exc).__name__
                    await conn.close()
                run.latencies.append(time.perf_counter() - t0)
                run.statuses[status] += 1
                if retry:
                    await asyncio.sleep(min(retry, max(0.0, stop_at - time.perf_counter())))
        finally:
            await conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(run.clients)))
    run.seconds = time.perf_counter() - t0


def measure(backend: str, url: str, log_dir: Path) -> list[Run]:
    creds = prepare(url, max(CLIENT_COUNTS))
    server = Server(url, log_dir / f"serve-{backend}.log")
    runs: list[Run] = []
    try:
        for scenario, ok_status in (("staff list page", 200), ("staff list API", 200), ("record writes", 201)):
            warm = Run(backend, scenario, 4, ok_status=ok_status)
            asyncio.run(_drive(server.base, warm, creds))  # imports, caches, connections
            for clients in CLIENT_COUNTS:
                run = Run(backend, scenario, clients, ok_status=ok_status)
                asyncio.run(_drive(server.base, run, creds))
                run.load_average = os.getloadavg()[0]
                runs.append(run)
                print("  " + row(run), flush=True)
                time.sleep(1)  # let queued work drain between runs
    finally:
        server.stop()
    return runs


HEADER = ("| backend | scenario | clients | answers | answers/s | ok/s | p50 ms | p95 ms | p99 ms | max ms "
          "| >5 s | by status | load avg |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")


def row(run: Run) -> str:
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(run.statuses.items()))
    return (f"| {run.backend} | {run.scenario} | {run.clients} | {run.answers:,} | {run.answers / run.seconds:,.1f} "
            f"| {run.ok / run.seconds:,.1f} | {run.pct(50):,.0f} | {run.pct(95):,.0f} | {run.pct(99):,.0f} "
            f"| {max(run.latencies, default=0) * 1000:,.0f} | {run.slow} | {statuses} | {run.load_average:.1f} |")


def targets(runs: list[Run]) -> list[str]:
    """The issue's targets, each with its verdict."""
    def find(backend: str, scenario: str, clients: int) -> Run | None:
        return next((r for r in runs if (r.backend, r.scenario, r.clients) == (backend, scenario, clients)), None)

    lines = []
    top = max(CLIENT_COUNTS)
    for backend in dict.fromkeys(r.backend for r in runs):
        at_top = [r for r in runs if r.backend == backend and r.clients == top]
        errors = sum(r.other_errors for r in at_top)
        slow = sum(r.slow for r in at_top)
        lines.append(f"- {backend}, {top} clients: errors other than 503: {errors} "
                     f"({'met' if errors == 0 else 'NOT met'}); answers slower than 5 s: {slow} "
                     f"({'met' if slow == 0 else 'NOT met'})")
        page = find(backend, "staff list page", 50)
        if page:
            lines.append(f"- {backend}: staff list page p95 at 50 clients {page.pct(95):,.0f} ms (target ≤ 500 ms: "
                         f"{'met' if page.pct(95) <= 500 else 'NOT met'})")
        writes = find(backend, "record writes", top)
        if writes and backend == "PostgreSQL":
            rate = writes.ok / writes.seconds
            lines.append(f"- {backend}: record writes at {top} clients {rate:,.0f}/s (target ≥ 300/s: "
                         f"{'met' if rate >= 300 else 'NOT met'})")
    return lines


def report(runs: list[Run]) -> str:
    settings = Settings()
    lines = [
        "# Load: many clients at once against `kaohe serve --workers 2`",
        "",
        f"Written by `bench/bench_load.py` on {time.strftime('%Y-%m-%d %H:%M')}: {os.cpu_count()} CPUs "
        f"({platform.machine()}), Python {platform.python_version()}, {STAFF:,} staff, {SECONDS:.0f} s per run, "
        "closed-loop clients in one asyncio process on the same machine (they share the CPUs with the server). "
        "A client that gets 503 waits its Retry-After before the next request. The last column is the machine's "
        "1-minute load average as each run ended: anything well above the CPU count means other work shared them. PostgreSQL is the test suite's "
        "throw-away cluster (fsync and synchronous_commit off). Default load settings: "
        f"in flight = pool size per process, queue wait {settings.queue_wait_seconds:g} s, pool timeout "
        f"{settings.db_pool_timeout_seconds:g} s, Retry-After {settings.retry_after_seconds} s.",
        "",
        HEADER,
        *(row(r) for r in runs),
        "",
        "Targets at the issue's figures:",
        "",
        *targets(runs),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    print(f"load: {CLIENT_COUNTS} clients, {SECONDS:.0f} s per run, {STAFF:,} staff, {os.cpu_count()} CPUs", flush=True)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="kaohe-load-") as tmp:
        print("SQLite", flush=True)
        runs += measure("SQLite", f"sqlite:///{Path(tmp) / 'load.db'}", Path(tmp))
        bin_dir = find_pg_bin()
        if bin_dir is None or os.environ.get("KAOHE_BENCH_NO_PG"):
            print("PostgreSQL: skipped" + (" (no pg_ctl/initdb found)" if bin_dir is None else ""))
        else:
            print("PostgreSQL", flush=True)
            pg = PostgresServer(bin_dir)
            pg.start()
            try:
                runs += measure("PostgreSQL", pg.create("bench_load"), Path(tmp))
            finally:
                pg.stop()
    text = report(runs)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
