"""`kaohe scheme …`: validate and compare scheme files, print the JSON Schema."""

from __future__ import annotations

from pathlib import Path

import typer

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
