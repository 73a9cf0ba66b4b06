"""Every `kaohe` command, run as a separate process through the installed entry point, against a
fresh database on each backend: `kaohe init && kaohe demo` first, as a new user would.

The suite used to run commands in-process after conftest had imported every model, which hid eight
commands that crashed for real. A last test reads this file and fails for any command of the app
that no test here runs.
"""

import ast
import csv
import io
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import openpyxl
import pytest
import typer
from tests.support.cli import KAOHE, Ran, kaohe

DEMO_PASSWORD = "cli-Demo-pass-2026"


@pytest.fixture(scope="module")
def unit(built_units, pg_server, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Per backend: a database of this module's own, copied from the one `kaohe init` and `kaohe demo` built."""
    made: dict[str, tuple[str, Path, Ran, Ran]] = {}
    names: list[str] = []

    def get(backend: str) -> tuple[str, Path, Ran, Ran]:
        if backend not in made:
            source_url, source_home, init, demo = built_units(backend)
            home = tmp_path_factory.mktemp(f"cli-{backend}")
            if backend == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    source = source_home / f"kaohe.db{suffix}"
                    if source.exists():
                        shutil.copy(source, home / f"kaohe.db{suffix}")
                url = f"sqlite:///{home / 'kaohe.db'}"
            else:
                name = f"cli_{uuid.uuid4().hex[:10]}"
                names.append(name)
                url = pg_server.create(name, template=source_url.rsplit("/", 1)[1])
            made[backend] = (url, home, init, demo)
        return made[backend]

    yield get
    for name in names:
        pg_server.drop(name)


def run(url: str, home: Path, *args: str, stdin: str | None = None) -> Ran:
    ran = kaohe(*args, url=url, cwd=home, env={"KAOHE_DEMO_PASSWORD": DEMO_PASSWORD}, stdin=stdin)
    # Whatever happens, a user never sees a traceback.
    assert "Traceback" not in ran.text, ran.text
    return ran


@pytest.fixture
def world(unit, backend):  # type: ignore[no-untyped-def]
    url, home, _init, _demo = unit(backend)
    return lambda *args, stdin=None: run(url, home, *args, stdin=stdin)


@pytest.fixture
def fresh(backend, pg_server, tmp_path):  # type: ignore[no-untyped-def]
    """An empty database nobody has initialised yet."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
        yield lambda *args, stdin=None: run(url, tmp_path, *args, stdin=stdin)
        return
    name = f"fresh_{uuid.uuid4().hex[:10]}"
    url = pg_server.create(name)
    yield lambda *args, stdin=None: run(url, tmp_path, *args, stdin=stdin)
    pg_server.drop(name)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# --- init, demo -------------------------------------------------------------------------------------

def test_it_initialises_a_fresh_database_and_builds_the_demo(unit, backend):
    _url, _home, init, demo = unit(backend)
    assert init.code == 0, init.text
    assert "数据库已就绪" in init.out and "2004–2026" in init.out
    assert demo.code == 0, demo.text
    assert "江州市政务服务中心" in demo.out and DEMO_PASSWORD in demo.out
    for role in ("系统管理员", "考核办公室", "分管领导", "部门负责人", "部门联络员", "考核委员会委员", "纪检监督", "职工代表"):
        assert role in demo.out


def test_it_refuses_a_second_demo_with_one_chinese_line(world):
    again = world("demo")
    assert again.code == 1
    assert "已有人员数据" in again.err


def test_it_answers_an_uninitialised_database_with_one_line_and_nothing_saved(fresh, tmp_path):
    refused = fresh("export", "staff", str(tmp_path / "out.xlsx"))
    assert refused.code == 70
    lines = [line for line in refused.err.splitlines() if line.strip()]
    assert len(lines) == 1 and "kaohe init" in lines[0], refused.err
    assert not (tmp_path / "out.xlsx").exists()
    log = Path(lines[0].split("详细信息已写入 ")[1].split("。")[0])
    assert log.is_file() and "Traceback" in log.read_text(encoding="utf-8")


# --- roster -----------------------------------------------------------------------------------------

def test_it_exports_and_reimports_the_roster(world, tmp_path):
    out = tmp_path / "roster.xlsx"
    exported = world("export", "staff", str(out))
    assert exported.code == 0, exported.text
    assert openpyxl.load_workbook(out).active.max_row == 78  # header + 77 demo staff
    as_csv = tmp_path / "roster.csv"
    assert world("export", "staff", str(as_csv)).code == 0
    rows = list(csv.reader(io.StringIO(as_csv.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "工号" and len(rows) == 78
    again = world("import", "staff", str(out))
    assert again.code == 0, again.text
    assert "更新 77 人" in again.out


def test_it_refuses_a_bad_roster_naming_the_row_and_saves_nothing(world, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_xlsx([["工号", "姓名", "部门", "岗位类别", "职级"], ["JZ9001", "张三", "火星科", "管理岗", "初级"]]))
    refused = world("import", "staff", str(bad))
    assert refused.code == 1 and "第 2 行" in refused.err
    listed = tmp_path / "after.csv"
    world("export", "staff", str(listed))
    assert "JZ9001" not in listed.read_text(encoding="utf-8-sig")
    missing = world("import", "staff", str(tmp_path / "nope.xlsx"))
    assert missing.code == 1 and "不存在" in missing.err


# --- records ----------------------------------------------------------------------------------------

def test_it_imports_past_records_all_or_nothing(world, tmp_path):
    header = ["工号", "工作事项", "开始时间", "结束时间", "阶段成果"]
    good = tmp_path / "records.xlsx"
    good.write_bytes(_xlsx([header, ["JZ0020", "受理企业开办", "2026-03-02 09:00", "2026-03-02 11:00",
                                     "受理企业开办申请 3 件，当场办结。"]]))
    done = world("import", "records", str(good))
    assert done.code == 0, done.text
    assert "已导入 1 条" in done.out
    bad = tmp_path / "bad-records.xlsx"
    bad.write_bytes(_xlsx([header, ["JZ0020", "受理企业开办", "2026-03-03 09:00", "2026-03-03 11:00",
                                    "受理企业开办申请 2 件。"],
                           ["JZ9999", "窗口咨询", "2026-03-03 09:00", "2026-03-03 10:00", "答复咨询 12 人次。"]]))
    refused = world("import", "records", str(bad))
    assert refused.code == 1 and "第 3 行" in refused.err
    assert world("ledger", "verify").code == 0


# --- ledger -----------------------------------------------------------------------------------------

def test_it_verifies_and_anchors_the_ledger(world):
    verified = world("ledger", "verify")
    assert verified.code == 0, verified.text
    assert "账本校验通过" in verified.out
    anchored = world("ledger", "anchor")
    assert anchored.code == 0 and len([w for w in anchored.out.split() if len(w) >= 64]) >= 1
    kept = anchored.out.strip().splitlines()[-1]
    assert world("ledger", "verify", "--anchor", kept).code == 0
    # Everything the demo wrote is signed already: signing legacy rows finds nothing to do and breaks nothing.
    legacy = world("ledger", "sign-legacy")
    assert legacy.code == 0, legacy.text
    assert world("ledger", "verify").code == 0
    # Every commit chained its own entries already: sealing by hand finds nothing waiting.
    sealed = world("ledger", "seal")
    assert sealed.code == 0, sealed.text
    assert "已将 0 条待入链条目写入账本" in sealed.out


# --- accounts ---------------------------------------------------------------------------------------

def test_it_creates_accounts_and_resets_passwords(world):
    name = f"u{uuid.uuid4().hex[:6]}"
    created = world("user", "create", name, "--role", "hr", "--password", "Zhang-pass-2026")
    assert created.code == 0, created.text
    assert world("user", "create", name, "--password", "Zhang-pass-2026").code == 1
    weak = world("user", "create", f"{name}b", "--password", "123")
    assert weak.code == 1 and "至少需要 10 个字符" in weak.err
    unknown_no = world("user", "create", f"{name}c", "--password", "Zhang-pass-2026", "--staff-no", "XX0000")
    assert unknown_no.code == 1 and "XX0000" in unknown_no.err
    reset = world("user", "reset-password", name)
    assert reset.code == 0 and "临时密码" in reset.out
    nobody = world("user", "reset-password", "nobody-here")
    assert nobody.code == 1 and "不存在" in nobody.err


# --- calendar ---------------------------------------------------------------------------------------

def test_it_keeps_the_calendar(world, tmp_path):
    assert world("calendar", "seed").code == 0
    forced = world("calendar", "seed", "--force")
    assert forced.code == 0 and "2026" in forced.out
    shown = world("calendar", "show", "2026")
    assert shown.code == 0 and "国庆节" in shown.out
    assert world("calendar", "show", "2031").code == 1
    refused = world("calendar", "deadline", "2026-12-28", "--working-days", "10")
    assert refused.code == 1 and "2027" in refused.err
    year = tmp_path / "2027.csv"
    year.write_text("日期,类型,名称\n2027-01-01,放假,元旦\n", encoding="utf-8")
    imported = world("calendar", "import", str(year), "--year", "2027")
    assert imported.code == 0, imported.text
    ok = world("calendar", "deadline", "2026-12-28", "--working-days", "10")
    assert ok.code == 0 and ok.out.strip() == "2027-01-12 23:59:59"
    assert world("calendar", "deadline", "yesterday").code == 1


# --- scheme -----------------------------------------------------------------------------------------

def test_it_runs_the_scheme_file_commands(world, tmp_path):
    from importlib.resources import files

    default = tmp_path / "default.yaml"
    default.write_text((files("kaohe") / "schemes" / "default.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    valid = world("scheme", "validate", str(default))
    assert valid.code == 0, valid.text
    broken = tmp_path / "broken.yaml"
    broken.write_text(default.read_text(encoding="utf-8").replace("year:", "year: [", 1), encoding="utf-8")
    assert world("scheme", "validate", str(broken)).code == 1
    assert world("scheme", "diff", str(default), str(default)).code == 0
    schema = world("scheme", "schema")
    assert schema.code == 0 and schema.out.lstrip().startswith("{")


def test_it_imports_exports_publishes_and_freezes_a_year(world, tmp_path):
    from importlib.resources import files

    default = tmp_path / "default.yaml"
    default.write_text((files("kaohe") / "schemes" / "default.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    imported = world("scheme", "import", str(default), "--year", "2027")
    assert imported.code == 0, imported.text
    version = int(re.search(r"第\s*(\d+)\s*版", imported.out).group(1))  # type: ignore[union-attr]
    exported = world("scheme", "export", "--year", "2027", "--version", str(version))
    assert exported.code == 0 and "2027" in exported.out
    published = world("scheme", "publish", "--year", "2027", "--version", str(version))
    assert published.code == 0, published.text
    frozen = world("scheme", "freeze", "--year", "2027")
    assert frozen.code == 0, frozen.text
    again = world("scheme", "publish", "--year", "2027", "--version", str(version))
    assert again.code == 1


# --- serve ------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_serves_the_app_as_a_process(unit, backend):
    url, home, _init, _demo = unit(backend)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOHE_")}
    env.update({"KAOHE_DATABASE_URL": url, "KAOHE_SECRET_KEY": "s" * 40})
    server = subprocess.Popen([KAOHE, "serve", "--port", str(port)], env=env, cwd=home,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "kaohe serve did not answer within 60 s"
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as page:
            assert "登录" in page.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- every command is covered -----------------------------------------------------------------------

def _command_paths(group: object, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            out |= _command_paths(command, (*prefix, name))
        else:
            out.add((*prefix, name))
    return out


def _invoked_here() -> set[tuple[str, ...]]:
    """The leading literal words of every world(...)/fresh(...)/Popen([KAOHE, ...]) call in this file, in
    the features' own command tests beside it (test_*.py of this folder) and in its conftest.py (which runs
    `kaohe init` and `kaohe demo` once a session)."""
    here = Path(__file__).parent
    tree = ast.Module(body=[node for path in [*sorted(here.glob("test_*.py")), here / "conftest.py"]
                            for node in ast.parse(path.read_text(encoding="utf-8")).body], type_ignores=[])
    seen: set[tuple[str, ...]] = set()
    for node in ast.walk(tree):
        words: list[str] = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("world", "fresh", "run"):
            args = node.args[2:] if node.func.id == "run" else node.args
            words = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        elif isinstance(node, ast.List) and node.elts and isinstance(node.elts[0], ast.Name) and node.elts[0].id == "KAOHE":
            words = [a.value for a in node.elts[1:] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        for size in (1, 2):
            seen.add(tuple(words[:size]))
    return seen


def test_every_command_of_the_app_is_run_as_a_process_here():
    from kaohe.cli import app

    commands = _command_paths(typer.main.get_command(app))
    missing = sorted(" ".join(path) for path in commands - _invoked_here())
    assert not missing, f"commands with no subprocess test: {missing}"
