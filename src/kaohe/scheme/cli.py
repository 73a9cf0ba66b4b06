"""`kaohe scheme …`: validate and compare scheme files, print the JSON Schema; import, export,
publish and freeze the stored versions of a year's scheme."""

from __future__ import annotations

from pathlib import Path

import typer

from kaohe.clikit import CLI_ACTOR, unit_of_work
from kaohe.errors import KaoheError
from kaohe.messages import t
from kaohe.scheme.diff import diff_schemes, render_diff
from kaohe.scheme.loader import load_scheme_file
from kaohe.scheme.models import Scheme
from kaohe.scheme.problems import Problem
from kaohe.scheme.schema import scheme_json_schema

scheme_app = typer.Typer(help=t("scheme.cli.help"), no_args_is_help=True, add_completion=False)


def _report(problems: list[Problem]) -> None:
    typer.echo(t("scheme.invalid", count=len(problems)), err=True)
    for problem in problems:
        typer.echo(str(problem), err=True)


def _load_or_exit(path: Path) -> Scheme:
    result = load_scheme_file(path)
    if isinstance(result, list):
        _report(result)
        raise typer.Exit(code=1)
    return result


@scheme_app.command("validate", help=t("scheme.cli.validate"))
def validate_command(file: Path) -> None:
    _load_or_exit(file)
    typer.echo(t("scheme.valid"))


@scheme_app.command("diff", help=t("scheme.cli.diff"))
def diff_command(old: Path, new: Path) -> None:
    typer.echo(render_diff(diff_schemes(_load_or_exit(old), _load_or_exit(new))))


@scheme_app.command("schema", help=t("scheme.cli.schema"))
def schema_command() -> None:
    typer.echo(scheme_json_schema(), nl=False)


# --- the stored scheme (database from KAOHE_DATABASE_URL) -----------------------------------

def _db_session():  # type: ignore[no-untyped-def]
    return unit_of_work()


def _actor():  # type: ignore[no-untyped-def]
    return CLI_ACTOR


def _fail(exc: KaoheError) -> None:
    typer.echo(f"错误:{exc.message}", err=True)
    for detail in exc.details:
        typer.echo(f"  {detail}", err=True)
    raise typer.Exit(code=1)


@scheme_app.command("import", help=t("scheme_admin.cli.import"))
def import_command(
    file: Path,
    year: int = typer.Option(..., "--year", help="年度"),
    note: str = typer.Option("", "--note", help="说明"),
) -> None:
    from kaohe.scheme import service

    result = load_scheme_file(file, check=False)  # size, encoding and YAML safety checks first
    if isinstance(result, list):
        _report(result)
        raise typer.Exit(code=1)
    text = file.read_text(encoding="utf-8-sig")
    with _db_session() as db:
        try:
            row = service.import_version(db, actor=_actor(), year=year, text=text, note=note or file.name)
        except KaoheError as exc:
            _fail(exc)
        typer.echo(t("scheme_admin.cli.imported", year=row.year, version=row.version))


@scheme_app.command("export", help=t("scheme_admin.cli.export"))
def export_command(
    year: int = typer.Option(..., "--year", help="年度"),
    version: int | None = typer.Option(None, "--version", help="版本号(默认为正在执行的版本)"),
    output: Path | None = typer.Option(None, "--output", "-o", help="写入文件(默认输出到屏幕)"),
) -> None:
    from kaohe.scheme import service

    with _db_session() as db:
        try:
            text = service.export_version(db, year=year, version=version)
        except KaoheError as exc:
            _fail(exc)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(t("scheme_admin.cli.exported", path=output), err=True)


@scheme_app.command("publish", help=t("scheme_admin.cli.publish"))
def publish_command(
    year: int = typer.Option(..., "--year", help="年度"),
    version: int = typer.Option(..., "--version", help="版本号"),
) -> None:
    from kaohe.scheme import service

    with _db_session() as db:
        try:
            row = service.find_version(db, year=year, version=version)
            row = service.publish(db, actor=_actor(), version_id=row.id)
        except KaoheError as exc:
            _fail(exc)
        typer.echo(t("scheme_admin.cli.published", year=row.year, version=row.version))


@scheme_app.command("freeze", help=t("scheme_admin.cli.freeze"))
def freeze_command(year: int = typer.Option(..., "--year", help="年度")) -> None:
    from kaohe.scheme import service

    with _db_session() as db:
        try:
            row = service.freeze(db, actor=_actor(), year=year)
        except KaoheError as exc:
            _fail(exc)
        typer.echo(t("scheme_admin.cli.frozen", year=row.year, version=row.version))
