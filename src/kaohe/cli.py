"""The `kaohe` command: the root commands (init, serve) and the explicit wiring of every feature's
commands. Each feature's commands live in its own `cli.py`; shared helpers in `kaohe.clikit`."""

import typer

from kaohe.auth.cli import user_app
from kaohe.calendar.cli import calendar_app
from kaohe.clikit import run, unit_of_work
from kaohe.config import get_settings
from kaohe.demo.cli import demo
from kaohe.feedback.cli import feedback_app
from kaohe.ledger.cli import ledger_app
from kaohe.messages import t
from kaohe.metrics.cli import metrics_app
from kaohe.org import cli as org_cli
from kaohe.quarterly.cli import quarter_app
from kaohe.ratings.cli import ratings_app
from kaohe.records import cli as records_cli
from kaohe.scheme.cli import scheme_app
from kaohe.warnings.cli import warnings_app

app = typer.Typer(help=t("cli.help"), no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False)
import_app = typer.Typer(help=t("cli.import_help"), no_args_is_help=True)
export_app = typer.Typer(help=t("cli.export_help"), no_args_is_help=True)


def _database_name() -> str:
    return get_settings().database_url.split("@")[-1]


@app.command(help=t("cli.init_help"))
def init() -> None:
    from kaohe.calendar import service as calendar_service
    from kaohe.migrate import upgrade

    upgrade(get_settings().database_url)
    with unit_of_work() as db:
        years = calendar_service.seed_from_package(db)
    typer.echo(t("cli.init_done", database=_database_name()))
    if years:
        typer.echo(t("cli.init_calendar", first=years[0], last=years[-1]))


@app.command(help=t("cli.serve_help"))
def serve(
    host: str = typer.Option("127.0.0.1", help=t("cli.serve_host")),
    port: int = typer.Option(8000, help=t("cli.serve_port")),
    workers: int = typer.Option(1, help=t("cli.serve_workers")),
    proxy_headers: bool = typer.Option(True, help=t("cli.serve_proxy_headers")),  # only from KAOHE_TRUSTED_PROXIES
) -> None:
    import uvicorn

    settings = get_settings()
    typer.echo(t("cli.serve_started", host=host, port=port, workers=workers, database=_database_name()))
    trusted = settings.trusted_proxies.strip()
    uvicorn.run("kaohe.main:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=proxy_headers and bool(trusted), forwarded_allow_ips=trusted or None,
                log_level="info")


app.command("demo", help=t("cli.demo_help"))(demo)
app.add_typer(user_app, name="user")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(calendar_app, name="calendar")
app.add_typer(ledger_app, name="ledger")
app.add_typer(scheme_app, name="scheme")
app.add_typer(quarter_app, name="quarter")
app.add_typer(metrics_app, name="metrics")
app.add_typer(ratings_app, name="ratings")
app.add_typer(feedback_app, name="feedback")
app.add_typer(warnings_app, name="warnings")
org_cli.register(import_app, export_app)
records_cli.register(import_app)


def main() -> None:
    """The installed `kaohe` entry point."""
    run(app)


if __name__ == "__main__":
    main()
