"""`kaohe ledger verify|seal|anchor|sign-legacy`: the ledger from the command line (docs/ledger.md)."""

import typer

from kaohe.clikit import CLI_ACTOR, unit_of_work
from kaohe.clock import now
from kaohe.ledger import service
from kaohe.messages import t

ledger_app = typer.Typer(help=t("ledger.cli_help"), no_args_is_help=True)


@ledger_app.command("verify", help=t("ledger.cli_verify_help"))
def ledger_verify(
    anchor: list[str] = typer.Option([], "--anchor", help=t("ledger.cli_verify_anchor")),
    chain_only: bool = typer.Option(False, "--chain-only", help=t("ledger.cli_verify_chain_only")),
    files: bool = typer.Option(False, "--files", help=t("ledger.cli_verify_files")),
    limit: int = typer.Option(20, "--limit", min=1, help=t("ledger.cli_verify_limit")),
) -> None:
    with unit_of_work() as db:
        report = service.verify(db, replay=not chain_only, anchors=anchor, files=files, limit=limit)
    if not report.ok:
        headline = (t("ledger.failed", message=report.message, count=report.count)
                    if report.bad_seq is not None
                    else t("ledger.failed_rows", message=report.message, count=report.problem_count))
        typer.echo(headline, err=True)
        for line in report.problems[1:]:
            typer.echo(f"  - {line}", err=True)
        if report.more:
            typer.echo(f"  {t('ledger.more', count=report.more)}", err=True)
        raise typer.Exit(1)
    typer.echo(report.message)
    for line in anchor:
        typer.echo(t("ledger.anchor_ok", seq=_seq(line)))


def _seq(line: str) -> int:
    from kaohe.ledger.chain import parse_anchor

    return parse_anchor(line)[0]


@ledger_app.command("seal", help=t("ledger.cli_seal_help"))
def ledger_seal() -> None:
    with unit_of_work() as db:
        sealed = service.seal(db, wait=True)
        total = service.anchor_seq(db)
    typer.echo(t("ledger.seal_done", count=sealed.count, total=total))
    if sealed.refused:
        typer.echo(t("ledger.seal_refused", count=len(sealed.refused)), err=True)
        raise typer.Exit(1)


@ledger_app.command("anchor", help=t("ledger.cli_anchor_help"))
def ledger_anchor() -> None:
    with unit_of_work() as db:
        service.seal(db, wait=True)  # the line names the newest entry, committed ones included
        typer.echo(service.anchor(db, now=now()))


@ledger_app.command("sign-legacy", help=t("ledger.cli_sign_legacy_help"))
def ledger_sign_legacy() -> None:
    with unit_of_work() as db:
        signed = service.sign_legacy(db, actor=CLI_ACTOR, now=now())
    if not signed.count:
        typer.echo(t("ledger.sign_legacy_nothing"))
        return
    typer.echo(t("ledger.sign_legacy_done", count=signed.count))
    typer.echo(signed.anchor)
