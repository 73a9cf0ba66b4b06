"""The `kaohe` command: schema, demo data, server, accounts, roster, calendar, scheme."""

import getpass
import sys
from pathlib import Path

import typer
from sqlalchemy import select

from kaohe.auth.permissions import Grant, Principal
from kaohe.auth.roles import Role
from kaohe.bootstrap import Database
from kaohe.config import get_settings
from kaohe.errors import KaoheError
from kaohe.org.enums import label

app = typer.Typer(help="kaohe 干事考核平台命令行", no_args_is_help=True, add_completion=False)
user_app = typer.Typer(help="账号管理", no_args_is_help=True)
import_app = typer.Typer(help="导入", no_args_is_help=True)
export_app = typer.Typer(help="导出", no_args_is_help=True)
calendar_app = typer.Typer(help="工作日历", no_args_is_help=True)
ledger_app = typer.Typer(help="记录账本（哈希链）", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(calendar_app, name="calendar")
app.add_typer(ledger_app, name="ledger")

CLI_ACTOR = Principal(user_id=None, username="cli", display_name="命令行", staff_id=None,
                      staff_department_id=None, grants=(Grant(Role.admin, None),))


def _session():  # type: ignore[no-untyped-def]
    """The command's unit of work: committed once when the command's block ends without an error."""
    return Database.from_settings(get_settings()).unit_of_work()


def _fail(exc: KaoheError) -> None:
    typer.echo(f"错误：{exc.message}", err=True)
    for detail in exc.details:
        typer.echo(f"  - {detail}", err=True)
    raise typer.Exit(1)


@app.command()
def init() -> None:
    """Create or upgrade the database schema, and load the built-in holiday calendar."""
    from kaohe.calendar import service as calendar_service
    from kaohe.migrate import upgrade

    url = get_settings().database_url
    upgrade(url)
    with _session() as db:
        years = calendar_service.seed_from_package(db)
    typer.echo(f"数据库已就绪：{url.split('@')[-1]}")
    if years:
        typer.echo(f"已载入 {years[0]}–{years[-1]} 年法定节假日安排。")


@app.command()
def demo(
    staff: int = typer.Option(0, help="生成指定人数的合成单位（用于性能测试）；0 表示标准演示单位"),
    seed: int = typer.Option(2026, help="随机种子（结果可复现）"),
) -> None:
    """Build the demo unit's data in an empty database (does not serve)."""
    from kaohe.org.demo_data import build_demo_unit, build_synthetic_unit
    from kaohe.org.demo_service import load_demo_unit

    settings = get_settings()
    unit = build_synthetic_unit(staff, seed=seed) if staff else build_demo_unit(seed=seed)
    with _session() as db:
        try:
            sign_ins = load_demo_unit(db, unit, password=settings.demo_password)
            if not staff:
                from kaohe.records.clock import LOCAL, now
                from kaohe.records.demo_load import load_demo_records

                counts = load_demo_records(db, unit, today=now().astimezone(LOCAL).date(), seed=seed)
        except KaoheError as exc:
            _fail(exc)
    typer.echo(f"演示单位「{unit.name}」：{len(unit.departments)} 个部门，{len(unit.staff)} 人。")
    if not staff:
        typer.echo(f"近一个季度的工作记录 {counts['records']} 条（审核 {counts['reviews']} 次），年度任务 "
                   f"{counts['tasks']} 项，月度办结 {counts['closes']} 次。")
    typer.echo(f"演示账号（密码均为 {settings.demo_password}）：")
    for s in sign_ins:
        roles = "、".join(label(r) for r in s.roles)
        typer.echo(f"  {s.username:<10} {roles:<24} {s.description}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址"),
    port: int = typer.Option(8000, help="端口"),
    workers: int = typer.Option(1, help="工作进程数（生产环境可设为 CPU 核数 × 2）"),
    proxy_headers: bool = typer.Option(True, help="信任反向代理的 X-Forwarded-* 头"),
) -> None:
    """Serve the web application."""
    import uvicorn

    settings = get_settings()
    typer.echo(f"kaohe 运行于 http://{host}:{port} （{workers} 个进程，数据库 {settings.database_url.split('@')[-1]}）")
    uvicorn.run("kaohe.main:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=proxy_headers, forwarded_allow_ips=settings.trusted_proxies, log_level="info")


@user_app.command("create")
def user_create(
    username: str,
    role: list[Role] = typer.Option([Role.staff], "--role", help="角色，可重复"),
    staff_no: str = typer.Option("", help="关联人员的工号"),
    password: str = typer.Option("", help="密码；不填则交互输入"),
) -> None:
    """Create an account."""
    from kaohe.auth import service
    from kaohe.org.models import Staff

    password = password or getpass.getpass("密码：")
    with _session() as db:
        try:
            staff_id = None
            if staff_no:
                staff_id = db.scalar(select(Staff.id).where(Staff.employee_no == staff_no))
                if staff_id is None:
                    raise KaoheError(f"工号 {staff_no} 不存在。")
            service.create_user(db, actor=CLI_ACTOR, username=username, password=password, roles=role,
                                staff_id=staff_id)
        except KaoheError as exc:
            _fail(exc)
    typer.echo(f"已创建账号 {username}。")


@user_app.command("reset-password")
def user_reset_password(username: str) -> None:
    """Give an account a one-time password that must be changed at next sign-in."""
    from kaohe.auth import service
    from kaohe.auth.models import User

    with _session() as db:
        user = db.scalar(select(User).where(User.username == username))
        if user is None:
            typer.echo(f"错误：账号 {username} 不存在。", err=True)
            raise typer.Exit(1)
        temporary = service.reset_password(db, actor=CLI_ACTOR, user_id=user.id)
    typer.echo(f"{username} 的临时密码：{temporary}（首次登录后须修改）")


@import_app.command("staff")
def import_staff(file: Path) -> None:
    """Import a staff roster (.xlsx or .csv): all rows or none."""
    from kaohe.org import roster_service

    settings = get_settings()
    if not file.is_file():
        typer.echo(f"错误：文件 {file} 不存在。", err=True)
        raise typer.Exit(1)
    with file.open("rb") as fh:
        data = fh.read(settings.upload_max_bytes + 1)
    with _session() as db:
        try:
            outcome = roster_service.import_roster(db, actor=CLI_ACTOR, data=data, filename=file.name,
                                                   max_bytes=settings.upload_max_bytes)
        except KaoheError as exc:
            _fail(exc)
    typer.echo(f"导入成功：新增 {outcome.created} 人，更新 {outcome.updated} 人。")


@import_app.command("records")
def import_records(file: Path) -> None:
    """Import past daily records (.xlsx or .csv): all rows or none."""
    from kaohe.records import importing_service
    from kaohe.records.clock import now

    if not file.is_file():
        typer.echo(f"错误：文件 {file} 不存在。", err=True)
        raise typer.Exit(1)
    with _session() as db:
        try:
            count = importing_service.import_records(db, actor=CLI_ACTOR, data=file.read_bytes()[: 10 * 1024 * 1024 + 1],
                                                     filename=file.name, now=now())
        except KaoheError as exc:
            _fail(exc)
    typer.echo(f"已导入 {count} 条历史记录。")


@ledger_app.command("verify")
def ledger_verify() -> None:
    """Walk the whole hash chain; exit 1 naming the first entry changed, removed or reordered."""
    from kaohe.records import ledger_service

    with _session() as db:
        result = ledger_service.verify_ledger(db)
    if not result.ok:
        typer.echo(f"账本校验失败：{result.message}（此前 {result.count} 条完好）", err=True)
        raise typer.Exit(1)
    typer.echo(result.message)


@ledger_app.command("anchor")
def ledger_anchor() -> None:
    """Print the current head digest with its time, to publish or notarise outside the system."""
    from kaohe.records import ledger_service
    from kaohe.records.clock import now

    with _session() as db:
        typer.echo(ledger_service.anchor_text(db, now=now()))


@export_app.command("staff")
def export_staff(file: Path) -> None:
    """Export the roster to .xlsx (or .csv by the file's extension)."""
    from kaohe.org import roster_service

    fmt = "csv" if file.suffix.lower() == ".csv" else "xlsx"
    with _session() as db:
        body = roster_service.export_roster(db, actor=CLI_ACTOR, fmt=fmt)
    file.write_bytes(body)
    typer.echo(f"已导出到 {file}。")


@calendar_app.command("seed")
def calendar_seed(force: bool = typer.Option(False, help="覆盖已载入的年份")) -> None:
    """Load statutory holidays from the built-in chinesecalendar data."""
    from kaohe.calendar import service

    with _session() as db:
        years = service.seed_from_package(db, actor=CLI_ACTOR, force=force)
    typer.echo(f"已载入：{'、'.join(map(str, years))}" if years else "内置年份均已载入。")


@calendar_app.command("import")
def calendar_import(file: Path, year: int = typer.Option(..., help="年份")) -> None:
    """Import a year's official arrangement and unit closures (日期, 类型, 名称)."""
    from kaohe.calendar import service

    if not file.is_file():
        typer.echo(f"错误：文件 {file} 不存在。", err=True)
        raise typer.Exit(1)
    with _session() as db:
        try:
            official, closures = service.import_year(db, actor=CLI_ACTOR, data=file.read_bytes()[: 1024 * 1024 + 1],
                                                     filename=file.name, year=year)
        except KaoheError as exc:
            _fail(exc)
    typer.echo(f"已导入 {year} 年：法定安排 {official} 天，单位停工 {closures} 天。")


@calendar_app.command("show")
def calendar_show(year: int) -> None:
    """List a year's special days."""
    from kaohe.calendar import service

    with _session() as db:
        if year not in {y.year for y in service.loaded_years(db)}:
            typer.echo(f"{year} 年的节假日安排尚未载入。", err=True)
            raise typer.Exit(1)
        for day in service.special_days(db, year):
            typer.echo(f"{day.day}  {day.kind.label}  {day.name}")


@calendar_app.command("deadline")
def calendar_deadline(
    start: str = typer.Argument(..., help="起始日期或时间，如 2026-09-30 或 2026-09-30T15:00"),
    working_days: int = typer.Option(0, help="工作日数"),
    hours: int = typer.Option(0, help="小时数"),
) -> None:
    """When a period of N working days (or hours) that starts at START ends."""
    from datetime import datetime

    from kaohe.calendar import service

    try:
        when = datetime.fromisoformat(start)
    except ValueError:
        typer.echo("错误：起始时间格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM。", err=True)
        raise typer.Exit(1) from None
    with _session() as db:
        try:
            end = service.load_calendar(db).deadline(
                when, hours=hours or None, working_days=None if hours else working_days)
        except KaoheError as exc:
            _fail(exc)
    typer.echo(end.strftime("%Y-%m-%d %H:%M:%S"))


def _mount_scheme() -> None:
    try:
        from kaohe.scheme.cli import scheme_app
    except ImportError:  # the scheme feature is optional at this layer
        return
    app.add_typer(scheme_app, name="scheme")


_mount_scheme()

if __name__ == "__main__":
    sys.exit(app())
